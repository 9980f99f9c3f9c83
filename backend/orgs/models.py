"""Org units and establishments: tables and API shapes."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import ConfigDict, StringConstraints, model_validator
from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.db import UTCDateTime, enum_column, utcnow, uuid7
from backend.fields import WORKERS_MAX, Input
from backend.orgs.uscc import uscc_error


class Level(StrEnum):
    national = "national"
    province = "province"
    district = "district"


class OrgUnit(SQLModel, table=True):
    __tablename__ = "org_unit"
    __table_args__ = (CheckConstraint("level IN ('national','province','district')", name="level"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="org_unit.id", index=True)
    level: Level = Field(sa_type=enum_column(Level))
    code: str = Field(max_length=32, unique=True, description="e.g. GB/T 2260 division code")
    name_en: str = Field(max_length=200)
    name_zh: str = Field(max_length=200)
    # The IANA time zone the unit works in (visit dates are local dates there); NULL: its parent's, at the top
    # ``LI_DEFAULT_TIMEZONE`` (Asia/Shanghai). ``orgs/timezone.py`` resolves it.
    time_zone: str | None = Field(default=None, max_length=64)


class ColleaguePublic(SQLModel):
    """A colleague as a device lists them to pick a team: no e-mail, no org units."""

    id: uuid.UUID
    name: str
    role: str


class OrgUnitPublic(SQLModel):
    id: uuid.UUID
    parent_id: uuid.UUID | None
    level: Level = Field(sa_type=enum_column(Level))
    code: str
    name_en: str
    name_zh: str
    time_zone: str | None = None


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Isic = Annotated[str, StringConstraints(pattern=r"^(?:[A-U]|\d{2,4})$")]


class EstablishmentBase(SQLModel):
    name: Name
    registration_type: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,31}$")] = "uscc"
    registration_number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    district_id: uuid.UUID = Field(foreign_key="org_unit.id", index=True)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    isic: Isic = Field(index=True, max_length=4, description="ISIC Rev.4 class, group, division or section")
    workers_total: int = Field(default=0, ge=0, le=WORKERS_MAX)
    workers_women: int = Field(default=0, ge=0, le=WORKERS_MAX)
    workers_under_18: int = Field(default=0, ge=0, le=WORKERS_MAX)
    # Checklist applicability (backend/checklists/definition.py EstablishmentProfile).
    uses_hazardous_chemicals: bool = Field(default=False, description="Produces, stores or uses hazardous chemicals")
    has_underground_work: bool = Field(default=False, description="Has underground work (mines)")
    union_members: int = Field(default=0, ge=0, le=WORKERS_MAX, description="Trade-union members among the workers")
    contact_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    contact_phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = ""
    contact_email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)] = ""


def _check_establishment(e: EstablishmentBase) -> None:
    if e.registration_type == "uscc":
        problem = uscc_error(e.registration_number.upper())
        if problem:
            raise ValueError(f"registration_number: {problem}")
    if e.workers_women > e.workers_total or e.workers_under_18 > e.workers_total:
        raise ValueError("workers_women and workers_under_18 cannot exceed workers_total")
    if e.union_members > e.workers_total:
        raise ValueError("union_members cannot exceed workers_total")
    if (e.latitude is None) != (e.longitude is None):
        raise ValueError("give both latitude and longitude, or neither")


class Establishment(EstablishmentBase, table=True):
    __tablename__ = "establishment"
    __table_args__ = (
        UniqueConstraint("registration_type", "registration_number", name="uq_establishment_registration"),
        CheckConstraint("workers_women <= workers_total AND workers_under_18 <= workers_total", name="workers"),
        CheckConstraint("workers_total >= 0 AND workers_women >= 0 AND workers_under_18 >= 0", name="nonneg"),
        CheckConstraint("union_members >= 0 AND union_members <= workers_total", name="union_members"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EstablishmentCreate(EstablishmentBase, Input):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    @model_validator(mode="after")
    def _valid(self) -> Self:
        if self.registration_type == "uscc":
            self.registration_number = self.registration_number.upper()
        _check_establishment(self)
        return self


class EstablishmentUpdate(SQLModel, Input):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    name: Name | None = None
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    isic: Isic | None = None
    workers_total: int | None = Field(default=None, ge=0, le=WORKERS_MAX)
    workers_women: int | None = Field(default=None, ge=0, le=WORKERS_MAX)
    workers_under_18: int | None = Field(default=None, ge=0, le=WORKERS_MAX)
    uses_hazardous_chemicals: bool | None = None
    has_underground_work: bool | None = None
    union_members: int | None = Field(default=None, ge=0, le=WORKERS_MAX)
    contact_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    contact_phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = None
    contact_email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)] | None = None


class EstablishmentPublic(EstablishmentBase):
    id: uuid.UUID
    created_at: datetime
    updated_at: datetime
