"""Accident notifications with each person injured (16th ICLS resolution concerning statistics of occupational
injuries, 1998: no names, the fields statistics count), and occupational disease cases. An accident's class, deaths
and serious injuries are computed from its persons and loss (``classification.py``), never typed in."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import BigInteger, CheckConstraint, Text
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from backend.accidents.classification import AccidentClass
from backend.db import UTCDateTime, enum_column, utcnow, uuid7
from backend.fields import Input
from backend.inspections.schemas import PinnedChecklist

MAX_LOSS_YUAN = 10**13  # more than any accident, well inside 64 bits
MAX_DAYS_LOST = 6000  # the 16th ICLS counts days lost; permanent incapacity is recorded as such, not in days


class Sex(StrEnum):
    male = "male"
    female = "female"


class AgeGroup(StrEnum):
    under_15 = "under_15"
    a15_17 = "15_17"
    a18_24 = "18_24"
    a25_34 = "25_34"
    a35_44 = "35_44"
    a45_54 = "45_54"
    a55_64 = "55_64"
    a65_plus = "65_plus"
    unknown = "unknown"


class EmploymentStatus(StrEnum):
    """ICSE-93 groups (the 16th ICLS classifies cases by status in employment)."""

    employee = "employee"
    employer = "employer"
    own_account = "own_account"
    coop_member = "coop_member"
    family_worker = "family_worker"
    other = "other"


class NatureOfInjury(StrEnum):
    """Type of injury, the groups of the 16th ICLS resolution's annex."""

    wound = "wound"  # superficial injuries and open wounds
    fracture = "fracture"
    dislocation = "dislocation"  # dislocations, sprains and strains
    amputation = "amputation"  # traumatic amputations
    internal = "internal"  # concussion and internal injuries
    burn = "burn"  # burns, corrosions, scalds and frostbite
    poisoning = "poisoning"  # acute poisonings and infections
    multiple = "multiple"
    other = "other"
    unknown = "unknown"


class BodyPart(StrEnum):
    head = "head"
    neck = "neck"
    back = "back"  # back, spine and vertebrae
    trunk = "trunk"  # trunk and internal organs
    upper_limbs = "upper_limbs"
    lower_limbs = "lower_limbs"
    whole_body = "whole_body"  # whole body and multiple sites
    other = "other"
    unknown = "unknown"


class Incapacity(StrEnum):
    none = "none"
    temporary = "temporary"
    permanent = "permanent"


def _in(column: str, enum: type[StrEnum]) -> str:
    values = ",".join(f"'{v.value}'" for v in enum)
    return f"{column} IN ({values})"


class Accident(SQLModel, table=True):
    __tablename__ = "accident"
    __table_args__ = (
        CheckConstraint(f"accident_class IS NULL OR {_in('accident_class', AccidentClass)}", name="class"),
        CheckConstraint("deaths >= 0 AND serious_injuries >= 0 AND direct_loss_yuan >= 0", name="counts"),
    )

    id: uuid.UUID = SQLField(default_factory=uuid7, primary_key=True)
    establishment_id: uuid.UUID = SQLField(foreign_key="establishment.id", index=True)
    district_id: uuid.UUID = SQLField(foreign_key="org_unit.id", index=True)
    occurred_at: datetime = SQLField(sa_type=UTCDateTime, index=True)
    commuting: bool = SQLField(default=False, description="on the way to or from work: compiled apart")
    description: str = SQLField(default="", sa_type=Text)
    direct_loss_yuan: int = SQLField(default=0, sa_type=BigInteger)
    deaths: int = 0
    serious_injuries: int = 0
    accident_class: AccidentClass | None = SQLField(
        default=None, sa_type=enum_column(AccidentClass), description="None for a commuting accident"
    )
    investigation_id: uuid.UUID | None = SQLField(default=None, foreign_key="inspection.id", index=True)
    created_by: uuid.UUID = SQLField(foreign_key="user_account.id")
    created_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)


class InjuredPerson(SQLModel, table=True):
    __tablename__ = "accident_person"
    __table_args__ = (
        CheckConstraint(_in("sex", Sex), name="sex"),
        CheckConstraint(_in("age_group", AgeGroup), name="age_group"),
        CheckConstraint(_in("employment_status", EmploymentStatus), name="employment_status"),
        CheckConstraint(_in("nature_of_injury", NatureOfInjury), name="nature_of_injury"),
        CheckConstraint(_in("part_of_body", BodyPart), name="part_of_body"),
        CheckConstraint(_in("incapacity", Incapacity), name="incapacity"),
        CheckConstraint("days_lost >= 0", name="days_lost"),
    )

    id: uuid.UUID = SQLField(default_factory=uuid7, primary_key=True)
    accident_id: uuid.UUID = SQLField(foreign_key="accident.id", index=True, ondelete="CASCADE")
    position: int = SQLField(default=0, description="order as notified")
    sex: Sex = SQLField(sa_type=enum_column(Sex))
    age_group: AgeGroup = SQLField(sa_type=enum_column(AgeGroup))
    occupation: str = SQLField(default="", max_length=4, description="ISCO-08 code, 1 to 4 digits")
    employment_status: EmploymentStatus = SQLField(sa_type=enum_column(EmploymentStatus))
    nature_of_injury: NatureOfInjury = SQLField(sa_type=enum_column(NatureOfInjury))
    part_of_body: BodyPart = SQLField(sa_type=enum_column(BodyPart))
    fatal: bool = False
    serious: bool = SQLField(default=False, description="重伤 (acute industrial poisoning included)")
    days_lost: int = 0
    incapacity: Incapacity = SQLField(default=Incapacity.temporary, sa_type=enum_column(Incapacity))


