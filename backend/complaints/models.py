"""The complaint table and its API shapes. The complainant (``source``) is never shown to the employer."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import CheckConstraint
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from backend.db import UTCDateTime, enum_column, utcnow, uuid7
from backend.fields import Input


class ComplaintStatus(StrEnum):
    received = "received"
    assigned = "assigned"
    investigated = "investigated"
    closed = "closed"


class Channel(StrEnum):
    walk_in = "walk_in"
    phone = "phone"
    letter = "letter"
    email = "email"
    online = "online"
    referral = "referral"
    field = "field"


class Complaint(SQLModel, table=True):
    __tablename__ = "complaint"
    __table_args__ = (
        CheckConstraint("status IN ('received','assigned','investigated','closed')", name="status"),
        CheckConstraint("channel IN ('walk_in','phone','letter','email','online','referral','field')", name="channel"),
    )

    id: uuid.UUID = SQLField(default_factory=uuid7, primary_key=True)
    establishment_id: uuid.UUID = SQLField(foreign_key="establishment.id", index=True)
    district_id: uuid.UUID = SQLField(foreign_key="org_unit.id", index=True)
    summary: str = SQLField(max_length=10_000)
    received_on: date
    confidential: bool = True
    channel: Channel = SQLField(default=Channel.field, sa_type=enum_column(Channel))
    source: str = SQLField(default="", max_length=500, description="who complained; never shown to the employer")
    status: ComplaintStatus = SQLField(
        default=ComplaintStatus.received, index=True, sa_type=enum_column(ComplaintStatus)
    )
    created_by: uuid.UUID = SQLField(foreign_key="user_account.id", index=True)
    created_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)


class ComplaintCreate(Input):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID | None = Field(default=None, description="Client-generated UUIDv7; makes creation idempotent")
    establishment_id: uuid.UUID
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
    received_on: date
    confidential: bool = True
    channel: Channel = Channel.field
    source: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class ComplaintPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    establishment_id: uuid.UUID
    district_id: uuid.UUID
    summary: str
    received_on: date
    confidential: bool
    channel: Channel
    source: str
    status: ComplaintStatus
    created_by: uuid.UUID
    created_at: datetime
