"""ILOSTAT-ready observations (bulk long layout) for the labour inspection and occupational injury indicators of a
year and org unit. Rates follow reporting.md (inspectors per 10,000 employed; cases per 100,000 workers) and divide
only by denominators entered for that very year, org unit, sex and section: a rate without one is left out, noted.

Injury cases exclude commuting accidents (compiled apart); a non-fatal case is one with at least one day lost or a
permanent incapacity (16th ICLS coverage); days lost are capped at 365 per case."""

import json
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, col

from backend.accidents.models import Accident, Incapacity, InjuredPerson
from backend.auth.models import Role, User, UserOrgUnit
from backend.inspections.models import Inspection
from backend.orgs.models import Establishment
from backend.reports.annual import visit_filter
from backend.reports.isic import section_of
from backend.reports.models import Denominator

HEADER = (
    "ref_area",
    "source",
    "indicator",
    "sex",
    "classif1",
    "time",
    "obs_value",
    "obs_status",
    "note_classif",
    "note_indicator",
    "note_source",
)


class Config(BaseModel):
    comment: str = ""
    ref_area: str
    source: str
    indicators: dict[str, str]
    sex: dict[str, str]
    classif1_prefix: str


@cache
def config() -> Config:
    return Config.model_validate(json.loads(Path(__file__).with_name("ilostat.json").read_text(encoding="utf-8")))


class Observation(BaseModel):
    indicator: str
    sex: str
    classif1: str
    obs_value: str


class Omitted(BaseModel):
    indicator: str
    sex: str
    classif1: str
    note: str


class Dataset(BaseModel):
    year: int
    org_unit_id: uuid.UUID
    rows: list[list[str]]
    omitted: list[Omitted]


def _rate(n: int, d: int | None, per: int) -> str | None:
    return None if not d else f"{n * per / d:.2f}"


def build(session: Session, year: int, units: set[uuid.UUID], root: uuid.UUID) -> Dataset:
    cfg = config()
    ind, sx = cfg.indicators, cfg.sex
    rows: list[list[str]] = []
    omitted: list[Omitted] = []

    def add(key: str, sex: str, classif1: str, value: str | int | None, why: str = "") -> None:
        if value is None:
            omitted.append(Omitted(indicator=ind[key], sex=sx[sex], classif1=classif1, note=why))
        else:
            rows.append([cfg.ref_area, cfg.source, ind[key], sx[sex], classif1, str(year), str(value), "", "", "", ""])

    emp: dict[tuple[str, str], int | None] = {
        (d.sex.value, d.isic_section): d.employed
        for d in session.execute(
            sa.select(Denominator).where(col(Denominator.year) == year, col(Denominator.org_unit_id) == root)
        ).scalars()
    }
    no_emp = "no employed persons entered for this year, org unit, sex and section"
    q: Any = (
        sa.select(col(User.sex), sa.func.count(sa.distinct(col(User.id))))
        .select_from(UserOrgUnit)
        .join(User, col(User.id) == col(UserOrgUnit.user_id))
        .where(col(UserOrgUnit.org_unit_id).in_(units), col(User.role) == Role.inspector, col(User.active))
        .group_by(col(User.sex))
    )
    by_sex = {str(getattr(s, "value", s)): int(n) for s, n in session.execute(q)}
    total_q: Any = (
        sa.select(sa.func.count(sa.distinct(col(User.id))))
        .select_from(UserOrgUnit)
        .join(User, col(User.id) == col(UserOrgUnit.user_id))
        .where(col(UserOrgUnit.org_unit_id).in_(units), col(User.role) == Role.inspector, col(User.active))
    )
    inspectors = int(session.execute(total_q).scalar_one())
    noc = ""
    add("inspectors", "total", noc, inspectors)
    for s in ("male", "female"):
        add("inspectors", s, noc, by_sex.get(s, 0))
    add("inspectors_per_10000_employed", "total", noc, _rate(inspectors, emp.get(("total", "TOTAL")), 10_000), no_emp)
    visits = int(
        session.execute(
            sa.select(sa.func.count()).select_from(Inspection).where(visit_filter(units, year))
        ).scalar_one()
    )
    add("visits", "total", noc, visits)
    add("visits_per_inspector", "total", noc, _rate(visits, inspectors, 1), "no inspectors")
    workplaces = session.execute(
        sa.select(sa.func.count()).select_from(Establishment).where(col(Establishment.district_id).in_(units))
    ).scalar_one()
    add("workplaces", "total", noc, int(workplaces))

    t0, t1 = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    days = sa.case((col(InjuredPerson.days_lost) > 365, 365), else_=col(InjuredPerson.days_lost))
    nonfatal = sa.and_(
        sa.not_(col(InjuredPerson.fatal)),
        sa.or_(col(InjuredPerson.days_lost) >= 1, col(InjuredPerson.incapacity) == Incapacity.permanent),
    )
    q = (
        sa.select(
            col(Establishment.isic),
            col(InjuredPerson.sex),
            sa.func.sum(sa.case((col(InjuredPerson.fatal), 1), else_=0)),
            sa.func.sum(sa.case((nonfatal, 1), else_=0)),
            sa.func.sum(sa.case((nonfatal, days), else_=0)),
        )
        .select_from(InjuredPerson)
        .join(Accident, col(Accident.id) == col(InjuredPerson.accident_id))
        .join(Establishment, col(Establishment.id) == col(Accident.establishment_id))
        .where(
            col(Accident.district_id).in_(units),
            col(Accident.occurred_at) >= t0,
            col(Accident.occurred_at) < t1,
            sa.not_(col(Accident.commuting)),
        )
        .group_by(col(Establishment.isic), col(InjuredPerson.sex))
    )
    cells: dict[tuple[str, str], list[int]] = {}
    for isic, sex, fatal, nf, dl in session.execute(q):
        for key in ((section_of(isic), str(getattr(sex, "value", sex))), ("TOTAL", str(getattr(sex, "value", sex)))):
            for k in (key, (key[0], "total")):
                acc = cells.setdefault(k, [0, 0, 0])
                acc[0] += int(fatal or 0)
                acc[1] += int(nf or 0)
                acc[2] += int(dl or 0)
    for (section, sex), (fatal, nf, dl) in sorted(cells.items()):
        c1 = cfg.classif1_prefix + section
        add("fatal_cases", sex, c1, fatal)
        add("nonfatal_cases", sex, c1, nf)
        add("days_lost", sex, c1, dl)
        workers = emp.get((sex, section))
        add("fatal_rate", sex, c1, _rate(fatal, workers, 100_000), no_emp)
        add("nonfatal_rate", sex, c1, _rate(nf, workers, 100_000), no_emp)
    return Dataset(year=year, org_unit_id=root, rows=rows, omitted=omitted)
