"""A real ``uvicorn backend.main:app`` subprocess on a throwaway database (SQLite file or a PostgreSQL URL),
seeded with the backend tests' small world (tests/backend/world.py) and the published checklists.

The server can be ``kill -9``-ed and restarted on the same database and port; ``device()`` signs in as a
seeded user and registers a device (``POST /api/v1/devices``), giving its id and device token. Used by the
fault tests, the ``simulate-devices`` test and ``bench/sync_ingest.py``.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, text

from tests.seedcache import seed_database

ROOT = Path(__file__).resolve().parents[2]
INSPECTOR = "inspector@test.example"
SECOND = "second@test.example"
OTHER = "other@test.example"
PASSWORD = "correct horse battery"

SEED = """
import sys
from sqlmodel import Session
from backend.db import AppSession
import backend.models, backend.device_sync
from backend import db, migrate
from backend.checklists import service as checklists
from backend.config import settings
from tests.backend.world import build_world
migrate.upgrade()
with AppSession(db.engine) as session, session.begin():
    checklists.publish_dir(session, settings.checklists_dir, actor_id=None)
    world = build_world(session)
    exec(sys.argv[1], {"session": session, "world": world})
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SyncServer:
    """One seeded database and the uvicorn process serving it (``start``, ``kill``, ``restart``, ``stop``)."""

    def __init__(self, tmp: Path, database_url: str | None = None, *, extra_seed: str = "", access_log: bool = True):
        self.tmp = tmp
        self.database_url = database_url or f"sqlite:///{tmp / 'sync.db'}"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_log = access_log
        self.proc: subprocess.Popen[bytes] | None = None
        self._engine: Engine | None = None
        self.env = {
            **os.environ,
            "LI_ENVIRONMENT": "test",
            "LI_DATABASE_URL": self.database_url,
            "LI_ATTACHMENTS_DIR": str(tmp / "attachments"),
            "LI_SECRET_KEY": "sync-secret-key-0123456789abcdef-0123456789",
            "LI_FIRST_ADMIN_EMAIL": "",
            "LI_FIRST_ADMIN_PASSWORD": "",
            "LI_DEMO_DATA": "false",
            "LI_PWA_DIR": str(tmp / "no-pwa"),
            "LI_CHECKLISTS_DIR": str(ROOT / "checklists"),
            "PYTHONPATH": str(ROOT),
        }
        seed_database(SEED, [extra_seed], self.env, ROOT)

    # --- process ---------------------------------------------------------------------------------------
    @property
    def log(self) -> Path:
        return self.tmp / "uvicorn.log"

    def start(self) -> "SyncServer":
        cmd = [sys.executable, "-m", "uvicorn", "backend.main:app", "--host", "127.0.0.1", "--port", str(self.port)]
        if not self.access_log:
            cmd.append("--no-access-log")
        with open(self.log, "a") as log:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"uvicorn did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.05)

    def kill(self) -> None:
        """``kill -9``: no shutdown, no flush, open transactions die with the process."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    def restart(self) -> None:
        self.kill()
        self.start()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> "SyncServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- accounts --------------------------------------------------------------------------------------
    def access_token(self, email: str = INSPECTOR, password: str = PASSWORD) -> str:
        r = httpx.post(f"{self.url}/api/v1/auth/token", data={"username": email, "password": password}, timeout=10)
        r.raise_for_status()
        return str(r.json()["access_token"])

    def device(self, email: str = INSPECTOR, password: str = PASSWORD, name: str = "tablet") -> tuple[str, str]:
        """Sign in and register a device: ``(device_id, device_token)``."""
        token = self.access_token(email, password)
        r = httpx.post(
            f"{self.url}/api/v1/devices", json={"name": name}, headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
        r.raise_for_status()
        return str(r.json()["id"]), str(r.json()["token"])

    def get(self, path: str, token: str) -> Any:
        r = httpx.get(f"{self.url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        r.raise_for_status()
        return r.json()

    # --- direct database access ------------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from backend.db import make_engine

            self._engine = make_engine(self.database_url)
        return self._engine

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def uuid(self, value: object) -> str:
        """A UUID as this database stores it (SQLite: 32 hex digits; PostgreSQL: the uuid type)."""
        s = str(value)
        return s.replace("-", "") if self.database_url.startswith("sqlite") else s

    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
