"""The review queue: submitted inspections in the supervisor's area, oldest submission first, filtered and
paged by keyset (``after`` = the last row's submission time and id), with counts by district."""

import base64
import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import and_, false, func, or_, select
from sqlmodel import Session, col

from backend.auth.models import User
from backend.errors import Invalid
from backend.inspections import rollup
from backend.inspections.models import Finding, FindingStatus, Inspection, InspectionMember, InspectionType
from backend.inspections.rollup import InspectionRollup
from backend.inspections.workflow import Status
from backend.orgs import scope
from backend.orgs.models import Establishment, OrgUnit


class QueueFilters(BaseModel):
    district_id: uuid.UUID | None = None
    inspector: str | None = None
    establishment: str | None = None
    sector: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    type: InspectionType | None = None
    has_non_compliances: bool | None = None
    severity: str | None = None


class QueueRow(BaseModel):
    id: uuid.UUID
    establishment_id: uuid.UUID
    establishment: str
    isic: str
    district_id: uuid.UUID
    district: dict[str, str]
    type: InspectionType
    visit_date: date | None
    submitted_at: datetime | None
    revision: int
    resubmission: bool
    team: list[str]
    non_compliances: int


class DistrictCount(BaseModel):
    district_id: uuid.UUID
    name: dict[str, str]
    count: int


class QueuePage(BaseModel):
    items: list[QueueRow]
    total: int
    by_district: list[DistrictCount]
    next: str | None


def encode_cursor(at: datetime, inspection_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{inspection_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, _, key = text.partition("|")
        return datetime.fromisoformat(at), uuid.UUID(key)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid("desk.bad_cursor", "This page cursor is not one the queue gave.") from exc


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def conditions(session: Session, user: User, f: QueueFilters) -> list[Any]:
    """The WHERE of the queue (and of the dashboard's scope): the caller's area and the filters."""
    where: list[Any] = []
    units = scope.visible_units(session, user)
    if f.district_id is not None:
        below = scope.descendants(session, [f.district_id])
        units = below if units is None else units & below
    if units is not None:
        where.append(col(Inspection.district_id).in_(units))
    if f.type is not None:
        where.append(col(Inspection.type) == f.type)
    if f.date_from is not None:
        where.append(col(Inspection.visit_date) >= f.date_from)
    if f.date_to is not None:
        where.append(col(Inspection.visit_date) <= f.date_to)
    if f.inspector:
        named = (
            select(col(InspectionMember.inspection_id))
            .join(User, col(User.id) == col(InspectionMember.user_id))
            .where(func.lower(col(User.name)).like(_like(f.inspector), escape="\\"))
        )
        where.append(col(Inspection.id).in_(named))
    if f.establishment or f.sector:
        est = select(col(Establishment.id))
        if f.establishment:
            est = est.where(func.lower(col(Establishment.name)).like(_like(f.establishment), escape="\\"))
        if f.sector:
            est = est.where(col(Establishment.isic).startswith(f.sector))
        where.append(col(Inspection.establishment_id).in_(est))
    if f.severity:
        if f.severity in rollup.SEVERITIES:
            count = getattr(InspectionRollup, f.severity)
            where.append(col(Inspection.id).in_(select(col(InspectionRollup.inspection_id)).where(count > 0)))
        else:
            where.append(false())
    if f.has_non_compliances is not None:
        any_nc = col(Inspection.id).in_(
            select(col(InspectionRollup.inspection_id)).where(col(InspectionRollup.non_compliances) > 0)
        )
        where.append(any_nc if f.has_non_compliances else ~any_nc)
    return where


def queue(session: Session, user: User, f: QueueFilters, *, limit: int, after: str | None) -> QueuePage:
    where = [col(Inspection.status) == Status.submitted, *conditions(session, user, f)]
    total = session.execute(select(func.count()).select_from(Inspection).where(*where)).scalar_one()
    counts = session.execute(
        select(col(Inspection.district_id), col(OrgUnit.name_en), col(OrgUnit.name_zh), func.count())
        .join(OrgUnit, col(OrgUnit.id) == col(Inspection.district_id))
        .where(*where)
        .group_by(col(Inspection.district_id), col(OrgUnit.name_en), col(OrgUnit.name_zh))
        .order_by(col(OrgUnit.name_en))
    ).all()
    page = list(where)
    if after is not None:
        at, key = decode_cursor(after)
        page.append(
            or_(
                col(Inspection.submitted_at) > at,
                and_(col(Inspection.submitted_at) == at, col(Inspection.id) > key),
            )
        )
    rows = session.execute(
        select(Inspection, col(Establishment.name), col(Establishment.isic), col(OrgUnit.name_en), col(OrgUnit.name_zh))
        .join(Establishment, col(Establishment.id) == col(Inspection.establishment_id))
        .join(OrgUnit, col(OrgUnit.id) == col(Inspection.district_id))
        .where(*page)
        .order_by(col(Inspection.submitted_at), col(Inspection.id))
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [r[0].id for r in rows]
    teams = _team_names(session, ids)
    nc = _non_compliances(session, ids)
    items = [
        QueueRow(
            id=i.id,
            establishment_id=i.establishment_id,
            establishment=name,
            isic=isic,
            district_id=i.district_id,
            district={"en": en, "zh": zh},
            type=i.type,
            visit_date=i.visit_date,
            submitted_at=i.submitted_at,
            revision=i.revision,
            resubmission=i.revision > 1,
            team=teams.get(i.id, []),
            non_compliances=nc.get(i.id, 0),
        )
        for i, name, isic, en, zh in rows
    ]
    last = rows[-1][0] if rows else None
    cursor = encode_cursor(last.submitted_at, last.id) if more and last and last.submitted_at else None
    return QueuePage(
        items=items,
        total=total,
        by_district=[DistrictCount(district_id=d, name={"en": en, "zh": zh}, count=n) for d, en, zh, n in counts],
        next=cursor,
    )


def _team_names(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    out: dict[uuid.UUID, list[str]] = {}
    if not ids:
        return out
    rows = session.execute(
        select(col(InspectionMember.inspection_id), col(User.name))
        .join(User, col(User.id) == col(InspectionMember.user_id))
        .where(col(InspectionMember.inspection_id).in_(ids))
        .order_by(col(User.name))
    ).all()
    for inspection_id, name in rows:
        out.setdefault(inspection_id, []).append(name)
    return out


def _non_compliances(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not ids:
        return {}
    rows = session.execute(
        select(col(Finding.inspection_id), func.count())
        .where(col(Finding.inspection_id).in_(ids), col(Finding.status) == FindingStatus.non_compliant)
        .group_by(col(Finding.inspection_id))
    ).all()
    return {k: n for k, n in rows}
