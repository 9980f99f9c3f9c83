"""The desk's lists of enforcement across the user's area: every measure by state (open, overdue, escalated,
complied, closed, withdrawn) and every violation (provisions, severity, repeat, state), filtered by district,
establishment and kind, paged, newest first. A district outside the area filters to nothing, as every list does."""

import uuid
from collections import defaultdict
from typing import Any

from sqlmodel import Session, col, func, select

from backend.auth.models import User
from backend.db import Page
from backend.enforcement.models import (
    ActionPublic,
    ActionStatus,
    ActionViolation,
    EnforcementAction,
    Measure,
    Violation,
    ViolationStatus,
)
from backend.enforcement.schemas import ViolationPublic
from backend.enforcement.service import to_public
from backend.orgs import scope
from backend.orgs.models import Establishment


class MeasureRow(ActionPublic):
    establishment_name: str


class ViolationRow(ViolationPublic):
    establishment_name: str
    district_id: uuid.UUID
    measure_statuses: list[ActionStatus]  # the states of the measures that address it (none: no measure yet)


def _units(session: Session, user: User, district_id: uuid.UUID | None) -> set[uuid.UUID] | None:
    units = scope.visible_units(session, user)
    if district_id is not None:
        below = scope.descendants(session, [district_id])
        units = below if units is None else below & units
    return units


def _names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = session.exec(select(Establishment.id, Establishment.name).where(col(Establishment.id).in_(ids)))
    return {i: n for i, n in rows}


def _page(session: Session, stmt: Any, limit: int, offset: int) -> tuple[int, list[Any]]:
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    return total, list(session.exec(stmt.limit(limit).offset(offset)).all())


def measures(
    session: Session,
    user: User,
    *,
    status: ActionStatus | None,
    district_id: uuid.UUID | None,
    establishment_id: uuid.UUID | None,
    measure: Measure | None,
    limit: int,
    offset: int,
) -> Page[MeasureRow]:
    stmt = select(EnforcementAction)
    units = _units(session, user, district_id)
    if units is not None:
        stmt = stmt.where(col(EnforcementAction.district_id).in_(units))
    if status is not None:
        stmt = stmt.where(EnforcementAction.status == status)
    if establishment_id is not None:
        stmt = stmt.where(EnforcementAction.establishment_id == establishment_id)
    if measure is not None:
        stmt = stmt.where(EnforcementAction.measure == measure)
    stmt = stmt.order_by(col(EnforcementAction.created_at).desc(), col(EnforcementAction.id).desc())
    total, rows = _page(session, stmt, limit, offset)
    names = _names(session, {a.establishment_id for a in rows})
    items = [
        MeasureRow(**to_public(a, session=session).model_dump(), establishment_name=names.get(a.establishment_id, ""))
        for a in rows
    ]
    return Page(items=items, total=total, limit=limit, offset=offset)


def violations(
    session: Session,
    user: User,
    *,
    status: ViolationStatus | None,
    severity: str | None,
    repeat: bool | None,
    district_id: uuid.UUID | None,
    establishment_id: uuid.UUID | None,
    limit: int,
    offset: int,
) -> Page[ViolationRow]:
    stmt = select(Violation)
    units = _units(session, user, district_id)
    if units is not None:
        stmt = stmt.where(col(Violation.district_id).in_(units))
    if status is not None:
        stmt = stmt.where(Violation.status == status)
    if severity is not None:
        stmt = stmt.where(Violation.severity == severity)
    if repeat is not None:
        stmt = stmt.where(col(Violation.repeat_of_id).is_not(None) if repeat else col(Violation.repeat_of_id).is_(None))
    if establishment_id is not None:
        stmt = stmt.where(Violation.establishment_id == establishment_id)
    stmt = stmt.order_by(col(Violation.found_on).desc(), col(Violation.id).desc())
    total, rows = _page(session, stmt, limit, offset)
    names = _names(session, {v.establishment_id for v in rows})
    states: dict[uuid.UUID, list[ActionStatus]] = defaultdict(list)
    if rows:
        linked = session.exec(
            select(ActionViolation.violation_id, EnforcementAction.status)
            .join(EnforcementAction, col(EnforcementAction.id) == col(ActionViolation.action_id))
            .where(col(ActionViolation.violation_id).in_([v.id for v in rows]))
            .order_by(col(EnforcementAction.created_at))
        )
        for violation_id, state in linked:
            states[violation_id].append(ActionStatus(state))
    items = []
    for v in rows:
        public = ViolationPublic.model_validate(v).model_dump()
        public["repeat"] = v.repeat_of_id is not None
        items.append(
            ViolationRow(
                **public,
                establishment_name=names.get(v.establishment_id, ""),
                district_id=v.district_id,
                measure_statuses=states[v.id],
            )
        )
    return Page(items=items, total=total, limit=limit, offset=offset)
