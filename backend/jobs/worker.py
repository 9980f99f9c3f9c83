"""Claiming and running jobs. A claim takes a lease and a new fencing token in one short transaction
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL; on SQLite the one writer, ``BEGIN IMMEDIATE``); the handler's writes
and the job's completion commit together, only if the token is still the job's — so a job whose worker died is
claimed again when its lease expires, and is never completed twice."""

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from backend.config import settings
from backend.db import AppSession, table_of, utcnow
from backend.jobs import queue, registry
from backend.jobs.models import Job, JobStatus

log = logging.getLogger("backend.jobs")
Clock = Callable[[], datetime]
RETRY_BASE_SECONDS = 30  # a failed attempt waits 30 s, 60 s, 120 s, ... before the next


class LeaseLost(Exception):
    """Another worker holds the job now (this worker's lease expired and it was claimed again)."""


@dataclass
class Claim:
    id: int
    kind: str
    payload: dict[str, Any]
    token: int
    attempt: int


@dataclass
class JobContext:
    """What a handler is given. ``session`` is the transaction that commits with the job's completion (opened on
    first use; on SQLite it holds the one writer, so keep it for the end of a long job). ``progress`` reports
    0-100 and renews the lease; it raises ``LeaseLost`` when the job was taken over."""

    worker: "Worker"
    claim: Claim
    _session: AppSession | None = field(default=None, repr=False)

    @property
    def job_id(self) -> int:
        return self.claim.id

    @property
    def payload(self) -> dict[str, Any]:
        return self.claim.payload

    @property
    def attempt(self) -> int:
        return self.claim.attempt

    def now(self) -> datetime:
        return self.worker.clock()

    @property
    def session(self) -> AppSession:
        if self._session is None:
            self._session = AppSession(self.worker.engine, expire_on_commit=False)
            self._session.begin()
        return self._session

    def progress(self, percent: int) -> None:
        percent = max(0, min(100, int(percent)))
        if self._session is not None:  # the job's own transaction holds the writer: report through it
            self.worker.fenced(self._session, self.claim, progress=percent, leased_until=self.worker.lease_end())
            return
        with AppSession(self.worker.engine) as s, s.begin():
            self.worker.fenced(s, self.claim, progress=percent, leased_until=self.worker.lease_end())


