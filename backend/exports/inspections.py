"""The inspections dataset: one row per inspection in the caller's area. It has no ``type`` column and no
complaint flag: a visit triggered by a complaint must not be recognisable (C81 Art. 15(c))."""

import uuid
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from backend.auth.models import User
from backend.inspections.models import Inspection
from backend.orgs import scope
from backend.orgs.models import Establishment

HEADER = (
    "inspection_id", "establishment_id", "establishment_name", "registration_number", "isic", "district_id",
    "status", "visit_date", "started_at", "ended_at", "workers_present", "content_sha256",
)  # fmt: skip


def rows(
    session: Session, user: User, since: date | None, until: date | None, org_unit_id: uuid.UUID | None,
    isic: str | None,
) -> Iterator[Sequence[Any]]:  # fmt: skip
    columns: list[Any] = [
        Inspection.id,
        Inspection.establishment_id,
        Establishment.name,
        Establishment.registration_number,
        Establishment.isic,
        Inspection.district_id,
        Inspection.status,
        Inspection.visit_date,
        Inspection.started_at,
        Inspection.ended_at,
        Inspection.workers_present,
        Inspection.content_sha256,
    ]
    stmt = sa.select(*columns).join(Establishment, col(Establishment.id) == Inspection.establishment_id)  # fmt: skip
    units = scope.visible_units(session, user)
    if org_unit_id is not None:
        below = scope.descendants(session, [org_unit_id])
        units = below if units is None else units & below
    if units is not None:
        stmt = stmt.where(col(Inspection.district_id).in_(units))
    if since is not None:
        stmt = stmt.where(col(Inspection.visit_date) >= since)
    if until is not None:
        stmt = stmt.where(col(Inspection.visit_date) <= until)
    if isic:
        stmt = stmt.where(col(Establishment.isic).startswith(isic))
    stmt = stmt.order_by(col(Inspection.visit_date), col(Inspection.id)).execution_options(yield_per=1000)
    for row in session.execute(stmt):
        yield tuple(row)
