"""Device sync tables: per-device acknowledged seq, consumed mutations, the global change counter and the
protocol-shaped rows (header, findings with per-field versions, notes, photos, conflicts …) devices pull.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.db import UTCDateTime, utcnow
from backend.fields import Counter


class DeviceSyncState(SQLModel, table=True):
    """The highest mutation seq consumed from each device."""

    __tablename__ = "device_sync_state"

    device_id: uuid.UUID = Field(foreign_key="device.id", primary_key=True, ondelete="CASCADE")
    last_seq: int = Field(default=0, sa_type=Counter)


class AppliedMutation(SQLModel, table=True):
    """One row per consumed mutation with its stored outcome: the idempotency record."""

    __tablename__ = "applied_mutation"
    __table_args__ = (UniqueConstraint("device_id", "seq", name="uq_applied_mutation_device_seq"),)

    mutation_id: uuid.UUID = Field(primary_key=True)
    device_id: uuid.UUID = Field(foreign_key="device.id", index=True)
    seq: int = Field(sa_type=Counter)
    name: str = Field(max_length=64)
    v: int = Field(sa_type=Counter)
    fingerprint: str = Field(max_length=64)
    outcome: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SyncCounter(SQLModel, table=True):
    """The single row holding the global change version (row-locked by every writing transaction)."""

    __tablename__ = "sync_counter"

    id: int = Field(primary_key=True)
    version: int = Field(default=0, sa_type=Counter)


class SyncRecord(SQLModel, table=True):
    """The current protocol-shaped ``data`` of one pulled ``(entity, key)``, at the version of its last write.

    Its scope: an inspection's team (``inspection_id``), one user (``owner_id``), the staff of a district
    (``district_id``: establishments), or — all three empty — every device (published checklists)."""

    __tablename__ = "sync_record"
    # An inspection's rows of some entities (a push reads them ahead for up to 200 inspections at once): without
    # ``entity`` in the index, SQLite answers ``entity IN (..) AND inspection_id IN (..)`` by walking every row
    # of those entities through the primary key, a cost that grew with every finding ever recorded.
    __table_args__ = (Index("ix_sync_record_inspection_entity", "inspection_id", "entity"),)

    entity: str = Field(max_length=32, primary_key=True)
    key: str = Field(max_length=160, primary_key=True)
    inspection_id: uuid.UUID | None = Field(default=None)
    owner_id: uuid.UUID | None = Field(default=None, index=True)
    district_id: uuid.UUID | None = Field(default=None, index=True, description="reference data of a district")
    version: int = Field(unique=True, sa_type=Counter)
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
