"""The blob table: declared size and type, who started the upload, and whether it is verified."""

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from backend.db import UTCDateTime, utcnow
from backend.fields import Counter


class Blob(SQLModel, table=True):
    __tablename__ = "blob"

    sha256: str = Field(primary_key=True, max_length=64)
    bytes: int = Field(sa_type=Counter)
    mime: str = Field(max_length=100)
    created_by: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
