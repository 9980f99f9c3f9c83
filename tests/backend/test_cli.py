"""The admin commands run as a user would run them: a real process against a fresh database."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from conftest import fresh_url
from sqlalchemy import text
from world import build_world, uscc

from backend import migrate
from backend.checklists import service as checklists
from backend.config import settings
from backend.db import AppSession, make_engine
from backend.enforcement import service as enforcement
from backend.enforcement.models import ActionCreate, Measure
from backend.inspections import service as inspections
from backend.inspections.models import InspectionType
from backend.inspections.schemas import InspectionCreate, PinnedChecklist


@pytest.fixture
def fresh_db(db_kind, request, tmp_path):
    return fresh_url(db_kind, request, f"cli_{tmp_path.name[-20:].replace('-', '_').lower()}", tmp_path)


def cli(url, *args, env=None, check=True):
    environ = os.environ | {"LI_DATABASE_URL": url} | (env or {})
    result = subprocess.run(
        [sys.executable, "-m", "backend.cli", *args], capture_output=True, text=True, env=environ, timeout=300
    )
    if check and result.returncode != 0:
        raise AssertionError(f"cli {args} failed:\n{result.stdout}\n{result.stderr}")
    return result


def count(url, table):
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


def test_prestart_creates_first_admin_then_demo_and_is_repeatable(fresh_db):
    env = {"LI_FIRST_ADMIN_EMAIL": "chief@ministry.example", "LI_FIRST_ADMIN_PASSWORD": "a-long-admin-password"}
    first = cli(fresh_db, "prestart", "--demo", env=env)
    assert "created the first admin chief@ministry.example" in first.stdout
    assert "Demo accounts" in first.stdout and "inspector.gulou@demo.example" in first.stdout
    assert "admin@demo.example" not in first.stdout  # the configured admin is the admin
    assert count(fresh_db, "establishment") == 200
    assert count(fresh_db, "inspection") >= 24
    users = count(fresh_db, "user_account")
    second = cli(fresh_db, "prestart", "--demo", env=env)
    assert "Demo accounts" not in second.stdout and "nothing loaded" in second.stdout
    assert count(fresh_db, "user_account") == users
    assert cli(fresh_db, "audit-verify").stdout.strip() == "audit chain intact"


def test_audit_verify_detects_tampering(fresh_db):
    cli(
        fresh_db,
        "prestart",
        "--no-demo",
        env={"LI_FIRST_ADMIN_EMAIL": "a@x.example", "LI_FIRST_ADMIN_PASSWORD": "a-long-admin-password"},
    )
    engine = make_engine(fresh_db)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET details = '{}' WHERE seq = 1"))
    engine.dispose()
    result = cli(fresh_db, "audit-verify", check=False)
    assert result.returncode == 1
    assert "audit chain broken at seq 1" in result.stderr


def test_import_establishments_all_or_nothing(fresh_db, tmp_path):
    cli(fresh_db, "prestart", "--demo")
    before = count(fresh_db, "establishment")
    csv = tmp_path / "registry.csv"
    csv.write_text(
        "name,registration_number,district_code,isic,workers_total\n"
        f"Good Mill,{uscc(7001, '350102')},350102,1311,30\n"
        "Bad Mill,91350100M000100Y44,350102,1311,30\n",
        "utf-8",
    )
    refused = cli(fresh_db, "import-establishments", str(csv), check=False)
    assert refused.returncode == 1
    assert "import.invalid_rows" in refused.stderr and "'row': 3" in refused.stderr
    assert count(fresh_db, "establishment") == before
    done = cli(fresh_db, "import-establishments", str(csv), "--skip-invalid")
    assert "imported 1 establishments, skipped 1 rows" in done.stdout
    assert count(fresh_db, "establishment") == before + 1


def _late_order(url):
    """A fresh database with the test world and one order to rectify whose deadline passed 26 days ago."""
    migrate.upgrade(url=url)
    engine = make_engine(url)
    try:
        with AppSession(engine, expire_on_commit=False) as session, session.begin():
            checklists.publish_dir(session, settings.checklists_dir, actor_id=None)
            world = build_world(session)
            published = next(c for c in checklists.list_published(session) if c.key == "general-administration")
            visit = inspections.create(
                session,
                world.inspector,
                InspectionCreate(
                    establishment_id=world.factory.id,
                    type=InspectionType.planned,
                    checklists=[PinnedChecklist(key=published.key, version=published.version)],
                    started_at=datetime.now(UTC) - timedelta(days=40),
                ),
            )
            order = ActionCreate(measure=Measure.order_to_rectify, item_id="ga.est.01", deadline_days=14)
            return enforcement.record(session, world.inspector, visit, order).id
    finally:
        engine.dispose()


def _action_row(url, action_id):
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            stmt = text("SELECT version, data FROM sync_record WHERE entity = 'action' AND key = :key")
            version, data = conn.execute(stmt, {"key": str(action_id)}).one()
            return version, json.loads(data) if isinstance(data, str) else data
    finally:
        engine.dispose()


def test_every_command_process_installs_the_device_feed(fresh_db):
    """The worker's sweeps and follow-up scheduling run in a CLI process: without the feed listener their
    changes would never reach the tablets' pull. The sweep, run as its own process, writes the overdue order's
    row that tablets pull, at a newer version."""
    action_id = _late_order(fresh_db)
    before, data = _action_row(fresh_db, action_id)
    assert data["status"] == "open"
    assert cli(fresh_db, "enforcement-sweep").stdout.startswith("1 overdue")
    after, data = _action_row(fresh_db, action_id)
    assert after > before
    assert data["status"] == "overdue"
