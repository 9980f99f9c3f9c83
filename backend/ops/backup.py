"""Backups of the database and the attachments in one tar file, and their restore into an empty database.

SQLite: the online backup API (a consistent copy while the app writes). PostgreSQL: ``pg_dump -Fc`` and
``pg_restore --single-transaction``. Attachments: every final blob, checked against its SHA-256 name and listed
in ``manifest.json`` with the schema revision, so a restore verifies what it brings back.
"""

import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, make_url, text

FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done (the message says why)."""


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _libpq(url: str) -> str:
    """The SQLAlchemy URL as pg_dump reads it (``postgresql://``, password included)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        raise BackupError(f"{name} not found: install the PostgreSQL client (apt-get install postgresql-client)")
    return str(candidates[-1])


def _schema_revision(url: str) -> list[str]:
    engine = create_engine(url.replace("sqlite+gated", "sqlite"))
    try:
        with engine.connect() as c:
            if "alembic_version" not in inspect(c).get_table_names():
                return []
            return [str(r) for r in c.execute(text("SELECT version_num FROM alembic_version")).scalars()]
    finally:
        engine.dispose()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _blobs(attachments: Path) -> list[Path]:
    """Every final blob (the store names it by its SHA-256; partial uploads are not backed up)."""
    blobs = attachments / "blobs"  # the filesystem store's verified blobs (not partial/, not an S3 cache)
    if not blobs.is_dir():
        return []
    return sorted(p for p in blobs.rglob("*") if p.is_file() and len(p.name) == 64 and p.suffix == "")


def backup(url: str, attachments: Path, dest: Path) -> Path:
    """Write ``li-backup-<UTC time>.tar`` into ``dest`` and return its path."""
    dest.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = dest / f"li-backup-{stamp}.tar"
    with tempfile.TemporaryDirectory() as tmp:
        if _is_sqlite(url):
            dump, kind = Path(tmp) / "database.sqlite", "sqlite"
            source = sqlite3.connect(_sqlite_path(url))
            copy = sqlite3.connect(dump)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
        else:
            dump, kind = Path(tmp) / "database.pgdump", "postgresql"
            done = subprocess.run([_pg_tool("pg_dump"), "-Fc", "--no-owner", "--no-acl", "-f", str(dump), _libpq(url)],
                                  capture_output=True, text=True, check=False)  # fmt: skip
            if done.returncode:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        blobs = []
        with tarfile.open(target, "w") as tar:
            tar.add(dump, arcname=dump.name)
            for path in _blobs(attachments):
                digest = _sha256(path)
                if digest != path.name:
                    raise BackupError(f"attachment {path} does not match its hash; not backed up")
                rel = path.relative_to(attachments).as_posix()
                tar.add(path, arcname=f"attachments/{rel}")
                blobs.append({"path": rel, "sha256": digest, "bytes": path.stat().st_size})
            manifest = {"format": FORMAT, "created_at": stamp, "database": kind, "schema": _schema_revision(url),
                        "attachments": blobs}  # fmt: skip
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def _empty(url: str) -> bool:
    engine = create_engine(url.replace("sqlite+gated", "sqlite"))
    try:
        with engine.connect() as c:
            return not inspect(c).get_table_names()
    finally:
        engine.dispose()


def restore(archive: Path, url: str, attachments: Path) -> dict[str, Any]:
    """Restore ``archive`` into the empty database at ``url`` and the attachments directory; returns the manifest.
    Refuses a database that has tables, or attachments that differ from the archive's."""
    with tarfile.open(archive, "r") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        kind = "sqlite" if _is_sqlite(url) else "postgresql"
        if manifest["database"] != kind:
            raise BackupError(f"this backup is of a {manifest['database']} database, the target is {kind}")
        if kind == "sqlite":
            path = _sqlite_path(url)
            if path.exists() and path.stat().st_size and not _empty(url):
                raise BackupError(f"{path} already holds tables: restore into an empty database")
        elif not _empty(url):
            raise BackupError("the target database already holds tables: restore into an empty database")
        with tempfile.TemporaryDirectory() as tmp:
            tar.extractall(tmp, filter="data")
            root = Path(tmp)
            if kind == "sqlite":
                path.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root / "database.sqlite", path)
            else:
                done = subprocess.run(
                    [_pg_tool("pg_restore"), "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error",
                     "-d", _libpq(url), str(root / "database.pgdump")],
                    capture_output=True, text=True, check=False,
                )  # fmt: skip
                if done.returncode:
                    raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
            for blob in manifest["attachments"]:
                source = root / "attachments" / blob["path"]
                if _sha256(source) != blob["sha256"]:
                    raise BackupError(f"attachment {blob['path']} in the backup is damaged")
                target = attachments / blob["path"]
                if target.exists():
                    if _sha256(target) != blob["sha256"]:
                        raise BackupError(f"{target} exists with other content")
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
    return dict(manifest)
