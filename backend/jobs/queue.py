"""Putting jobs in the queue and reading them back: ``enqueue``, ``get`` (state and progress by id), ``depth``."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from backend.db import table_of, utcnow
from backend.jobs.models import Job, JobStatus


class JobView(BaseModel):
    id: int
    kind: str
    status: JobStatus
    progress: int
    attempts: int
    run_at: datetime
    finished_at: datetime | None
    last_error: str | None


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any] | None = None,
    run_at: datetime | None = None,
    dedupe_key: str | None = None,
    max_attempts: int = 5,
) -> int:
    """Add a job in the caller's transaction (it runs only if that commits) and return its id. With a
    ``dedupe_key`` a job already enqueued under that key (whatever its state) is returned instead, also when a
    concurrent transaction takes the key first."""
    values = {
        "kind": kind,
        "payload": payload or {},
        "status": JobStatus.queued.value,
        "run_at": run_at or utcnow(),
        "dedupe_key": dedupe_key,
        "max_attempts": max_attempts,
        "attempts": 0,
        "lease_token": 0,
        "progress": 0,
        "created_at": utcnow(),
    }
    table = table_of(Job)
    if dedupe_key is None:
        return int(session.execute(table.insert().values(**values).returning(table.c.id)).scalar_one())
    dialect = session.get_bind().dialect.name
    insert = pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)
    stmt = insert.values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(table.c.id)
    new_id = session.execute(stmt).scalar()
    if new_id is not None:
        return int(new_id)
    return int(session.execute(select(table.c.id).where(table.c.dedupe_key == dedupe_key)).scalar_one())


def get(session: Session, job_id: int) -> JobView | None:
    """A job's state and progress (0-100), or None if there is no such job."""
    job = session.get(Job, job_id, populate_existing=True)
    if job is None or job.id is None:
        return None
    return JobView(
        id=job.id,
        kind=job.kind,
        status=job.status,
        progress=job.progress,
        attempts=job.attempts,
        run_at=job.run_at,
        finished_at=job.finished_at,
        last_error=job.last_error,
    )


def depth(session: Session, now: datetime | None = None) -> int:
    """Jobs due and not finished (queued and due, or running): the queue depth metrics report."""
    table = table_of(Job)
    moment = now or utcnow()
    due = (table.c.status == JobStatus.queued.value) & (table.c.run_at <= moment)
    stmt = select(func.count()).select_from(table).where(due | (table.c.status == JobStatus.running.value))
    return int(session.execute(stmt).scalar_one())
