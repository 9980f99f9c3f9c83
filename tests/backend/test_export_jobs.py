"""Export jobs and large exports against a committed database (SQLite and PostgreSQL), as the worker sees it: a
supervisor starts a job, the worker writes the file with a progress figure others read meanwhile, the download
link answers only its asker and expires (``export.link_expired``); the worker and ``export`` commands of the CLI;
memory that does not grow from 2,000 to 20,000 rows streamed as CSV and written as XLSX."""

import os
import subprocess
import sys
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from backend import migrate
from backend.audit.models import AuditEvent
from backend.auth import service as auth
from backend.auth.models import Role
from backend.checklists import service as checklists
from backend.checklists.models import PublishedChecklist
from backend.config import settings
from backend.db import AppSession, get_session, make_engine, utcnow
from backend.exports import csv_stream, datasets, jobs, service, xlsx
from backend.exports.filters import Filters
from backend.exports.models import ExportFile
from backend.inspections.models import Finding, FindingStatus, Inspection, InspectionChecklist, InspectionType
from backend.jobs import queue, registry
from backend.jobs.models import JobStatus
from backend.jobs.worker import JobContext, Worker
from backend.main import app
from tests.backend.conftest import fresh_url
from tests.backend.exportdata import user, xlsx_cells
from tests.backend.world import build_world

ROOT = Path(__file__).resolve().parents[2]
ROWS = 20_000
KEY = "general-administration"


