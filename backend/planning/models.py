"""Plans (a district's ranked visits for a period, each with the score and components it was ranked by) and
campaigns (one checklist over a target list of establishments)."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from sqlalchemy import JSON, CheckConstraint, Column, Float, UniqueConstraint
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from backend.db import UTCDateTime, utcnow, uuid7
from backend.fields import Counter, Input, PositiveInt64
from backend.inspections.schemas import PinnedChecklist
from backend.planning.risk import Component

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Plan(SQLModel, table=True):
    __tablename__ = "plan"
    __table_args__ = (CheckConstraint("period_end >= period_start", name="period"),)

    id: uuid.UUID = SQLField(default_factory=uuid7, primary_key=True)
    district_id: uuid.UUID = SQLField(foreign_key="org_unit.id", index=True)
    name: str = SQLField(max_length=200)
    period_start: date
    period_end: date
    weights: dict[str, float] = SQLField(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_by: uuid.UUID = SQLField(foreign_key="user_account.id")
    created_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)


class PlanVisit(SQLModel, table=True):
    __tablename__ = "plan_visit"
    __table_args__ = (UniqueConstraint("plan_id", "establishment_id", name="uq_plan_visit_establishment"),)

    id: uuid.UUID = SQLField(default_factory=uuid7, primary_key=True)
    plan_id: uuid.UUID = SQLField(foreign_key="plan.id", index=True, ondelete="CASCADE")
    establishment_id: uuid.UUID = SQLField(foreign_key="establishment.id", index=True)
    rank: int
    score: float = SQLField(sa_type=Float)
    components: list[dict[str, Any]] = SQLField(default_factory=list, sa_column=Column(JSON, nullable=False))
    inspection_id: uuid.UUID | None = SQLField(default=None, foreign_key="inspection.id", index=True)


class Campaign(SQLModel, table=True):
    __tablename__ = "campaign"
    __table_args__ = (CheckConstraint("period_end >= period_start", name="period"),)

    id: uuid.UUID = SQLField(default_factory=uuid7, primary_key=True)
    name: str = SQLField(max_length=200)
    checklist_key: str = SQLField(max_length=64)
    checklist_version: int = SQLField(sa_type=Counter)
    period_start: date
    period_end: date
    created_by: uuid.UUID = SQLField(foreign_key="user_account.id")
    created_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)


class CampaignTarget(SQLModel, table=True):
    __tablename__ = "campaign_target"

    campaign_id: uuid.UUID = SQLField(foreign_key="campaign.id", primary_key=True, ondelete="CASCADE")
    establishment_id: uuid.UUID = SQLField(foreign_key="establishment.id", primary_key=True)
    district_id: uuid.UUID = SQLField(foreign_key="org_unit.id", index=True)
    inspection_id: uuid.UUID | None = SQLField(default=None, foreign_key="inspection.id", index=True)


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def _period(start: date, end: date) -> None:
    if end < start:
        raise ValueError("period_end is before period_start")
    if start < FIRST_DAY or end > LAST_DAY:
        raise ValueError("a period lies between the years 2000 and 2100")


class PlanCreate(Input):
    model_config = ConfigDict(extra="forbid")

    district_id: uuid.UUID
    name: Name
    period_start: date
    period_end: date
    visits: int = Field(default=20, ge=1, le=1000, description="How many of the ranked establishments to plan")

    @model_validator(mode="after")
    def _ordered(self) -> "PlanCreate":
        _period(self.period_start, self.period_end)
        return self


class VisitAssign(Input):
    """Assign a planned visit: an inspection (type ``planned`` or ``campaign``) led by an inspector of the district."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID | None = None
    lead_inspector_id: uuid.UUID
    team: Annotated[list[uuid.UUID], Field(max_length=20)] = []
    checklists: Annotated[list[PinnedChecklist], Field(max_length=30)] = Field(
        default=[], description="Plans only (a campaign's checklist is its own)"
    )
    visit_date: date | None = None


class CampaignCreate(Input):
    model_config = ConfigDict(extra="forbid")

    name: Name
    checklist_key: Annotated[str, StringConstraints(max_length=64)]
    checklist_version: PositiveInt64
    period_start: date
    period_end: date
    establishment_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=5000)]

    @model_validator(mode="after")
    def _ordered(self) -> "CampaignCreate":
        _period(self.period_start, self.period_end)
        return self


class RankedEstablishment(BaseModel):
    rank: int
    establishment_id: uuid.UUID
    name: str
    score: float
    components: list[Component]


class PlanVisitPublic(BaseModel):
    id: uuid.UUID
    rank: int
    establishment_id: uuid.UUID
    score: float
    components: list[Component]
    inspection_id: uuid.UUID | None


class PlanPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    district_id: uuid.UUID
    name: str
    period_start: date
    period_end: date
    weights: dict[str, float]
    visits: list[PlanVisitPublic] = []
    created_by: uuid.UUID
    created_at: datetime


class CampaignProgress(BaseModel):
    targets: int
    assigned: int
    started: int
    submitted: int
    approved: int


class CampaignTargetPublic(BaseModel):
    establishment_id: uuid.UUID
    district_id: uuid.UUID
    inspection_id: uuid.UUID | None
    status: str  # not_assigned | draft | submitted | returned | approved


class CampaignPublic(BaseModel):
    id: uuid.UUID
    name: str
    checklist_key: str
    checklist_version: int
    period_start: date
    period_end: date
    targets: list[CampaignTargetPublic]
    progress: CampaignProgress
    created_by: uuid.UUID
    created_at: datetime
