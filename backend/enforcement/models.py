"""The enforcement action table and its API shapes. ``overdue`` is derived (open past its deadline), never stored."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import JSON, CheckConstraint, Column
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from backend.db import UTCDateTime, enum_column, utcnow, uuid7
from backend.fields import Input

ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{1,63}$")]


class Measure(StrEnum):
    advice = "advice"
    warning = "warning"
    order_to_rectify = "order_to_rectify"
    stop_work = "stop_work"
    penalty = "penalty"
    referral = "referral"


class ActionStatus(StrEnum):
    open = "open"
    complied = "complied"
    withdrawn = "withdrawn"


class EnforcementAction(SQLModel, table=True):
    __tablename__ = "enforcement_action"
    __table_args__ = (
        CheckConstraint(
            "measure IN ('advice','warning','order_to_rectify','stop_work','penalty','referral')", name="measure"
        ),
        CheckConstraint("status IN ('open','complied','withdrawn')", name="status"),
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


class ActionCreate(Input):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID | None = Field(default=None, description="Client-generated UUIDv7; makes recording idempotent")
    item_id: ItemId | None = None
    item_ids: Annotated[list[ItemId], Field(max_length=100)] = []  # more items it remedies (with ``item_id``)
    measure: Measure
    deadline_days: Annotated[int, Field(ge=0, le=365)] | None = None
    text: Annotated[str, StringConstraints(max_length=10_000)] = ""


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
