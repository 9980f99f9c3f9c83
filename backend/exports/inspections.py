"""The inspections dataset: one row per inspection in the caller's area. It has no ``type`` column and no
complaint flag: a visit triggered by a complaint must not be recognisable (C81 Art. 15(c))."""

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from backend.auth.models import User
from backend.exports import filters as flt
from backend.exports.datasets import Dataset, register
from backend.inspections.models import Finding, Inspection, InspectionChecklist
from backend.orgs.models import Establishment

HEADER = (
    "inspection_id", "establishment_id", "establishment_name", "registration_number", "isic", "district_id",
    "status", "visit_date", "started_at", "ended_at", "workers_present", "content_sha256",
)  # fmt: skip


def statement(session: Session, user: User | None, f: flt.Filters) -> Any:
    columns: list[Any] = [
        Inspection.id, Inspection.establishment_id, Establishment.name, Establishment.registration_number,
        Establishment.isic, Inspection.district_id, Inspection.status, Inspection.visit_date, Inspection.started_at,
        Inspection.ended_at, Inspection.workers_present, Inspection.content_sha256,
    ]  # fmt: skip
    stmt = sa.select(*columns).join(Establishment, col(Establishment.id) == Inspection.establishment_id)
    stmt = flt.where_units(stmt, Inspection.district_id, flt.units(session, user, f))
    stmt = flt.where_period(stmt, col(Inspection.visit_date), f)
    stmt = flt.where_isic(stmt, Establishment.isic, f)
    if f.checklist:
        pinned = sa.select(col(InspectionChecklist.inspection_id)).where(
            col(InspectionChecklist.inspection_id) == Inspection.id,
            col(InspectionChecklist.checklist_key) == f.checklist,
        )
        stmt = stmt.where(pinned.exists())
    if f.convention:
        cited = f.model_copy(update={"checklist": None})
        cond = flt.item_condition(session, col(Finding.checklist_key), col(Finding.item_id), cited)
        stmt = stmt.where(sa.select(col(Finding.id)).where(col(Finding.inspection_id) == Inspection.id, cond).exists())
    return stmt.order_by(col(Inspection.visit_date), col(Inspection.id))


DATASET = register(Dataset("inspections", HEADER, frozenset({"isic", "checklist", "convention"}), statement))
