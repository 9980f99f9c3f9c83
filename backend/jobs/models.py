"""The job table: one row per job, its state, its lease (with a fencing token) and its progress."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index
from sqlmodel import Field, SQLModel

from backend.db import UTCDateTime, enum_column, utcnow


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class Job(SQLModel, table=True):
    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint("status IN ('queued','running','done','failed')", name="status"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
        Index("ix_job_status_run_at", "status", "run_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: JobStatus = Field(default=JobStatus.queued, sa_type=enum_column(JobStatus))
    run_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # At most one job per key, ever (a daily job's key is its kind and local date).
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)
    attempts: int = 0
    max_attempts: int = 5
    # Incremented at every claim: only the holder of the current token may report progress or finish the job.
    lease_token: int = 0
    leased_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    worker: str | None = Field(default=None, max_length=100)
    progress: int = 0
    last_error: str | None = Field(default=None, max_length=4000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
