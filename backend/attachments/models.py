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


class BlobCitation(SQLModel, table=True):
    """That ``cited_by`` cited a blob in a record (an inspection). The record holds the blob when the citer is
    the blob's uploader (``Blob.created_by``): the upload proved the bytes; a hash alone proves nothing.

    No foreign key to ``blob``: a device may cite a photo before uploading it (PROTOCOL.md §8)."""

    __tablename__ = "blob_citation"

    holder_id: uuid.UUID = Field(foreign_key="inspection.id", primary_key=True, ondelete="CASCADE")
    sha256: str = Field(primary_key=True, max_length=64)
    cited_by: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    cited_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
