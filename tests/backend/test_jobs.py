"""The durable job worker (backend/jobs), on SQLite and PostgreSQL: a worker SIGKILLed mid-job (the job is
retried and completes once), a stale worker's completion refused by the fencing token, two workers never running
the same job, retries, progress by id, queue depth, and daily jobs scheduled once a day under a controlled clock."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from backend import migrate
from backend.db import AppSession, make_engine
from backend.jobs import queue, registry
from backend.jobs.models import JobStatus
from backend.jobs.worker import JobContext, Worker
from tests.backend import jobkinds
from tests.backend.conftest import fresh_url

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai


@pytest.fixture(scope="module")
def jobs_db(db_kind: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = fresh_url(db_kind, request, "jobs", tmp_path_factory.mktemp(f"jobs-{db_kind}"))
    migrate.upgrade(url=url)
    eng = make_engine(url)
    with eng.begin() as c:
        c.execute(text(jobkinds.EFFECT_TABLE))
    eng.dispose()
    yield url


@pytest.fixture
def eng(jobs_db: str) -> Iterator[Engine]:
    e = make_engine(jobs_db)
    with e.begin() as c:
        c.execute(text("DELETE FROM job_effect"))
        c.execute(text("DELETE FROM job"))
    yield e
    e.dispose()


def _enqueue(e: Engine, kind: str, payload: dict | None = None, **kw) -> int:
    with AppSession(e) as s, s.begin():
        return queue.enqueue(s, kind, payload, **kw)


def _job(e: Engine, job_id: int) -> queue.JobView:
    with AppSession(e) as s:
        view = queue.get(s, job_id)
    assert view is not None
    return view


def _effects(e: Engine) -> list[tuple[int, int, str]]:
    with e.connect() as c:
        return [tuple(r) for r in c.execute(text("SELECT job_id, token, kind FROM job_effect ORDER BY job_id"))]


def test_enqueue_run_progress_depth_and_dedupe(eng: Engine) -> None:
    first = _enqueue(eng, "test.effect", {"n": 1}, run_at=T0, dedupe_key="k1")
    assert _enqueue(eng, "test.effect", {"n": 2}, dedupe_key="k1") == first
    later = _enqueue(eng, "test.effect", run_at=T0 + timedelta(hours=1))
    with AppSession(eng) as s:
        assert queue.depth(s, now=T0) == 1
        assert queue.depth(s, now=T0 + timedelta(hours=2)) == 2
        assert queue.get(s, 10**6) is None
    assert _job(eng, first).progress == 0
    assert Worker(eng, clock=lambda: T0).run(once=True) == 1
    view = _job(eng, first)
    assert (view.status, view.progress, view.attempts) == (JobStatus.done, 100, 1)
    assert _job(eng, later).status == JobStatus.queued  # not due yet
    assert _effects(eng) == [(first, 1, "test.effect")]


def test_failed_attempt_is_retried_later(eng: Engine) -> None:
    job = _enqueue(eng, "test.fail_once", run_at=T0)
    assert Worker(eng, clock=lambda: T0).run(once=True) == 1
    view = _job(eng, job)
    assert view.status == JobStatus.queued and view.attempts == 1 and "first attempt fails" in (view.last_error or "")
    assert Worker(eng, clock=lambda: T0 + timedelta(seconds=10)).run(once=True) == 0  # backing off
    assert Worker(eng, clock=lambda: T0 + timedelta(minutes=5)).run(once=True) == 1
    assert _job(eng, job).status == JobStatus.done
    assert _effects(eng) == [(job, 2, "test.fail_once")]


def test_gives_up_after_max_attempts(eng: Engine) -> None:
    job = _enqueue(eng, "test.fail_once", run_at=T0, max_attempts=1)
    Worker(eng, clock=lambda: T0).run(once=True)
    view = _job(eng, job)
    assert view.status == JobStatus.failed and view.finished_at is not None
    assert _effects(eng) == []


def test_worker_killed_mid_job_is_retried_and_completes_once(eng: Engine, jobs_db: str) -> None:
    job = _enqueue(eng, "test.slow", {"sleep": 120}, run_at=T0)
    env = {**os.environ, "LI_DATABASE_URL": jobs_db, "LI_ENVIRONMENT": "test"}
    cmd = [sys.executable, "-m", "backend.cli", "worker", "--once", "--module", "tests.backend.jobkinds",
           "--lease-seconds", "30", "--now", T0.isoformat()]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while _job(eng, job).progress != 10:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            assert time.monotonic() < deadline, "the worker never started the job"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    view = _job(eng, job)
    assert (view.status, view.attempts) == (JobStatus.running, 1)
    # Within its lease nobody takes it; after, another worker does, and it completes once.
    assert Worker(eng, clock=lambda: T0 + timedelta(seconds=20)).run(once=True) == 0
    assert Worker(eng, clock=lambda: T0 + timedelta(seconds=31)).run(once=True) == 1
    view = _job(eng, job)
    assert (view.status, view.attempts, view.progress) == (JobStatus.done, 2, 100)
    assert _effects(eng) == [(job, 2, "test.slow")]
    assert Worker(eng, clock=lambda: T0 + timedelta(days=1)).run(once=True) == 0


def test_stale_worker_cannot_complete_a_job_taken_over(
    eng: Engine, jobs_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that stalled past its lease finishes its handler after another worker completed the job: its
    completion and its writes are refused (the fencing token moved), so the job's effect exists once."""
    job = _enqueue(eng, "test.zombie", run_at=T0)
    other = make_engine(jobs_db)

    def zombie(ctx: JobContext) -> None:
        if ctx.attempt == 1:  # stalls: meanwhile its lease expires and another worker runs the job to the end
            assert Worker(other, clock=lambda: T0 + timedelta(hours=1)).run(once=True) == 1
        jobkinds.record(ctx)

    monkeypatch.setitem(registry._handlers, "test.zombie", zombie)
    try:
        assert Worker(eng, clock=lambda: T0, lease_seconds=60).run(once=True) == 1
    finally:
        other.dispose()
    view = _job(eng, job)
    assert (view.status, view.attempts) == (JobStatus.done, 2)
    assert _effects(eng) == [(job, 2, "test.zombie")]


