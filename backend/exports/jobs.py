"""Exports run by the worker (job kind ``exports.file``): ``start`` records the export and enqueues its job in the
caller's transaction; the job counts the rows, writes the file with a progress figure and sets when its download
link expires (``LI_EXPORT_LINK_TTL_HOURS``); ``view`` and ``download`` answer only the user who asked."""

import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, col

from backend.auth.models import Role, User
from backend.config import settings
from backend.db import utcnow
from backend.errors import Forbidden, Gone, NotFound
from backend.exports import datasets, service
from backend.exports.filters import Filters
from backend.exports.models import ExportFile
from backend.jobs import queue
from backend.jobs.models import Job, JobStatus
from backend.jobs.worker import JobContext

KIND = "exports.file"
READERS = (Role.supervisor, Role.admin, Role.statistician)


class ExportJobView(BaseModel):
    id: uuid.UUID
    dataset: str
    format: str
    filters: dict[str, Any]
    status: JobStatus
    progress: int
    rows: int | None
    bytes: int | None
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None
    expired: bool
    download_url: str | None
    error: str | None


def start(session: Session, user: User, name: str, fmt: service.Format, f: Filters) -> ExportFile:
    dataset = datasets.get(name, f)
    export = ExportFile(user_id=user.id, job_id=0, dataset=dataset.name, format=fmt, filters=f.model_dump(mode="json"))
    export.job_id = queue.enqueue(session, KIND, {"export_id": str(export.id)}, max_attempts=3)
    session.add(export)
    session.flush()
    service.audit(session, user, name, fmt, f, job=str(export.id))
    return export


def _mine(session: Session, user: User, export_id: uuid.UUID) -> tuple[ExportFile, Job]:
    export = session.get(ExportFile, export_id, populate_existing=True)
    if export is None or export.user_id != user.id:  # another user's export is not revealed
        raise NotFound("export.not_found", "No such export of yours.", id=str(export_id))
    job = session.get(Job, export.job_id, populate_existing=True)
    assert job is not None
    return export, job


def view(session: Session, user: User, export_id: uuid.UUID, now: datetime | None = None) -> ExportJobView:
    export, job = _mine(session, user, export_id)
    now = now or utcnow()
    expired = export.expires_at is not None and export.expires_at <= now
    done = job.status == JobStatus.done and export.file_name is not None
    return ExportJobView(
        id=export.id, dataset=export.dataset, format=export.format, filters=export.filters, status=job.status,
        progress=job.progress, rows=export.rows, bytes=export.bytes, created_at=export.created_at,
        finished_at=export.finished_at, expires_at=export.expires_at, expired=expired,
        download_url=f"/api/v1/exports/jobs/{export.id}/download" if done and not expired else None,
        error=job.last_error if job.status == JobStatus.failed else None,
    )  # fmt: skip


def download(session: Session, user: User, export_id: uuid.UUID, now: datetime | None = None) -> tuple[Path, str]:
    """The file of a finished export of ``user``'s and its download name; ``export.link_expired`` once expired."""
    export, job = _mine(session, user, export_id)
    if job.status != JobStatus.done or export.file_name is None:
        raise NotFound("export.not_ready", "The export is not written yet.", id=str(export_id), status=job.status)
    if export.expires_at is not None and export.expires_at <= (now or utcnow()):
        raise Gone("export.link_expired", "This export's download link has expired: start the export again.",
                   id=str(export_id), expired_at=export.expires_at.isoformat())  # fmt: skip
    path = settings.export_dir / export.file_name
    if not path.is_file():
        raise Gone("export.link_expired", "This export's file is no longer kept: start the export again.",
                   id=str(export_id))  # fmt: skip
    service.audit(session, user, export.dataset, export.format, Filters.model_validate(export.filters),
                  job=str(export.id), download=True)  # fmt: skip
    return path, f"{export.dataset}.{export.format}"


def reader(engine: Engine) -> Engine:
    return service.reader(engine)


def run(ctx: JobContext) -> None:
    """The job: read in a session of its own (nothing written), report progress, then record the file in the
    job's transaction (it commits with the job's completion)."""
    export_id = uuid.UUID(str(ctx.payload["export_id"]))
    settings.export_dir.mkdir(parents=True, exist_ok=True)
    with Session(reader(ctx.worker.engine)) as read:
        export = read.get(ExportFile, export_id)
        if export is None:
            return  # the export's transaction rolled back after all: nothing to write
        user = read.get(User, export.user_id)
        if user is None or not user.active or user.role not in READERS:
            raise Forbidden("auth.role_required", "The user who asked for this export may no longer export.")
        f = Filters.model_validate(export.filters)
        dataset = datasets.get(export.dataset, f)
        total = datasets.count(read, user, dataset, f)
        name = f"{export.id}.{export.format}"
        partial = settings.export_dir / f".{name}.{ctx.attempt}.part"
        last = [0]

        def tick(done: int) -> None:
            percent = min(99, done * 100 // max(total, 1))
            if percent > last[0]:
                last[0] = percent
                ctx.progress(percent)

        fmt: service.Format = "xlsx" if export.format == "xlsx" else "csv"
        rows = service.write(read, user, dataset, f, fmt, partial, tick)
    os.replace(partial, settings.export_dir / name)
    finished = ctx.now()
    row = ctx.session.get(ExportFile, export_id)
    assert row is not None
    row.file_name, row.rows, row.bytes = name, rows, (settings.export_dir / name).stat().st_size
    row.finished_at = finished
    row.expires_at = finished + timedelta(hours=settings.export_link_ttl_hours)
    ctx.session.add(row)
    ctx.session.flush()


def sweep_expired(session: Session, now: datetime) -> int:
    """Delete the files whose link expired (the rows stay: the export was made, the audit trail says by whom)."""
    gone = 0
    stmt = sa.select(ExportFile).where(col(ExportFile.expires_at) <= now, col(ExportFile.file_name).is_not(None))
    for export in session.execute(stmt).scalars():
        path = settings.export_dir / str(export.file_name)
        if path.is_file():
            path.unlink()
            gone += 1
    return gone
