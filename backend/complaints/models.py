"""The complaint table, the reveal grants and the API shapes. The complainant's identity is only ever held as a
Fernet token (``complainant_token``, ``identity.py``): no shape here carries it, except ``ComplainantRevealed``
answered by the audited reveal."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from sqlalchemy import JSON, CheckConstraint, Column, Text
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from backend.complaints.identity import Complainant
from backend.db import UTCDateTime, enum_column, utcnow, uuid7
from backend.fields import Input
from backend.inspections.schemas import PinnedChecklist


class ComplaintStatus(StrEnum):
    received = "received"
    triaged = "triaged"
    assigned = "assigned"
    investigated = "investigated"  # its inspection was opened
    concluded = "concluded"  # outcome recorded, the reply to an identified complainant not sent yet
    closed = "closed"


class Channel(StrEnum):
    walk_in = "walk_in"
    phone = "phone"
    letter = "letter"
    email = "email"
    online = "online"
    referral = "referral"
    field = "field"


class Priority(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"  # imminent danger to workers' health or safety


class Outcome(StrEnum):
    upheld = "upheld"  # the matters alleged were found
    partly_upheld = "partly_upheld"
    not_upheld = "not_upheld"
    outside_remit = "outside_remit"  # referred elsewhere: not a matter the inspectorate enforces
    withdrawn = "withdrawn"


class ReplyChannel(StrEnum):
    phone = "phone"
    letter = "letter"
    email = "email"
    in_person = "in_person"


def _check(column: str, enum: type[StrEnum], *, nullable: bool = False) -> str:
    values = ",".join(f"'{v.value}'" for v in enum)
    return f"{column} IS NULL OR {column} IN ({values})" if nullable else f"{column} IN ({values})"


class Complaint(SQLModel, table=True):
    __tablename__ = "complaint"
    __table_args__ = (
        CheckConstraint(_check("status", ComplaintStatus), name="status"),
        CheckConstraint(_check("channel", Channel), name="channel"),
        CheckConstraint(_check("priority", Priority, nullable=True), name="priority"),
        CheckConstraint(_check("outcome", Outcome, nullable=True), name="outcome"),
        CheckConstraint(_check("reply_channel", ReplyChannel, nullable=True), name="reply_channel"),
        CheckConstraint("establishment_id IS NOT NULL OR workplace_name <> ''", name="workplace"),
        CheckConstraint("anonymous = (complainant_token IS NULL)", name="anonymous"),
    )

    id: uuid.UUID = SQLField(default_factory=uuid7, primary_key=True)
    establishment_id: uuid.UUID | None = SQLField(default=None, foreign_key="establishment.id", index=True)
    district_id: uuid.UUID = SQLField(foreign_key="org_unit.id", index=True)
    workplace_name: str = SQLField(default="", max_length=200, description="an unregistered workplace, to find")
    workplace_address: str = SQLField(default="", max_length=500)
    workplace_description: str = SQLField(default="", max_length=2000, description="how to find the workplace")
    summary: str = SQLField(max_length=10_000)
    matters: list[str] = SQLField(
        default_factory=list, sa_column=Column(JSON, nullable=False), description="checklist keys alleged"
    )
    received_on: date
    confidential: bool = True
    channel: Channel = SQLField(default=Channel.field, sa_type=enum_column(Channel))
    anonymous: bool = True
    complainant_token: str | None = SQLField(default=None, sa_column=Column(Text, nullable=True))
    status: ComplaintStatus = SQLField(
        default=ComplaintStatus.received, index=True, sa_type=enum_column(ComplaintStatus)
    )
    priority: Priority | None = SQLField(default=None, sa_type=enum_column(Priority))
    due_on: date | None = None
    triaged_by: uuid.UUID | None = SQLField(default=None, foreign_key="user_account.id")
    assigned_to: uuid.UUID | None = SQLField(default=None, foreign_key="user_account.id", index=True)
    inspection_id: uuid.UUID | None = SQLField(default=None, foreign_key="inspection.id", index=True)
    outcome: Outcome | None = SQLField(default=None, sa_type=enum_column(Outcome))
    outcome_note: str = SQLField(default="", max_length=4000)
    concluded_on: date | None = None
    reply_sent_on: date | None = None
    reply_channel: ReplyChannel | None = SQLField(default=None, sa_type=enum_column(ReplyChannel))
    reply_note: str = SQLField(default="", max_length=4000)
    created_by: uuid.UUID = SQLField(foreign_key="user_account.id", index=True)
    created_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)


class RevealGrant(SQLModel, table=True):
    """A user's permission to reveal complainants' identities in their area (granted and revoked by an admin)."""

    __tablename__ = "complainant_reveal_grant"

    id: uuid.UUID = SQLField(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID = SQLField(foreign_key="user_account.id", index=True)
    granted_by: uuid.UUID = SQLField(foreign_key="user_account.id")
    granted_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)


MatterKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]


class ComplaintCreate(Input):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID | None = Field(default=None, description="Client-generated UUIDv7; makes creation idempotent")
    establishment_id: uuid.UUID | None = None
    district_id: uuid.UUID | None = Field(default=None, description="For an unregistered workplace: where it is")
    workplace_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    workplace_address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    workplace_description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = Field(
        default="", description="For an unregistered workplace: how to find it"
    )
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
    matters: Annotated[list[MatterKey], Field(max_length=20)] = []
    received_on: date
    confidential: bool = True
    channel: Channel = Channel.field
    complainant: Complainant | None = Field(default=None, description="None (or empty): an anonymous complaint")

    @model_validator(mode="after")
    def _a_workplace(self) -> "ComplaintCreate":
        if self.establishment_id is None and not (self.workplace_name and self.district_id):
            raise ValueError("name the establishment, or an unregistered workplace (workplace_name, district_id)")
        return self


class ComplaintTriage(Input):
    model_config = ConfigDict(extra="forbid")

    priority: Priority
    due_on: date
    matters: Annotated[list[MatterKey], Field(max_length=20)] | None = None
    establishment_id: uuid.UUID | None = Field(default=None, description="The registered establishment found")


class ComplaintAssign(Input):
    model_config = ConfigDict(extra="forbid")

    assignee_id: uuid.UUID


class ComplaintInspection(Input):
    """Open the complaint's inspection (type ``complaint``), led by the assignee unless said otherwise."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID | None = None
    checklists: Annotated[list[PinnedChecklist], Field(max_length=30)] = Field(
        default=[], description="Defaults to the newest published version of each matter alleged"
    )
    lead_inspector_id: uuid.UUID | None = None
    team: Annotated[list[uuid.UUID], Field(max_length=20)] = []
    visit_date: date | None = None


