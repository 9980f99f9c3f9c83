"""The supervisor's dashboard for an area and a period: inspections done against assigned by district and by
lead inspector, non-compliances by convention, checklist area and severity, open and overdue measures, and the
month-by-month trend. Counted in SQL; the checklist vocabulary (area, severity, convention) is applied to the
per-item counts in Python (a few hundred rows)."""

import uuid
from collections import Counter
from datetime import date, timedelta

from pydantic import BaseModel
from sqlalchemy import case, func, select
from sqlmodel import Session, col

from backend.auth.models import User
from backend.desk import catalogue, measures
from backend.desk.queue import QueueFilters, conditions
from backend.enforcement.models import EnforcementAction
from backend.inspections.models import Finding, FindingStatus, Inspection
from backend.inspections.workflow import Status
from backend.orgs import scope
from backend.orgs.models import OrgUnit

DONE = (Status.submitted, Status.approved)


class Row(BaseModel):
    key: str
    label: dict[str, str]
    count: int


class DoneRow(BaseModel):
    key: str
    label: dict[str, str]
    assigned: int
    done: int


class Dashboard(BaseModel):
    date_from: date
    date_to: date
    by_district: list[DoneRow]
    by_inspector: list[DoneRow]
    by_convention: list[Row]
    by_area: list[Row]
    by_severity: list[Row]
    measures_open: int
    measures_overdue: int
    months: list[DoneRow]


def _done_rows(session: Session, where: list, group: list, label) -> list[DoneRow]:
    done = func.sum(case((col(Inspection.status).in_(DONE), 1), else_=0))
    rows = session.execute(select(*group, func.count(), done).where(*where).group_by(*group)).all()
    out = [DoneRow(key=str(r[0]), label=label(r), assigned=int(r[-2]), done=int(r[-1] or 0)) for r in rows]
    return sorted(out, key=lambda r: r.label["en"])


def dashboard(session: Session, user: User, district_id: uuid.UUID | None, date_from: date, date_to: date,
              today: date) -> Dashboard:  # fmt: skip
    where = conditions(session, user, QueueFilters(district_id=district_id, date_from=date_from, date_to=date_to))
    where.append(col(Inspection.amends_id).is_(None))  # an amendment is the same inspection again
    in_district = [*where, col(OrgUnit.id) == col(Inspection.district_id)]
    by_district = _done_rows(
        session, in_district, [col(Inspection.district_id), col(OrgUnit.name_en), col(OrgUnit.name_zh)],
        lambda r: {"en": r[1], "zh": r[2]},
    )  # fmt: skip
    lead = [*where, col(User.id) == col(Inspection.lead_inspector_id)]
    by_inspector = _done_rows(
        session, lead, [col(Inspection.lead_inspector_id), col(User.name)], lambda r: {"en": r[1], "zh": r[1]}
    )
    per_day = session.execute(
        select(col(Inspection.visit_date), func.count(), func.sum(case((col(Inspection.status).in_(DONE), 1), else_=0)))
        .where(*where)
        .group_by(col(Inspection.visit_date))
    ).all()
    months: dict[str, list[int]] = {}
    for day, assigned, done in per_day:
        if day is None:
            continue
        m = months.setdefault(f"{day.year:04d}-{day.month:02d}", [0, 0])
        m[0] += int(assigned)
        m[1] += int(done or 0)
    month_rows = [DoneRow(key=k, label={"en": k, "zh": k}, assigned=v[0], done=v[1]) for k, v in sorted(months.items())]
    per_item = session.execute(
        select(col(Finding.checklist_key), col(Finding.item_id), func.count())
        .join(Inspection, col(Inspection.id) == col(Finding.inspection_id))
        .where(*where, col(Finding.status) == FindingStatus.non_compliant, col(Inspection.status).in_(DONE))
        .group_by(col(Finding.checklist_key), col(Finding.item_id))
    ).all()
    items = catalogue.all_items(session)
    conv: Counter[str] = Counter()
    area: Counter[str] = Counter()
    area_label: dict[str, dict[str, str]] = {}
    sev: Counter[str] = Counter()
    for key, item_id, n in per_item:
        info = items.get((key, item_id))
        if info is None:
            continue
        for code in dict.fromkeys(info.instruments):
            if code.startswith(("C", "P")) and code[1:].isdigit():
                conv[code] += n
        akey = f"{key}/{info.section_id}"
        area[akey] += n
        area_label[akey] = info.section
        sev[info.severity] += n
    units = scope.visible_units(session, user)
    if district_id is not None:
        below = scope.descendants(session, [district_id])
        units = below if units is None else units & below
    is_open, overdue = measures.open_and_overdue(today)
    m_where = [col(EnforcementAction.district_id).in_(units)] if units is not None else []
    open_n, overdue_n = session.execute(
        select(
            func.sum(case((is_open, 1), else_=0)), func.sum(case((overdue, 1), else_=0))
        ).where(*m_where)
    ).one()  # fmt: skip
    return Dashboard(
        date_from=date_from,
        date_to=date_to,
        by_district=by_district,
        by_inspector=by_inspector,
        by_convention=[Row(key=k, label={"en": k, "zh": k}, count=n) for k, n in conv.most_common()],
        by_area=[Row(key=k, label=area_label[k], count=n) for k, n in area.most_common()],
        by_severity=[Row(key=k, label={"en": k, "zh": k}, count=n) for k, n in sev.most_common()],
        measures_open=int(open_n or 0),
        measures_overdue=int(overdue_n or 0),
        months=month_rows,
    )


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months up to today."""
    return date(today.year - 1, today.month, 1) + timedelta(days=0), today