class Worker:
    def __init__(self, engine: Engine, clock: Clock = utcnow, lease_seconds: float = 300, name: str | None = None):
        self.engine = engine
        self.clock = clock
        self.lease = timedelta(seconds=lease_seconds)
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self._scheduled: set[str] = set()

    def lease_end(self) -> datetime:
        return self.clock() + self.lease

    # --- daily jobs ------------------------------------------------------------------------------------------

    def schedule_daily(self) -> None:
        """Enqueue each daily kind's job for the latest local day whose time has come (today's once its time
        passed, else yesterday's: a day the worker missed is caught up once). The dedupe key makes it once a day
        across any number of workers."""
        zone = ZoneInfo(settings.default_timezone)
        local = self.clock().astimezone(zone)
        for daily in registry.daily_jobs():
            day = local.date() if local.time().replace(tzinfo=None) >= daily.at else local.date() - timedelta(1)
            key = f"daily:{daily.kind}:{day.isoformat()}"
            if key in self._scheduled:
                continue
            at = datetime.combine(day, daily.at, tzinfo=zone)
            with AppSession(self.engine) as s, s.begin():
                queue.enqueue(s, daily.kind, {"day": day.isoformat()}, run_at=at, dedupe_key=key)
            self._scheduled.add(key)

    # --- claiming --------------------------------------------------------------------------------------------

    def claim(self) -> Claim | None:
        """Take the next due job (or one whose lease expired) with a new fencing token, or None."""
        job = table_of(Job)
        with AppSession(self.engine) as s, s.begin():
            now = self.clock()
            due = (job.c.status == JobStatus.queued.value) & (job.c.run_at <= now)
            expired = (job.c.status == JobStatus.running.value) & (job.c.leased_until < now)
            stmt = select(job.c.id, job.c.attempts, job.c.max_attempts).where(due | expired)
            stmt = stmt.order_by(job.c.run_at, job.c.id).limit(1)
            if s.get_bind().dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            while (row := s.execute(stmt).first()) is not None:
                if row.attempts < row.max_attempts:
                    break
                # Its worker died holding it max_attempts times: give up on it rather than crash forever.
                s.execute(update(job).where(job.c.id == row.id).values(
                    status=JobStatus.failed.value, finished_at=now, leased_until=None,
                    last_error=f"lease expired after {row.attempts} attempts (worker killed or stuck)"))  # fmt: skip
            if row is None:
                return None
            claimed = s.execute(
                update(job)
                .where(job.c.id == row.id)
                .values(
                    status=JobStatus.running.value,
                    lease_token=job.c.lease_token + 1,
                    attempts=job.c.attempts + 1,
                    leased_until=now + self.lease,
                    worker=self.name,
                )
                .returning(job.c.id, job.c.kind, job.c.payload, job.c.lease_token, job.c.attempts)
            ).one()
        return Claim(claimed.id, claimed.kind, dict(claimed.payload), claimed.lease_token, claimed.attempts)

    def fenced(self, session: AppSession, claim: Claim, **values: Any) -> None:
        """Update the job only if ``claim`` still holds it; else ``LeaseLost`` (the transaction must roll back)."""
        job = table_of(Job)
        result = session.execute(
            update(job)
            .where(job.c.id == claim.id, job.c.lease_token == claim.token, job.c.status == JobStatus.running.value)
            .values(**values)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise LeaseLost(f"job {claim.id} was taken over (token {claim.token} is stale)")

    # --- running ---------------------------------------------------------------------------------------------

    def run_one(self) -> bool:
        """Claim and run one job; whether there was one."""
        claim = self.claim()
        if claim is None:
            return False
        handler = registry.handler_for(claim.kind)
        if handler is None:  # a newer app's kind this worker does not know: leave it to one that does
            with AppSession(self.engine) as s, s.begin():
                self.fenced(s, claim, status=JobStatus.queued.value, leased_until=None,
                            run_at=self.clock() + timedelta(seconds=60), attempts=claim.attempt - 1)  # fmt: skip
            log.warning("job %s: no handler for kind %s in this worker", claim.id, claim.kind)
            return True
        ctx = JobContext(self, claim)
        try:
            handler(ctx)
            session = ctx.session
            self.fenced(session, claim, status=JobStatus.done.value, progress=100, finished_at=self.clock(),
                        leased_until=None, last_error=None)  # fmt: skip
            session.commit()
            log.info("job %s (%s) done, attempt %s", claim.id, claim.kind, claim.attempt)
        except LeaseLost as lost:
            log.warning("%s: its work is rolled back", lost)
        except Exception as exc:  # the handler failed: retry later, or give up after max_attempts
            if ctx._session is not None:
                ctx._session.rollback()
            self._failed(claim, exc)
        finally:
            if ctx._session is not None:
                ctx._session.close()
        return True

    def _failed(self, claim: Claim, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"[:4000]
        job = table_of(Job)
        try:
            with AppSession(self.engine) as s, s.begin():
                limit = s.execute(select(job.c.max_attempts).where(job.c.id == claim.id)).scalar_one()
                now = self.clock()
                if claim.attempt >= limit:
                    self.fenced(s, claim, status=JobStatus.failed.value, finished_at=now, leased_until=None,
                                last_error=error)  # fmt: skip
                else:
                    delay = timedelta(seconds=RETRY_BASE_SECONDS * 2 ** (claim.attempt - 1))
                    self.fenced(s, claim, status=JobStatus.queued.value, run_at=now + delay, leased_until=None,
                                last_error=error)  # fmt: skip
        except LeaseLost:
            pass
        log.exception("job %s (%s) attempt %s failed", claim.id, claim.kind, claim.attempt, exc_info=exc)

    def run(self, *, once: bool = False, poll_seconds: float = 1.0, stop: threading.Event | None = None) -> int:
        """Run jobs until ``stop`` is set (the job in hand finishes first); with ``once``, until none is due.
        Returns how many jobs were run."""
        stop = stop or threading.Event()
        count = 0
        while not stop.is_set():
            try:
                self.schedule_daily()
                ran = self.run_one()
            except (OperationalError, IntegrityError) as exc:  # the database restarting, or locked for long
                log.warning("worker: database unavailable (%s); retrying", exc)
                ran = False
            count += ran
            if once and not ran:
                break
            if not ran:
                stop.wait(poll_seconds)
        return count
