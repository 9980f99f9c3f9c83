"""Denominators for the rates of the standards reports: employed persons and hours worked per year, org unit, sex
and ISIC section, entered by an admin or supervisor from outside sources (labour force survey, registries)."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy import BigInteger, CheckConstraint, UniqueConstraint
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from backend.db import UTCDateTime, enum_column, utcnow, uuid7
from backend.fields import Input

MAX_COUNT = 10**15


class DenominatorSex(StrEnum):
    total = "total"
    male = "male"
    female = "female"


class Denominator(SQLModel, table=True):
    __tablename__ = "report_denominator"
    __table_args__ = (
        UniqueConstraint("year", "org_unit_id", "sex", "isic_section", name="uq_report_denominator_key"),
        CheckConstraint("sex IN ('total','male','female')", name="sex"),
        CheckConstraint("employed IS NULL OR employed >= 0", name="employed"),
        CheckConstraint("hours_worked IS NULL OR hours_worked >= 0", name="hours"),
    )

    id: uuid.UUID = SQLField(default_factory=uuid7, primary_key=True)
    year: int = SQLField(index=True)
    org_unit_id: uuid.UUID = SQLField(foreign_key="org_unit.id", index=True)
    sex: DenominatorSex = SQLField(sa_type=enum_column(DenominatorSex))
    isic_section: str = SQLField(max_length=5, description="an ISIC Rev.4 section letter, or TOTAL")
    employed: int | None = SQLField(default=None, sa_type=BigInteger)
    hours_worked: int | None = SQLField(default=None, sa_type=BigInteger)
    source: str = SQLField(default="", max_length=500)
    updated_by: uuid.UUID = SQLField(foreign_key="user_account.id")
    updated_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)


class DenominatorIn(Input):
    year: int = Field(ge=1990, le=2100)
    org_unit_id: uuid.UUID
    sex: DenominatorSex = DenominatorSex.total
    isic_section: Annotated[str, StringConstraints(pattern=r"^([A-U]|TOTAL)$")] = "TOTAL"
    employed: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    hours_worked: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    source: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class DenominatorPublic(BaseModel):
    id: uuid.UUID
    year: int
    org_unit_id: uuid.UUID
    sex: DenominatorSex
    isic_section: str
    employed: int | None
    hours_worked: int | None
    source: str
    updated_at: datetime
