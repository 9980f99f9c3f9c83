"""The real backend (uvicorn backend.main:app) on a throwaway SQLite database, serving pwa/dist at /.

Seeded with the backend tests' small world (tests/backend/world.py: the district inspector, establishments)
and the project's published checklists. Its sync endpoints may not exist yet; the tests here only rely on
sign-in, devices, users/me, checklists, establishments and static serving.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
INSPECTOR = "inspector@test.example"
PASSWORD = "correct horse battery"

SEED = """
from sqlmodel import Session
from backend import db, migrate
from backend.checklists import service as checklists
from backend.config import settings
from tests.backend.world import build_world
migrate.upgrade()
with Session(db.engine) as session, session.begin():
    checklists.publish_dir(session, settings.checklists_dir, actor_id=None)
    build_world(session)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_backend(tmp: Path, dist: Path) -> Iterator[str]:
    env = {
        **os.environ,
        "LI_ENVIRONMENT": "test",
        "LI_DATABASE_URL": f"sqlite:///{tmp}/e2e.db",
        "LI_ATTACHMENTS_DIR": str(tmp / "attachments"),
        "LI_SECRET_KEY": "e2e-secret-key-0123456789abcdef-0123456789",
        "LI_FIRST_ADMIN_EMAIL": "",
        "LI_FIRST_ADMIN_PASSWORD": "",
        "LI_DEMO_DATA": "false",
        "LI_PWA_DIR": str(dist),
        "LI_CHECKLISTS_DIR": str(ROOT / "checklists"),
        "PYTHONPATH": str(ROOT),
    }
    seed = subprocess.run([sys.executable, "-c", SEED], cwd=ROOT, env=env, capture_output=True, text=True)
    if seed.returncode:
        raise RuntimeError(f"seeding the backend failed:\n{seed.stderr[-3000:]}")
    port = _free_port()
    log = open(tmp / "uvicorn.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "backend.main:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start:\n{(tmp / 'uvicorn.log').read_text()[-3000:]}")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
