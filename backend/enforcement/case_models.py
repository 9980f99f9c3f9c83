"""Tables of the enforcement case beyond the measure itself: official notices and their number blocks, follow-up
visits with the measures they verify, and the supply-chain relations between establishments."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.db import UTCDateTime, enum_column, utcnow, uuid7
from backend.fields import Counter


class NoticeKind(StrEnum):
    order_to_rectify = "order_to_rectify"  # 责令改正指令书
    penalty_decision = "penalty_decision"  # 行政处罚决定书
    stop_work = "stop_work"  # 停工通知
    referral = "referral"  # 移送通知


class NoticeStatus(StrEnum):
    issued = "issued"
    voided = "voided"  # a spoiled number: recorded, never reused


class NoticeCounter(SQLModel, table=True):
    """The next serial an org unit hands out in a year (locked while a block or a number is taken)."""

    __tablename__ = "notice_counter"

    org_unit_id: uuid.UUID = Field(foreign_key="org_unit.id", primary_key=True)
    year: int = Field(primary_key=True)
    next_serial: int = Field(default=1, sa_type=Counter)


class NoticeBlock(SQLModel, table=True):
    """Serials ``first..last`` reserved for one device, which numbers notices from them offline."""

    __tablename__ = "notice_block"
    __table_args__ = (
        UniqueConstraint("org_unit_id", "year", "first_serial", name="uq_notice_block_first"),
        CheckConstraint("last_serial >= first_serial AND first_serial >= 1", name="range"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    org_unit_id: uuid.UUID = Field(foreign_key="org_unit.id", index=True)
    year: int
    first_serial: int = Field(sa_type=Counter)
    last_serial: int = Field(sa_type=Counter)
    device_id: uuid.UUID | None = Field(default=None, foreign_key="device.id", index=True)
    reserved_by: uuid.UUID = Field(foreign_key="user_account.id")
    reserved_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Notice(SQLModel, table=True):
    """An official notice with its serial number; its content is frozen and hashed when issued."""

    __tablename__ = "notice"
    __table_args__ = (
        UniqueConstraint("org_unit_id", "year", "serial", name="uq_notice_serial"),
        CheckConstraint("kind IN ('order_to_rectify','penalty_decision','stop_work','referral')", name="kind"),
        CheckConstraint("status IN ('issued','voided')", name="status"),
        CheckConstraint("status = 'voided' OR (action_id IS NOT NULL AND sha256 IS NOT NULL)", name="issued"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    org_unit_id: uuid.UUID = Field(foreign_key="org_unit.id", index=True)
    year: int
    serial: int = Field(sa_type=Counter)
    number: str = Field(max_length=64)
    kind: str | None = Field(default=None, max_length=32, description="A ``NoticeKind``")
    status: NoticeStatus = Field(sa_type=enum_column(NoticeStatus))
    action_id: uuid.UUID | None = Field(default=None, foreign_key="enforcement_action.id", index=True)
    block_id: uuid.UUID | None = Field(default=None, foreign_key="notice_block.id")
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    sha256: str | None = Field(default=None, max_length=64)
    void_reason: str = Field(default="", max_length=2000)
    issued_by: uuid.UUID = Field(foreign_key="user_account.id")
    issued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FollowUpReason(StrEnum):
    deadline_passed = "deadline_passed"
    compliance_claimed = "compliance_claimed"


class FollowUpCheck(SQLModel, table=True):
    """A measure a follow-up inspection verifies, and its result there (complied or not, with evidence)."""

    __tablename__ = "follow_up_check"
    __table_args__ = (
        UniqueConstraint("inspection_id", "action_id", name="uq_follow_up_check"),
        CheckConstraint("reason IN ('deadline_passed','compliance_claimed')", name="reason"),
        CheckConstraint("result IS NULL OR result IN ('complied','not_complied')", name="result"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    inspection_id: uuid.UUID = Field(foreign_key="inspection.id", index=True)
    action_id: uuid.UUID = Field(foreign_key="enforcement_action.id", index=True)
    reason: str = Field(max_length=32, description="A ``FollowUpReason``")
    result: str | None = Field(default=None, max_length=16)
    evidence: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str = Field(default="", max_length=2000)
    recorded_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    recorded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    scheduled_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RelationKind(StrEnum):
    """``principal`` is the general contractor, the user enterprise or the buyer; ``partner`` the other."""

    subcontracting = "subcontracting"  # general contractor -> subcontractor on a construction project
    dispatch = "dispatch"  # user enterprise -> labour-dispatch agency
    supply = "supply"  # buyer -> supplier


class EstablishmentRelation(SQLModel, table=True):
    """A supply-chain link between two establishments, shown on both profiles."""

    __tablename__ = "establishment_relation"
    __table_args__ = (
        CheckConstraint("kind IN ('subcontracting','dispatch','supply')", name="kind"),
        CheckConstraint("principal_id <> partner_id", name="distinct"),
        UniqueConstraint("kind", "principal_id", "partner_id", "project", name="uq_establishment_relation"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    kind: str = Field(max_length=16, description="A ``RelationKind``")
    principal_id: uuid.UUID = Field(foreign_key="establishment.id", index=True)
    partner_id: uuid.UUID = Field(foreign_key="establishment.id", index=True)
    project: str = Field(default="", max_length=200)
    since: date | None = None
    until: date | None = None
    created_by: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
