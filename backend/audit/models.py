"""Audit event rows and the chain head that makes deleting the newest event detectable."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from backend.db import UTCDateTime, utcnow
from backend.fields import Counter


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True, sa_type=Counter)
    seq: int = Field(unique=True, index=True, sa_type=Counter, description="Gapless chain position, from 1")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor_id: uuid.UUID | None = Field(default=None, index=True)
    action: str = Field(max_length=64, index=True)
    subject_type: str = Field(max_length=64)
    subject_id: str = Field(max_length=64, index=True)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
    hash_version: int = Field(
        default=2, description="The encoding its hash covers: 1 the old sorted json.dumps, 2 canonical JSON (JCS)"
    )


class AuditHead(SQLModel, table=True):
    """One row: the newest event's seq and hash, updated with every append."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = Field(default=0, sa_type=Counter)
    hash: str = Field(max_length=64, default="0" * 64)
