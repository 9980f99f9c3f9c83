"""API shapes of the enforcement case: violations, a measure's history, decisions on it (escalation, appeal,
payment, the employer's claim), the sweep's and the scheduler's results."""

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from backend.enforcement.models import AppealKind, Measure, ReferralTo
from backend.fields import Input

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class ViolationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    inspection_id: uuid.UUID
    source_inspection_id: uuid.UUID
    establishment_id: uuid.UUID
    checklist_key: str
    item_id: str
    provisions: list[dict[str, str]]
    severity: str
    authority: str | None
    workers_exposed: int
    workers_women: int
    workers_under_18: int
    repeat_of_id: uuid.UUID | None
    repeat: bool = False
    status: str
    found_on: date


class ActionEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    from_status: str | None
    to_status: str
    actor_id: uuid.UUID | None
    at: datetime
    note: str
    details: dict[str, object]


class AppealPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    action_id: uuid.UUID
    kind: str
    status: str
    lodged_on: date
    body: str
    grounds: str
    decided_on: date | None
    decision_note: str


class Escalate(Input):
    """The supervisor's decision on an overdue or not complied measure: the next measure (default: proposed)."""

    model_config = ConfigDict(extra="forbid")

    measure: Measure | None = None
    text: Annotated[str, StringConstraints(max_length=10_000)] = ""
    deadline_days: Annotated[int, Field(ge=0, le=365)] | None = None
    referral_to: ReferralTo | None = None
    penalty_minor: Annotated[int, Field(ge=0, le=10**15)] | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    penalty_article: Annotated[str, StringConstraints(max_length=200)] = ""
    decision_number: Annotated[str, StringConstraints(max_length=100)] = ""
    note: Note = ""


class EscalationDismiss(Input):
    """The supervisor declines the sweep's proposed next measure, and says why (the measure stays as it is)."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class AppealLodge(Input):
    model_config = ConfigDict(extra="forbid")

    kind: AppealKind
    lodged_on: date
    body: Annotated[str, StringConstraints(max_length=200)] = ""
    grounds: Annotated[str, StringConstraints(max_length=4000)] = ""


class AppealDecide(Input):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["upheld", "varied", "revoked"]
    decided_on: date
    note: Annotated[str, StringConstraints(max_length=4000)] = ""
    deadline: date | None = Field(default=None, description="varied: the new deadline")
    penalty_minor: Annotated[int, Field(ge=0, le=10**15)] | None = Field(default=None, description="varied")


class Payment(Input):
    model_config = ConfigDict(extra="forbid")

    status: Literal["paid", "waived"]
    paid_on: date
    note: Note = ""


class Claim(Input):
    """The employer reports having complied: a follow-up visit verifies it."""

    model_config = ConfigDict(extra="forbid")

    note: Note = ""


class FollowUpResult(Input):
    model_config = ConfigDict(extra="forbid")

    result: Literal["complied", "not_complied"]
    evidence: Annotated[list[Sha256], Field(max_length=50)] = []
    note: Note = ""


class SweepResult(BaseModel):
    """What one run of the daily sweep did."""

    marked_overdue: list[uuid.UUID] = []
    proposals: dict[str, Measure] = {}
    closed: list[uuid.UUID] = []


class ScheduleResult(BaseModel):
    """The follow-up inspections one run of the scheduler created, and how many measures they verify."""

    inspections: list[uuid.UUID] = []
    checks: int = 0


class BlockReserve(Input):
    model_config = ConfigDict(extra="forbid")

    org_unit_id: uuid.UUID
    device_id: uuid.UUID | None = None
    size: Annotated[int, Field(ge=1, le=1000)] | None = None


class DeviceBlockReserve(Input):
    """A tablet reserves a block for itself (the device is the one its token names)."""

    model_config = ConfigDict(extra="forbid")

    org_unit_id: uuid.UUID
    size: Annotated[int, Field(ge=1, le=1000)] | None = None


class BlockPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    org_unit_id: uuid.UUID
    year: int
    first_serial: int
    last_serial: int
    device_id: uuid.UUID | None
    numbers: list[str] = Field(
        default=[], description="The official number of each serial first..last, as the notices will carry them"
    )


class SerialVoid(Input):
    model_config = ConfigDict(extra="forbid")

    serial: Annotated[int, Field(ge=1, le=2**53 - 1)]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class NoticePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    org_unit_id: uuid.UUID
    year: int
    serial: int
    number: str
    kind: str | None
    status: str
    action_id: uuid.UUID | None
    content: dict[str, object]
    sha256: str | None
    void_reason: str
    issued_by: uuid.UUID
    issued_at: datetime


class RelationCreate(Input):
    """This establishment is the principal (general contractor, user enterprise, buyer) of ``partner_id``."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["subcontracting", "dispatch", "supply"]
    partner_id: uuid.UUID
    project: Annotated[str, StringConstraints(max_length=200)] = ""
    since: date | None = None
    until: date | None = None
