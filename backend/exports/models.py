"""The ``export_file`` table: an export run as a worker job (its dataset, format, filters, who asked) and, once
written, the file, its row count and size, and when its download link expires. Its state is its job's."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column
from sqlmodel import Field, SQLModel

from backend.db import UTCDateTime, utcnow, uuid7


class ExportFile(SQLModel, table=True):
    __tablename__ = "export_file"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    job_id: int = Field(foreign_key="job.id", index=True)
    dataset: str = Field(max_length=32)
    format: str = Field(max_length=8)
    filters: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    file_name: str | None = Field(default=None, max_length=200, description="In LI_EXPORT_DIR, once written")
    rows: int | None = Field(default=None, sa_type=BigInteger)
    bytes: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