class ComplaintOutcome(Input):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    note: Note = ""
    concluded_on: date | None = None


class ComplaintReply(Input):
    model_config = ConfigDict(extra="forbid")

    sent_on: date
    channel: ReplyChannel
    note: Note = ""


class RevealRequest(Input):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=500)]


class GrantCreate(Input):
    model_config = ConfigDict(extra="forbid")

    user_id: uuid.UUID


class GrantPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    user_id: uuid.UUID
    granted_by: uuid.UUID
    granted_at: datetime
    revoked_at: datetime | None


class ComplaintPublic(BaseModel):
    """What staff who may read the complaint see: never the complainant's identity, only whether there is one."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    establishment_id: uuid.UUID | None
    district_id: uuid.UUID
    workplace_name: str
    workplace_address: str
    workplace_description: str
    summary: str
    matters: list[str]
    received_on: date
    confidential: bool
    channel: Channel
    anonymous: bool
    status: ComplaintStatus
    priority: Priority | None
    due_on: date | None
    triaged_by: uuid.UUID | None
    assigned_to: uuid.UUID | None
    inspection_id: uuid.UUID | None
    outcome: Outcome | None
    outcome_note: str
    concluded_on: date | None
    reply_sent_on: date | None
    reply_channel: ReplyChannel | None
    reply_note: str
    created_by: uuid.UUID
    created_at: datetime


class ComplaintStatistical(BaseModel):
    """``to_public``: what exports and statisticians get — no identity, no free text, no staff, no inspection id."""

    id: uuid.UUID
    district_id: uuid.UUID
    establishment_id: uuid.UUID | None
    unregistered_workplace: bool
    received_on: date
    channel: Channel
    matters: list[str]
    anonymous: bool
    status: ComplaintStatus
    priority: Priority | None
    due_on: date | None
    inspected: bool
    outcome: Outcome | None
    concluded_on: date | None
    replied: bool