def test_two_workers_never_take_the_same_job(eng: Engine, jobs_db: str) -> None:
    ids = {_enqueue(eng, "test.effect", {"i": i}, run_at=T0) for i in range(60)}
    engines = [make_engine(jobs_db) for _ in range(2)]
    counts: list[int] = []
    try:
        threads = [
            threading.Thread(target=lambda e=e: counts.append(Worker(e, clock=lambda: T0).run(once=True)))
            for e in engines
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        for e in engines:
            e.dispose()
    assert sum(counts) == 60
    effects = _effects(eng)
    assert sorted(j for j, _, _ in effects) == sorted(ids)  # each job's effect exactly once
    assert all(token == 1 for _, token, _ in effects)
    assert {_job(eng, j).status for j in ids} == {JobStatus.done}


def test_daily_job_once_per_day_with_controlled_clock(eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []

    def daily(ctx: JobContext) -> None:
        ran.append(ctx.payload["day"])

    monkeypatch.setitem(registry._handlers, "test.daily", daily)
    monkeypatch.setattr(registry, "_daily", {})
    registry.register_daily("test.daily", clock_time(6, 0))

    def at(local: str) -> datetime:  # a local time in Asia/Shanghai (UTC+8)
        return datetime.fromisoformat(local + "+08:00")

    Worker(eng, clock=lambda: at("2026-12-01T07:00")).run(once=True)
    assert ran == ["2026-12-01"]
    for moment in ("2026-12-01T07:30", "2026-12-01T23:59", "2026-12-02T05:59"):  # new workers each time
        Worker(eng, clock=lambda m=moment: at(m)).run(once=True)
    assert ran == ["2026-12-01"]
    two = [Worker(eng, clock=lambda: at("2026-12-02T06:00")) for _ in range(2)]
    for w in two:
        w.run(once=True)
    assert ran == ["2026-12-01", "2026-12-02"]
    # Down on the 3rd and the 4th until 05:00: the 3rd is caught up once, the 4th runs at its time.
    Worker(eng, clock=lambda: at("2026-12-04T05:00")).run(once=True)
    Worker(eng, clock=lambda: at("2026-12-04T06:01")).run(once=True)
    assert ran == ["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"]
