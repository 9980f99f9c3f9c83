"""The C81 annual report (Arts 20-21): sections (a)-(g) for a year and an org unit with its descendants, each a
table computed by GROUP BY in the database. Visits by type are counted in their own table only, never crossed with
establishment, district or sector, so that no complaint-triggered visit can be singled out (C81 Art. 15(c))."""

import uuid
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, col

from backend.accidents.models import Accident, DiseaseCase, InjuredPerson
from backend.auth.models import Role, User, UserOrgUnit
from backend.enforcement.models import EnforcementAction
from backend.inspections.models import Finding, FindingStatus, Inspection, InspectionChecklist
from backend.inspections.workflow import Status
from backend.orgs.models import Establishment, OrgUnit
from backend.reports.isic import section_of

SIZE_CLASSES = ((0, 9, "1-9"), (10, 49, "10-49"), (50, 249, "50-249"), (250, None, "250+"))


class Table(BaseModel):
    key: str
    section: str
    title_en: str
    title_zh: str
    columns: list[str]
    rows: list[list[Any]]
    export: str | None = None


class AnnualReport(BaseModel):
    year: int
    org_unit_id: uuid.UUID
    tables: list[Table]


def _size_class() -> Any:
    w = col(Establishment.workers_total)
    whens = [(w <= hi, label) for lo, hi, label in SIZE_CLASSES if hi is not None]
    return sa.case(*whens, else_=SIZE_CLASSES[-1][2])


def _export(dataset: str, year: int, unit: uuid.UUID) -> str:
    return f"/api/v1/exports/{dataset}.csv?since={year}-01-01&until={year}-12-31&org_unit_id={unit}"


def _by_section(rows: list[Any], value_count: int) -> list[list[Any]]:
    """Fold rows keyed by a raw ISIC code (first column) into ISIC sections; the rest of each row is summed."""
    merged: dict[tuple[Any, ...], list[int]] = {}
    for row in rows:
        key = (section_of(row[0]), *row[1 : len(row) - value_count])
        acc = merged.setdefault(key, [0] * value_count)
        for i, v in enumerate(row[len(row) - value_count :]):
            acc[i] += int(v or 0)
    return [[*k, *v] for k, v in sorted(merged.items())]


def visit_filter(units: set[uuid.UUID], year: int) -> Any:
    """Visits of a year: inspections submitted or approved whose local visit date falls in it."""
    return sa.and_(
        col(Inspection.district_id).in_(units),
        col(Inspection.visit_date) >= date(year, 1, 1),
        col(Inspection.visit_date) <= date(year, 12, 31),
        col(Inspection.status).in_([Status.submitted, Status.approved]),
    )