@pytest.fixture(scope="module")
def db(db_kind: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    url = fresh_url(db_kind, request, "exportjobs", tmp_path_factory.mktemp(f"exportjobs-{db_kind}"))
    migrate.upgrade(url=url)
    eng = make_engine(url)
    with AppSession(eng, expire_on_commit=False) as s, s.begin():
        checklists.publish_dir(s, settings.checklists_dir, actor_id=None)
        world = build_world(s)
        stat = user(s, "stat@jobs.example", Role.statistician, [world.district.id])
        version = max(
            v for (v,) in s.execute(sa.select(PublishedChecklist.version).where(PublishedChecklist.key == KEY))
        )
        visit = Inspection(establishment_id=world.factory.id, district_id=world.district.id,
                           type=InspectionType.planned, lead_inspector_id=world.inspector.id,
                           created_by=world.inspector.id, visit_date=date(2026, 11, 2))  # fmt: skip
        s.add(visit)
        s.flush()
        s.add(InspectionChecklist(inspection_id=visit.id, checklist_key=KEY, checklist_version=version))
        s.flush()
        s.execute(sa.insert(Finding), [
            {"id": uuid.uuid4(), "inspection_id": visit.id, "checklist_key": KEY, "item_id": "ga.est.01" if i == 0
             else f"bulk.{i:06d}", "status": FindingStatus.non_compliant, "note": "=1+1" if i == 1 else f"note {i}",
             "workers_men": i % 7, "recorded_by": world.inspector.id, "evidence": [], "version": 1, "value": None,
             "workers_women": 0, "workers_under_18": 0, "recorded_at": utcnow()}
            for i in range(ROWS)])  # fmt: skip
    yield {"url": url, "engine": eng, "world": world, "statistician": stat, "visit": visit}
    eng.dispose()


@pytest.fixture
def api(db: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    eng: Engine = db["engine"]

    def _session() -> Iterator[Session]:
        with AppSession(eng, expire_on_commit=False) as s, s.begin():
            yield s

    monkeypatch.setattr(settings, "export_dir", tmp_path / "exports")
    monkeypatch.setitem(registry._handlers, jobs.KIND, jobs.run)
    app.dependency_overrides[get_session] = _session
    with TestClient(app) as client:

        def as_(u: Any) -> Any:
            token, _ = auth.issue_access_token(u)
            headers = {"Authorization": f"Bearer {token}"}
            return lambda method, url, **kw: client.request(method, f"/api/v1{url}", headers=headers, **kw)

        yield as_
    app.dependency_overrides.clear()


def test_a_job_writes_the_file_with_progress_and_only_its_asker_downloads_it(db, api, monkeypatch):
    eng, world = db["engine"], db["world"]
    sup, other = api(world.supervisor), api(world.admin)
    asked = {"org_unit_id": str(world.district.id), "checklist": KEY}
    r = sup("POST", "/exports/jobs", json={"dataset": "findings", "format": "xlsx", "filters": asked})
    assert r.status_code == 202, r.text
    job = r.json()
    assert (job["status"], job["progress"], job["download_url"]) == ("queued", 0, None)
    assert other("GET", f"/exports/jobs/{job['id']}").json()["code"] == "export.not_found"
    early = sup("GET", f"/exports/jobs/{job['id']}/download")
    assert early.status_code == 404 and early.json()["code"] == "export.not_ready"
    seen: list[tuple[int, int]] = []
    progress = JobContext.progress

    def watched(ctx: JobContext, percent: int) -> None:
        progress(ctx, percent)
        with AppSession(eng) as s:  # another reader sees it at once (SQLite: the reading job holds no lock)
            view = queue.get(s, ctx.job_id)
            assert view is not None
            seen.append((percent, view.progress))

    monkeypatch.setattr(JobContext, "progress", watched)
    assert Worker(eng).run(once=True) == 1
    assert len(seen) >= 10 and all(a == b for a, b in seen) and [a for a, _ in seen] == sorted({a for a, _ in seen})
    assert seen[0][0] > 0 and seen[-1][0] <= 99
    done = sup("GET", f"/exports/jobs/{job['id']}").json()
    assert (done["status"], done["progress"], done["rows"]) == ("done", 100, ROWS)
    assert done["download_url"] == f"/api/v1/exports/jobs/{job['id']}/download" and done["expired"] is False
    expires = done["expires_at"]
    got = sup("GET", done["download_url"].removeprefix("/api/v1"))
    assert got.status_code == 200 and got.headers["content-type"].startswith("application/vnd.openxmlformats")
    cells = xlsx_cells(got.content)
    assert len(cells) == ROWS + 1 and cells[0][0] == "finding_id"
    assert any("'=1+1" in row for row in cells)
    assert other("GET", done["download_url"].removeprefix("/api/v1")).json()["code"] == "export.not_found"
    assert datetime.fromisoformat(expires) - datetime.fromisoformat(done["finished_at"]) == timedelta(hours=24)
    # The link expires: the file is refused with a stable code, the state says so.
    with eng.begin() as c:
        c.execute(sa.update(ExportFile).where(ExportFile.id == uuid.UUID(job["id"])).values(
            expires_at=utcnow() - timedelta(seconds=1)))  # fmt: skip
    gone = sup("GET", done["download_url"].removeprefix("/api/v1"))
    assert gone.status_code == 410 and gone.json()["code"] == "export.link_expired"
    assert gone.headers["content-type"] == "application/problem+json"
    state = sup("GET", f"/exports/jobs/{job['id']}").json()
    assert state["expired"] is True and state["download_url"] is None
    with AppSession(eng) as s:
        assert jobs.sweep_expired(s, utcnow()) == 1
        actions = {e.action for e in s.exec(select(AuditEvent).where(AuditEvent.subject_id == "findings.xlsx"))}
    assert "export.findings_xlsx" in actions


def test_the_link_lasts_the_configured_hours_and_a_statistician_starts_jobs(db, api, monkeypatch):
    monkeypatch.setattr(settings, "export_link_ttl_hours", 2)
    stat = api(db["statistician"])
    # A streamed CSV leaves no transaction behind (it held SQLite's writer gate: the next request waited 30 s, 503).
    assert stat("GET", "/exports/inspections.csv").status_code == 200
    began = time.monotonic()
    r = stat("POST", "/exports/jobs", json={"dataset": "complaints", "format": "csv"})
    assert time.monotonic() - began < 10
    assert r.status_code == 202, r.text
    assert Worker(db["engine"]).run(once=True) == 1
    done = stat("GET", f"/exports/jobs/{r.json()['id']}").json()
    assert done["status"] == "done" and done["rows"] == 0
    span = datetime.fromisoformat(done["expires_at"]) - datetime.fromisoformat(done["finished_at"])
    assert span == timedelta(hours=2)
    body = stat("GET", f"/exports/jobs/{r.json()['id']}/download")
    assert body.status_code == 200 and body.content.startswith("\ufeff".encode())
    bad = stat("POST", "/exports/jobs", json={"dataset": "accidents", "filters": {"checklist": KEY}})
    assert bad.status_code == 422 and bad.json()["code"] == "export.filter_not_applicable"


def test_the_cli_worker_and_export_commands(db, tmp_path):
    env = {**os.environ, "LI_DATABASE_URL": db["url"], "LI_ENVIRONMENT": "test", "LI_EXPORT_DIR": str(tmp_path)}
    with AppSession(db["engine"], expire_on_commit=False) as s, s.begin():
        export = jobs.start(s, db["world"].supervisor, "findings", "csv", Filters(since=date(2026, 11, 1)))
    cmd = [sys.executable, "-m", "backend.cli", "worker", "--once"]
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    with AppSession(db["engine"]) as s:
        view = jobs.view(s, db["world"].supervisor, export.id)
    assert view.status == JobStatus.done and view.rows == ROWS and (tmp_path / f"{export.id}.csv").is_file()
    out = tmp_path / "findings.xlsx"
    cmd = [sys.executable, "-m", "backend.cli", "export", "findings", "--format", "xlsx", "--since", "2026-11-01",
           "--until", "2026-11-30", "--org-unit", "110101", "--out", str(out)]  # fmt: skip
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert f"{ROWS} rows of findings" in run.stdout and len(xlsx_cells(out.read_bytes())) == ROWS + 1
    cmd[-4:-2] = ["--org-unit", "310101"]
    run = subprocess.run([*cmd[:-1], str(tmp_path / "none.xlsx")], cwd=ROOT, env=env, capture_output=True, text=True)
    assert "0 rows of findings" in run.stdout
    bad = subprocess.run([sys.executable, "-m", "backend.cli", "export", "accidents", "--checklist", KEY, "--out",
                          str(tmp_path / "x.csv")], cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
    assert bad.returncode == 1 and "export.filter_not_applicable" in bad.stderr
    with AppSession(db["engine"]) as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "export.findings_xlsx")).all()
    assert any(e.details.get("console") is True and e.actor_id is None for e in events)


def _peaks(write: Any) -> tuple[int, int]:
    """tracemalloc's peak after 2,000 rows and after all of them."""
    marks: list[int] = []  # the peak at 2,000 rows, then at the end
    tracemalloc.start()
    try:
        write(lambda n: marks.append(tracemalloc.get_traced_memory()[1]) if n in (2000, ROWS) else None)
        marks.append(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()
    assert len(marks) == 3, marks  # ticked at 2,000 and 20,000 rows
    return marks[0], marks[-1]


def test_memory_does_not_grow_with_the_rows(db, tmp_path):
    sup = db["world"].supervisor
    f = Filters()
    with Session(jobs.reader(db["engine"])) as s:
        dataset = datasets.get("findings", f)

        def counted(tick: Any) -> Iterator[Any]:
            for n, row in enumerate(datasets.rows(s, sup, dataset, f), start=1):
                yield row
                tick(n)

        def csv_out(tick: Any) -> None:
            for _ in csv_stream.stream(dataset.header, counted(tick)):
                pass

        def xlsx_out(tick: Any) -> None:
            xlsx.write(tmp_path / "f.xlsx", "findings", dataset.header, datasets.rows(s, sup, dataset, f), tick)

        for name, write in (("csv", csv_out), ("xlsx", xlsx_out)):
            early, late = _peaks(write)
            assert late < early * 1.5 + 256 * 1024, (name, early, late)
        assert len(list(datasets.rows(s, sup, dataset, f))) == ROWS
    assert service.MEDIA["csv"].startswith("text/csv")
