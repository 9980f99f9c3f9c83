"""The real backend (uvicorn backend.main:app) on a throwaway SQLite database, serving pwa/dist at /.

Seeded with the backend tests' small world (tests/backend/world.py: the district inspector, establishments)
and the project's published checklists. Its sync endpoints may not exist yet; the tests here only rely on
sign-in, devices, users/me, checklists, establishments and static serving.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e import flows
from tests.e2e.conftest import PORTRAIT
from tests.e2e.flows import OUTBOX_EMPTY, SYNCED, wait_for_service_worker, wait_until
from tests.seedcache import seed_database

ROOT = Path(__file__).resolve().parents[2]
INSPECTOR = "inspector@test.example"
PASSWORD = "correct horse battery"
CHECKLIST = "General administration, records and notices"
ESTABLISHMENT = "Riverside Garments"
NON_COMPLIANT = "ga.reg.01"

SEED = """
from sqlmodel import Session
from backend.db import AppSession
from backend import db, migrate
from backend.checklists import service as checklists
from backend.config import settings
from tests.backend.world import build_world
migrate.upgrade()
with AppSession(db.engine) as session, session.begin():
    checklists.publish_dir(session, settings.checklists_dir, actor_id=None)
    build_world(session)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_backend(tmp: Path, dist: Path, settings: dict[str, str] | None = None) -> Iterator[str]:
    """Seed and serve the backend; ``settings`` adds or overrides ``LI_*`` variables."""
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
        **(settings or {}),
    }
    seed_database(SEED, [], env, ROOT)
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
        deadline = time.monotonic() + 60  # importing the app takes > 20 s on a loaded 2-core machine
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


def db_rows(db: Path, sql: str, *args: object) -> list[tuple]:
    """Read the backend's SQLite database directly (read-only), to check what the server holds."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        return conn.execute(sql, args).fetchall()


def tablet(
    browser: Browser, url: str, viewport: dict[str, int] = PORTRAIT, timezone_id: str = "Asia/Shanghai"
) -> BrowserContext:
    """A fresh tablet (browser context) at a worksite in Beijing with GPS, served by ``url``; its clock is in
    Beijing's time zone, as the backend's default (it dates a visit with its local date)."""
    context = browser.new_context(
        base_url=url,
        viewport=viewport,
        timezone_id=timezone_id,
        geolocation={"latitude": 39.9, "longitude": 116.4, "accuracy": 20},
        permissions=["geolocation"],
        locale="en-GB",
        service_workers="allow",
    )
    context.set_default_timeout(15_000)
    return context


def register(page: Page) -> str:
    """Sign in as the district inspector and register this tablet; returns its device id once synced."""
    page.goto("/")
    page.get_by_label("E-mail").fill(INSPECTOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Register this tablet").click()
    expect(page.get_by_role("heading", name="Hello, Inspector")).to_be_visible()
    wait_for_service_worker(page)
    wait_until(page, SYNCED)
    wait_until(page, OUTBOX_EMPTY)
    [row] = [r for r in page.evaluate("window.__li.dump('meta')") if r["key"] == "device"]
    return row["value"]["id"]


def start_inspection(page: Page) -> tuple[str, list[str]]:
    """Start an inspection of ``ESTABLISHMENT`` with ``CHECKLIST``; returns its id and the items shown."""
    inspection_id = flows.start_inspection(page, ESTABLISHMENT, CHECKLIST)
    cards = page.get_by_test_id("item-card")
    return inspection_id, [str(cards.nth(i).get_attribute("data-item")) for i in range(cards.count())]
