"""``backend.cli backup`` / ``restore`` on SQLite and PostgreSQL: a seeded database with attachments is backed
up, restored into an empty database, and every table and every blob hash compared; a non-empty target is
refused. ``reset-password`` sets a forgotten password."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from backend import migrate
from backend.auth import service as auth
from backend.checklists import service as checklists
from backend.config import settings
from backend.db import AppSession, make_engine
from tests.backend.conftest import fresh_url
from tests.backend.world import build_world

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, url: str, attachments: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LI_DATABASE_URL": url, "LI_ATTACHMENTS_DIR": str(attachments)}
    return subprocess.run([sys.executable, "-m", "backend.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def _tables(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    found = {}
    with engine.connect() as c:
        for table in inspect(c).get_table_names():
            rows = c.execute(text(f'SELECT * FROM "{table}"')).all()
            found[table] = sorted((tuple(r) for r in rows), key=repr)
    return found


def _hashes(attachments: Path) -> dict[str, str]:
    return {
        p.relative_to(attachments).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in attachments.rglob("*")
        if p.is_file()
    }


def test_backup_restores_every_table_and_blob(db_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    source = fresh_url(db_kind, request, "backup_source", tmp_path)
    migrate.upgrade(url=source)
    engine = make_engine(source)
    with AppSession(engine, expire_on_commit=False) as session, session.begin():
        checklists.publish_dir(session, settings.checklists_dir, actor_id=None)
        build_world(session)
    attachments = tmp_path / "attachments"
    for i in range(3):
        data = f"photo {i} ".encode() * 1000
        digest = hashlib.sha256(data).hexdigest()
        path = attachments / "blobs" / digest[:2] / digest
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (attachments / "partial").mkdir()
    (attachments / "partial" / f"{'a' * 64}.part").write_bytes(b"unfinished upload")

    made = _cli("backup", str(tmp_path / "backups"), url=source, attachments=attachments)
    assert made.returncode == 0, made.stderr
    archive = Path(made.stdout.strip().splitlines()[-1])
    assert archive.is_file() and archive.parent == tmp_path / "backups"

    target = fresh_url(db_kind, request, "backup_target", tmp_path / "t")
    (tmp_path / "t").mkdir(exist_ok=True)
    restored_dir = tmp_path / "restored"
    done = _cli("restore", str(archive), url=target, attachments=restored_dir)
    assert done.returncode == 0, done.stderr
    assert "3 attachments" in done.stdout
    restored = make_engine(target)
    try:
        before, after = _tables(engine), _tables(restored)
        assert set(before) == set(after) and len(before) > 15
        for table in before:
            assert before[table] == after[table], table
        assert sum(len(rows) for rows in after.values()) > 50
        blobs = {k: v for k, v in _hashes(attachments).items() if k.startswith("blobs/")}
        assert _hashes(restored_dir) == blobs and len(blobs) == 3
        again = _cli("restore", str(archive), url=target, attachments=restored_dir)
        assert again.returncode == 1 and "empty database" in again.stderr
    finally:
        restored.dispose()
        engine.dispose()


def test_reset_password(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    migrate.upgrade(url=url)
    engine = make_engine(url)
    with AppSession(engine, expire_on_commit=False) as session, session.begin():
        world = build_world(session)
        email = world.admin.email
    r = _cli("reset-password", email, "--password", "a fresh long passphrase", url=url, attachments=tmp_path)
    assert r.returncode == 0, r.stderr
    with AppSession(engine) as session:
        assert auth.authenticate(session, email, "a fresh long passphrase", address="127.0.0.1").email == email
    short = _cli("reset-password", email, "--password", "short", url=url, attachments=tmp_path)
    assert short.returncode == 1
    unknown = _cli("reset-password", "nobody@x.example", "--password", "a fresh long passphrase", url=url,
                   attachments=tmp_path)  # fmt: skip
    assert unknown.returncode == 1 and "no user" in unknown.stderr
    engine.dispose()