class DiseaseCase(SQLModel, table=True):
    """An occupational disease case: the disease, the exposure that caused it and the diagnosis date."""

    __tablename__ = "disease_case"
    __table_args__ = (
        CheckConstraint(_in("sex", Sex), name="sex"),
        CheckConstraint(_in("age_group", AgeGroup), name="age_group"),
    )

    id: uuid.UUID = SQLField(default_factory=uuid7, primary_key=True)
    establishment_id: uuid.UUID = SQLField(foreign_key="establishment.id", index=True)
    district_id: uuid.UUID = SQLField(foreign_key="org_unit.id", index=True)
    disease: str = SQLField(max_length=200, description="as diagnosed (the national catalogue's name)")
    exposure: str = SQLField(max_length=200, description="the agent or work it came from")
    exposure_years: int | None = None
    diagnosed_on: date = SQLField(index=True)
    sex: Sex = SQLField(sa_type=enum_column(Sex))
    age_group: AgeGroup = SQLField(sa_type=enum_column(AgeGroup))
    occupation: str = SQLField(default="", max_length=4)
    fatal: bool = False
    created_by: uuid.UUID = SQLField(foreign_key="user_account.id")
    created_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime)


Isco = Annotated[str, StringConstraints(pattern=r"^([0-9]{1,4})?$")]


def _plausible(moment: datetime) -> datetime:
    if not 1900 <= moment.year <= 2100:  # also keeps the conversion to UTC inside datetime's range
        raise ValueError("occurred_at must be between the years 1900 and 2100")
    return moment


Moment = Annotated[AwareDatetime, AfterValidator(_plausible)]


class PersonIn(Input):
    model_config = ConfigDict(extra="forbid")

    sex: Sex
    age_group: AgeGroup
    occupation: Isco = ""
    employment_status: EmploymentStatus = EmploymentStatus.employee
    nature_of_injury: NatureOfInjury
    part_of_body: BodyPart
    fatal: bool = False
    serious: bool = False
    days_lost: int = Field(default=0, ge=0, le=MAX_DAYS_LOST)
    incapacity: Incapacity = Incapacity.temporary


class AccidentCreate(Input):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID | None = None
    establishment_id: uuid.UUID
    occurred_at: Moment
    commuting: bool = False
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)] = ""
    direct_loss_yuan: int = Field(default=0, ge=0, le=MAX_LOSS_YUAN)
    persons: Annotated[list[PersonIn], Field(max_length=1000)] = []


class AccidentUpdate(Input):
    """A later report (补报, Art. 13): the persons as now known and the loss; the class is computed again."""

    model_config = ConfigDict(extra="forbid")

    direct_loss_yuan: int = Field(ge=0, le=MAX_LOSS_YUAN)
    persons: Annotated[list[PersonIn], Field(max_length=1000)]


class InvestigationCreate(Input):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID | None = None
    lead_inspector_id: uuid.UUID
    team: Annotated[list[uuid.UUID], Field(max_length=20)] = []
    checklists: Annotated[list[PinnedChecklist], Field(min_length=1, max_length=30)]
    visit_date: date | None = None


class DiseaseCaseCreate(Input):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID | None = None
    establishment_id: uuid.UUID
    disease: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    exposure: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    exposure_years: int | None = Field(default=None, ge=0, le=80)
    diagnosed_on: date
    sex: Sex
    age_group: AgeGroup
    occupation: Isco = ""
    fatal: bool = False


class PersonPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sex: Sex
    age_group: AgeGroup
    occupation: str
    employment_status: EmploymentStatus
    nature_of_injury: NatureOfInjury
    part_of_body: BodyPart
    fatal: bool
    serious: bool
    days_lost: int
    incapacity: Incapacity


class AccidentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    establishment_id: uuid.UUID
    district_id: uuid.UUID
    occurred_at: datetime
    commuting: bool
    description: str
    direct_loss_yuan: int
    deaths: int
    serious_injuries: int
    accident_class: AccidentClass | None
    class_label: dict[str, str] | None = None
    class_basis: dict[str, str] | None = None
    investigation_id: uuid.UUID | None
    persons: list[PersonPublic] = []
    created_by: uuid.UUID
    created_at: datetime


class DiseaseCasePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    establishment_id: uuid.UUID
    district_id: uuid.UUID
    disease: str
    exposure: str
    exposure_years: int | None
    diagnosed_on: date
    sex: Sex
    age_group: AgeGroup
    occupation: str
    fatal: bool
    created_by: uuid.UUID
    created_at: datetime


class CaseCounts(BaseModel):
    accidents: int = 0
    fatal_cases: int = 0
    nonfatal_cases: int = 0
    days_lost: int = 0
    permanent_incapacity: int = 0


class AccidentStatistics(BaseModel):
    """The 16th ICLS counts, accidents at work and commuting accidents apart, and the classes of Art. 3."""

    year: int
    at_work: CaseCounts
    commuting: CaseCounts
    by_class: dict[str, int]
    disease_cases: int