def build(session: Session, year: int, units: set[uuid.UUID], root: uuid.UUID) -> AnnualReport:
    """``units`` is the set of org units covered (the root and its descendants, within the caller's area)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    t0, t1 = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    ex = lambda d: _export(d, year, root)  # noqa: E731
    tables: list[Table] = []
    visits = visit_filter(units, year)
    unit_code = {u.id: u.code for u in session.execute(sa.select(OrgUnit).where(col(OrgUnit.id).in_(units))).scalars()}

    q: Any
    # (a) instruments applied: inspections per checklist used in the year
    q = (
        sa.select(
            col(InspectionChecklist.checklist_key), sa.func.count(sa.distinct(col(InspectionChecklist.inspection_id)))
        )
        .join(Inspection, col(Inspection.id) == col(InspectionChecklist.inspection_id))
        .where(visits)
        .group_by(col(InspectionChecklist.checklist_key))
    )
    rows = sorted([list(r) for r in session.execute(q)])
    tables.append(
        Table(
            key="instruments",
            section="a",
            title_en="Laws and regulations applied (checklists)",
            title_zh="适用的法律法规（检查表）",
            columns=["checklist", "inspections"],
            rows=rows,
            export=ex("inspections"),
        )
    )

    # (b) inspection staff by unit and sex
    q = (
        sa.select(col(UserOrgUnit.org_unit_id), col(User.sex), sa.func.count(sa.distinct(col(User.id))))
        .select_from(UserOrgUnit)
        .join(User, col(User.id) == col(UserOrgUnit.user_id))
        .where(col(UserOrgUnit.org_unit_id).in_(units), col(User.role) == Role.inspector, col(User.active))
        .group_by(col(UserOrgUnit.org_unit_id), col(User.sex))
    )
    rows = sorted([unit_code[u], str(s.value if s else "unknown"), n] for u, s, n in session.execute(q))
    tables.append(
        Table(
            key="staff",
            section="b",
            title_en="Labour inspectors by unit and sex",
            title_zh="劳动保障监察员（按单位和性别）",
            columns=["unit", "sex", "inspectors"],
            rows=rows,
        )
    )

    # (c) workplaces liable to inspection and workers employed, by sector and size class
    size = _size_class()
    q = (
        sa.select(
            col(Establishment.isic),
            size,
            sa.func.count(),
            sa.func.sum(col(Establishment.workers_total)),
            sa.func.sum(col(Establishment.workers_women)),
        )
        .where(col(Establishment.district_id).in_(units))
        .group_by(col(Establishment.isic), size)
    )
    rows = _by_section([list(r) for r in session.execute(q)], 3)
    tables.append(
        Table(
            key="workplaces",
            section="c",
            title_en="Workplaces and workers by sector and size",
            title_zh="应受监察的工作场所和就业人数（按行业和规模）",
            columns=["isic_section", "size_class", "workplaces", "workers", "workers_women"],
            rows=rows,
        )
    )

    # (d) visits: by type (alone), by sector, by district
    q = sa.select(col(Inspection.type), sa.func.count()).where(visits).group_by(col(Inspection.type))
    rows = sorted([str(t.value if hasattr(t, "value") else t), n] for t, n in session.execute(q))
    tables.append(
        Table(
            key="visits_by_type",
            section="d",
            title_en="Inspection visits by type",
            title_zh="监察检查次数（按类型）",
            columns=["type", "visits"],
            rows=rows,
        )
    )
    q = (
        sa.select(col(Establishment.isic), sa.func.count())
        .select_from(Inspection)
        .join(Establishment, col(Establishment.id) == col(Inspection.establishment_id))
        .where(visits)
        .group_by(col(Establishment.isic))
    )
    rows = _by_section([list(r) for r in session.execute(q)], 1)
    tables.append(
        Table(
            key="visits_by_sector",
            section="d",
            title_en="Inspection visits by sector",
            title_zh="监察检查次数（按行业）",
            columns=["isic_section", "visits"],
            rows=rows,
            export=ex("inspections"),
        )
    )
    q = sa.select(col(Inspection.district_id), sa.func.count()).where(visits).group_by(col(Inspection.district_id))
    rows = sorted([unit_code[d], n] for d, n in session.execute(q))
    tables.append(
        Table(
            key="visits_by_district",
            section="d",
            title_en="Inspection visits by district",
            title_zh="监察检查次数（按区县）",
            columns=["district", "visits"],
            rows=rows,
            export=ex("inspections"),
        )
    )

    # (e) violations by provision, measures and penalties by type
    q = (
        sa.select(
            col(Finding.checklist_key),
            col(Finding.item_id),
            sa.func.count(),
            sa.func.count(sa.distinct(col(Inspection.establishment_id))),
        )
        .join(Inspection, col(Inspection.id) == col(Finding.inspection_id))
        .where(visits, col(Finding.status) == FindingStatus.non_compliant)
        .group_by(col(Finding.checklist_key), col(Finding.item_id))
    )
    rows = sorted([list(r) for r in session.execute(q)])
    tables.append(
        Table(
            key="violations",
            section="e",
            title_en="Violations found by provision",
            title_zh="发现的违法行为（按条款）",
            columns=["checklist", "item", "violations", "establishments"],
            rows=rows,
            export=ex("violations"),
        )
    )
    q = (
        sa.select(
            col(EnforcementAction.measure),
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(col(EnforcementAction.penalty_minor)), 0),
        )
        .join(Inspection, col(Inspection.id) == col(EnforcementAction.inspection_id))
        .where(visits)
        .group_by(col(EnforcementAction.measure))
    )
    rows = sorted([str(m.value if hasattr(m, "value") else m), n, int(s)] for m, n, s in session.execute(q))
    tables.append(
        Table(
            key="measures",
            section="e",
            title_en="Measures and penalties by type",
            title_zh="采取的措施和处罚（按类型）",
            columns=["measure", "count", "penalty_minor"],
            rows=rows,
            export=ex("measures"),
        )
    )

    # (f) industrial accidents: cases (one injured person), fatal or not, commuting apart, by sector
    q = (
        sa.select(
            col(Establishment.isic),
            col(Accident.commuting),
            col(InjuredPerson.fatal),
            sa.func.count(),
            sa.func.sum(col(InjuredPerson.days_lost)),
        )
        .select_from(InjuredPerson)
        .join(Accident, col(Accident.id) == col(InjuredPerson.accident_id))
        .join(Establishment, col(Establishment.id) == col(Accident.establishment_id))
        .where(col(Accident.district_id).in_(units), col(Accident.occurred_at) >= t0, col(Accident.occurred_at) < t1)
        .group_by(col(Establishment.isic), col(Accident.commuting), col(InjuredPerson.fatal))
    )
    rows = _by_section([list(r) for r in session.execute(q)], 2)
    rows = [[r[0], bool(r[1]), bool(r[2]), r[3], r[4]] for r in rows]
    tables.append(
        Table(
            key="accidents",
            section="f",
            title_en="Occupational injury cases by sector",
            title_zh="工伤事故伤亡人数（按行业）",
            columns=["isic_section", "commuting", "fatal", "cases", "days_lost"],
            rows=rows,
            export=ex("injured"),
        )
    )

    # (g) occupational diseases by disease and sex
    q = (
        sa.select(
            col(DiseaseCase.disease),
            col(DiseaseCase.sex),
            sa.func.count(),
            sa.func.sum(sa.case((col(DiseaseCase.fatal), 1), else_=0)),
        )
        .where(
            col(DiseaseCase.district_id).in_(units),
            col(DiseaseCase.diagnosed_on) >= start,
            col(DiseaseCase.diagnosed_on) <= end,
        )
        .group_by(col(DiseaseCase.disease), col(DiseaseCase.sex))
    )
    rows = sorted([d, str(s.value if hasattr(s, "value") else s), n, int(f or 0)] for d, s, n, f in session.execute(q))
    tables.append(
        Table(
            key="diseases",
            section="g",
            title_en="Occupational disease cases",
            title_zh="职业病病例",
            columns=["disease", "sex", "cases", "deaths"],
            rows=rows,
        )
    )
    return AnnualReport(year=year, org_unit_id=root, tables=tables)
