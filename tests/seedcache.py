"""Seeded databases for the real-server tests, made once per test run and copied: a SQLite file is copied, a
PostgreSQL database is created from a template. The seed itself still runs in its own process, as before; only
its repetition is saved (about 5 s per server: imports, migrations, checklists, the world's password hashes)."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

# One cache per test run (tests/conftest.py puts it in the run's temporary directory): never stale across edits.
_CACHE = Path(os.environ.get("LITEST_SEED_CACHE") or tempfile.mkdtemp(prefix="li-seeds-"))
# Settings that name this server's own files or port and cannot change what the seed writes.
_LOCAL = {"LI_DATABASE_URL", "LI_ATTACHMENTS_DIR", "LI_PWA_DIR"}


def _key(seed: str, args: list[str], env: dict[str, str], kind: str) -> str:
    settings = sorted((k, v) for k, v in env.items() if k.startswith("LI_") and k not in _LOCAL)
    return hashlib.sha256(repr((seed, args, settings, kind)).encode()).hexdigest()[:16]


def _run_seed(seed: str, args: list[str], env: dict[str, str], url: str, cwd: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", seed, *args], cwd=cwd, env=env | {"LI_DATABASE_URL": url}, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"seeding the database failed:\n{result.stderr[-3000:]}")


def _sqlite(seed: str, args: list[str], env: dict[str, str], url: str, cwd: Path) -> None:
    target = Path(make_url(url).database or "")
    cached = _CACHE / f"{_key(seed, args, env, 'sqlite')}.db"
    if not cached.exists():
        _CACHE.mkdir(parents=True, exist_ok=True)
        fresh = cached.with_suffix(f".{os.getpid()}.tmp")
        _run_seed(seed, args, env, f"sqlite:///{fresh}", cwd)
        with sqlite3.connect(fresh) as con:  # fold the write-ahead log into the file, so the file is the database
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        fresh.replace(cached)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, target)


def _postgresql(seed: str, args: list[str], env: dict[str, str], url: str, cwd: Path) -> None:
    import psycopg

    parsed = make_url(url)
    template = f"seed_{_key(seed, args, env, 'postgresql')}"
    admin = f"host={parsed.host} port={parsed.port} user={parsed.username} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (template,)).fetchone()
        if not exists:
            c.execute(f'CREATE DATABASE "{template}"')
            try:
                _run_seed(seed, args, env, parsed.set(database=template).render_as_string(hide_password=False), cwd)
            except BaseException:
                c.execute(f'DROP DATABASE IF EXISTS "{template}"')
                raise
        c.execute(f'DROP DATABASE IF EXISTS "{parsed.database}"')
        c.execute(f'CREATE DATABASE "{parsed.database}" TEMPLATE "{template}"')


def seed_database(seed: str, args: list[str], env: dict[str, str], cwd: Path) -> None:
    """Give ``env["LI_DATABASE_URL"]`` the database that ``python -c seed *args`` would have written there."""
    url = env["LI_DATABASE_URL"]
    if url.startswith("sqlite"):
        _sqlite(seed, args, env, url, cwd)
    else:
        _postgresql(seed, args, env, url, cwd)
