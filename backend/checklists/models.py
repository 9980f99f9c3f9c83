"""Published checklist versions: immutable rows keyed by (key, version) with their content hash."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.db import UTCDateTime, utcnow, uuid7
from backend.fields import Counter


class PublishedChecklist(SQLModel, table=True):
    __tablename__ = "checklist_version"
    __table_args__ = (UniqueConstraint("key", "version", name="uq_checklist_version_key_version"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    key: str = Field(max_length=64, index=True)
    version: int = Field(sa_type=Counter)
    sha256: str = Field(max_length=64)
    title_en: str = Field(max_length=300)
    title_zh: str = Field(max_length=300)
    item_count: int
    definition: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    published_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Title(SQLModel):
    en: str
    zh: str


class ChecklistSummary(SQLModel):
    key: str
    version: int
    title: Title
    sha256: str
    item_count: int
    published_at: datetime


class ChecklistPublic(ChecklistSummary):
    definition: dict[str, Any]
