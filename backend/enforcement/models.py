"""The enforcement action table and its API shapes; the violations they address, their history and appeals.
``overdue`` in the API is derived (open past its deadline, no appeal pending) until the daily sweep stores it."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from backend.db import UTCDateTime, enum_column, utcnow, uuid7
from backend.fields import Counter, Input

ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{1,63}$")]


class Measure(StrEnum):
    advice = "advice"
    warning = "warning"
    order_to_rectify = "order_to_rectify"
    stop_work = "stop_work"
    penalty = "penalty"
    referral = "referral"


class ActionStatus(StrEnum):
    """``open -> complied (verified) | overdue -> escalated -> closed``; ``withdrawn`` from any unfinished state."""

    open = "open"
    complied = "complied"
    overdue = "overdue"
    escalated = "escalated"
    closed = "closed"
    withdrawn = "withdrawn"


STATUSES_SQL = "'open','complied','overdue','escalated','closed','withdrawn'"


class PaymentStatus(StrEnum):
    unpaid = "unpaid"
    paid = "paid"
    waived = "waived"


class ReferralTo(StrEnum):
    """Who a referral goes to: another enforcing authority (``checklists.definition.Authority``) or the organs of
    criminal justice and the court that enforces an unpaid penalty."""

    work_safety = "work_safety"
    health = "health"
    special_equipment = "special_equipment"
    mine_safety = "mine_safety"
    construction = "construction"
    public_security = "public_security"
    prosecution = "prosecution"
    court = "court"


REFERRALS_SQL = ",".join(f"'{r.value}'" for r in ReferralTo)


class EnforcementAction(SQLModel, table=True):
    __tablename__ = "enforcement_action"
    __table_args__ = (
        CheckConstraint(
            "measure IN ('advice','warning','order_to_rectify','stop_work','penalty','referral')", name="measure"
        ),
        CheckConstraint(f"status IN ({STATUSES_SQL})", name="status"),
        CheckConstraint("penalty_minor IS NULL OR penalty_minor >= 0", name="penalty"),
        CheckConstraint("payment_status IS NULL OR payment_status IN ('unpaid','paid','waived')", name="payment"),
        CheckConstraint(f"referral_to IS NULL OR referral_to IN ({REFERRALS_SQL})", name="referral_to"),
        CheckConstraint("deadline_days IS NULL OR (deadline_days >= 0 AND deadline_days <= 365)", name="days"),
    )

    id: uuid.UUID = SQLField(default_factory=uuid7, primary_key=True)
    inspection_id: uuid.UUID = SQLField(foreign_key="inspection.id", index=True)
    establishment_id: uuid.UUID = SQLField(foreign_key="establishment.id", index=True)
    district_id: uuid.UUID = SQLField(foreign_key="org_unit.id", index=True)
    item_id: str | None = SQLField(default=None, max_length=64)
    item_ids: list[str] = SQLField(
        default_factory=list, sa_column=Column(JSON, nullable=False), description="Every item the measure remedies"
    )
    measure: Measure = SQLField(sa_type=enum_column(Measure))
    text: str = SQLField(default="", max_length=10_000)
    deadline_days: int | None = None
    deadline: date | None = None
    status: ActionStatus = SQLField(default=ActionStatus.open, index=True, sa_type=enum_column(ActionStatus))
    close_note: str = SQLField(default="", max_length=2000)
    closed_by: uuid.UUID | None = SQLField(default=None, foreign_key="user_account.id")
    closed_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    created_by: uuid.UUID = SQLField(foreign_key="user_account.id")
    created_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)
    # Issue 17: the case. The authority enforcing the items remedied (stop-work and penalties only where it is
    # the inspectorate's), a referral's addressee, a penalty's particulars, the ladder, the employer's claim.
    authority: str | None = SQLField(default=None, max_length=32)
    referral_to: str | None = SQLField(default=None, max_length=32, description="A ``ReferralTo`` value")
    penalty_minor: int | None = SQLField(default=None, sa_type=Counter, description="Amount in minor units (fen)")
    currency: str | None = SQLField(default=None, max_length=3)
    penalty_article: str = SQLField(default="", max_length=200)
    decision_number: str = SQLField(default="", max_length=100)
    payment_status: PaymentStatus | None = SQLField(default=None, sa_type=enum_column(PaymentStatus))
    paid_on: date | None = None
    overdue_since: date | None = None
    proposed_measure: Measure | None = SQLField(
        default=None, sa_type=enum_column(Measure), description="The next rung, proposed by the sweep"
    )
    escalated_to_id: uuid.UUID | None = SQLField(default=None, foreign_key="enforcement_action.id")
    escalated_from_id: uuid.UUID | None = SQLField(default=None, foreign_key="enforcement_action.id")
    claimed_at: datetime | None = SQLField(
        default=None, sa_type=UTCDateTime, description="When the employer claimed compliance"
    )
    updated_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)


class ActionCreate(Input):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID | None = Field(default=None, description="Client-generated UUIDv7; makes recording idempotent")
    item_id: ItemId | None = None
    item_ids: Annotated[list[ItemId], Field(max_length=100)] = []  # more items it remedies (with ``item_id``)
    measure: Measure
    deadline_days: Annotated[int, Field(ge=0, le=365)] | None = None
    text: Annotated[str, StringConstraints(max_length=10_000)] = ""
    referral_to: ReferralTo | None = None
    penalty_minor: Annotated[int, Field(ge=0, le=10**15)] | None = Field(
        default=None, description="A penalty's amount in minor units (fen: 100 = 1 yuan)"
    )
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    penalty_article: Annotated[str, StringConstraints(max_length=200)] = ""
    decision_number: Annotated[str, StringConstraints(max_length=100)] = ""


class ActionClose(Input):
    model_config = ConfigDict(extra="forbid")

    status: Literal["complied", "withdrawn"]
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ActionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    inspection_id: uuid.UUID
    establishment_id: uuid.UUID
    district_id: uuid.UUID
    item_id: str | None
    item_ids: list[str] = []
    measure: Measure
    text: str
    deadline_days: int | None
    deadline: date | None
    status: ActionStatus
    overdue: bool = False
    close_note: str
    closed_by: uuid.UUID | None
    closed_at: datetime | None
    created_by: uuid.UUID
    created_at: datetime
    authority: str | None = None
    referral_to: str | None = None
    penalty_minor: int | None = None
    currency: str | None = None
    penalty_article: str = ""
    decision_number: str = ""
    payment_status: PaymentStatus | None = None
    paid_on: date | None = None
    overdue_since: date | None = None
    proposed_measure: Measure | None = None
    escalated_to_id: uuid.UUID | None = None
    escalated_from_id: uuid.UUID | None = None
    claimed_at: datetime | None = None
    violation_ids: list[uuid.UUID] = []
    appeal_pending: bool = False


class ViolationStatus(StrEnum):
    active = "active"
    superseded = "superseded"  # an amendment of the record found the item compliant after all


class Violation(SQLModel, table=True):
    """A non-compliant finding as a case: one per visit and item, whatever revisions or amendments the record
    goes through (``inspection_id`` is the original version; ``source_inspection_id`` the version it now reads)."""

    __tablename__ = "violation"
    __table_args__ = (
        UniqueConstraint("inspection_id", "checklist_key", "item_id", name="uq_violation_item"),
        CheckConstraint("status IN ('active','superseded')", name="status"),
        CheckConstraint("severity IN ('critical','major','minor')", name="severity"),
        CheckConstraint("workers_exposed >= 0", name="workers"),
    )

    id: uuid.UUID = SQLField(default_factory=uuid7, primary_key=True)
    inspection_id: uuid.UUID = SQLField(foreign_key="inspection.id", index=True)
    source_inspection_id: uuid.UUID = SQLField(foreign_key="inspection.id")
    establishment_id: uuid.UUID = SQLField(foreign_key="establishment.id", index=True)
    district_id: uuid.UUID = SQLField(foreign_key="org_unit.id", index=True)
    checklist_key: str = SQLField(max_length=64)
    checklist_version: int = SQLField(sa_type=Counter)
    item_id: str = SQLField(max_length=64)
    provisions: list[dict[str, str]] = SQLField(
        default_factory=list, sa_column=Column(JSON, nullable=False), description="Cited articles, official form"
    )
    severity: str = SQLField(max_length=16)
    authority: str | None = SQLField(default=None, max_length=32)
    workers_exposed: int = 0
    workers_women: int = 0
    workers_under_18: int = 0
    repeat_of_id: uuid.UUID | None = SQLField(default=None, foreign_key="violation.id")
    status: ViolationStatus = SQLField(default=ViolationStatus.active, sa_type=enum_column(ViolationStatus))
    found_on: date
    created_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)


class ActionViolation(SQLModel, table=True):
    """Which violations a measure addresses."""

    __tablename__ = "action_violation"

    action_id: uuid.UUID = SQLField(foreign_key="enforcement_action.id", primary_key=True, ondelete="CASCADE")
    violation_id: uuid.UUID = SQLField(foreign_key="violation.id", primary_key=True, index=True)


class ActionEvent(SQLModel, table=True):
    """The history of a measure: every change of state, who (none: the daily sweep), when and why."""

    __tablename__ = "action_event"

    id: uuid.UUID = SQLField(default_factory=uuid7, primary_key=True)
    action_id: uuid.UUID = SQLField(foreign_key="enforcement_action.id", index=True, ondelete="CASCADE")
    kind: str = SQLField(max_length=32)
    from_status: str | None = SQLField(default=None, max_length=16)
    to_status: str = SQLField(max_length=16)
    actor_id: uuid.UUID | None = SQLField(default=None, foreign_key="user_account.id")
    at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)
    note: str = SQLField(default="", max_length=2000)
    details: dict[str, Any] = SQLField(default_factory=dict, sa_column=Column(JSON, nullable=False))


class AppealKind(StrEnum):
    reconsideration = "reconsideration"  # 行政复议
    litigation = "litigation"  # 行政诉讼


class AppealStatus(StrEnum):
    pending = "pending"
    upheld = "upheld"
    varied = "varied"
    revoked = "revoked"


class ActionAppeal(SQLModel, table=True):
    """An administrative reconsideration or litigation against a measure; its deadline is suspended while pending."""

    __tablename__ = "action_appeal"
    __table_args__ = (
        CheckConstraint("kind IN ('reconsideration','litigation')", name="kind"),
        CheckConstraint("status IN ('pending','upheld','varied','revoked')", name="status"),
    )

    id: uuid.UUID = SQLField(default_factory=uuid7, primary_key=True)
    action_id: uuid.UUID = SQLField(foreign_key="enforcement_action.id", index=True)
    kind: AppealKind = SQLField(sa_type=enum_column(AppealKind))
    status: AppealStatus = SQLField(default=AppealStatus.pending, sa_type=enum_column(AppealStatus))
    lodged_on: date
    body: str = SQLField(default="", max_length=200, description="The reconsideration organ or court")
    grounds: str = SQLField(default="", max_length=4000)
    decided_on: date | None = None
    decision_note: str = SQLField(default="", max_length=4000)
    recorded_by: uuid.UUID = SQLField(foreign_key="user_account.id")
    decided_by: uuid.UUID | None = SQLField(default=None, foreign_key="user_account.id")
    created_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)
