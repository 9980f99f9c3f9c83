"""``/api/v1/reports/denominators``: the employed persons and hours worked that the report's rates divide by,
entered (upserted per year, org unit, sex and section) by a supervisor of the unit or an admin, read by readers."""

import uuid
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query
from sqlmodel import col

from backend.api import SessionDep
from backend.audit import service as audit_log
from backend.auth.deps import ReaderUser, SupervisorUser
from backend.db import utcnow
from backend.errors import NotFound
from backend.orgs import scope
from backend.reports.models import Denominator, DenominatorIn, DenominatorPublic

router = APIRouter(prefix="/reports", tags=["reports"])
NOT_FOUND = {404: {"description": "No such org unit in your area"}}


@router.get("/denominators", response_model=list[DenominatorPublic], responses=NOT_FOUND)  # type: ignore[arg-type]
def list_denominators(
    session: SessionDep, user: ReaderUser, year: Annotated[int, Query(ge=1990, le=2100)], org_unit_id: uuid.UUID
) -> list[Denominator]:
    if not scope.can_see(session, user, org_unit_id):
        raise NotFound("org_unit.not_found", "No such org unit in your area.", id=str(org_unit_id))
    stmt = (
        sa.select(Denominator)
        .where(col(Denominator.year) == year, col(Denominator.org_unit_id) == org_unit_id)
        .order_by(col(Denominator.isic_section), col(Denominator.sex))
    )
    return list(session.execute(stmt).scalars())


@router.put("/denominators", response_model=DenominatorPublic, responses=NOT_FOUND)  # type: ignore[arg-type]
def put_denominator(session: SessionDep, user: SupervisorUser, data: DenominatorIn) -> Denominator:
    if not scope.can_see(session, user, data.org_unit_id):
        raise NotFound("org_unit.not_found", "No such org unit in your area.", id=str(data.org_unit_id))
    stmt = sa.select(Denominator).where(
        col(Denominator.year) == data.year,
        col(Denominator.org_unit_id) == data.org_unit_id,
        col(Denominator.sex) == data.sex,
        col(Denominator.isic_section) == data.isic_section,
    )
    row = session.execute(stmt).scalar_one_or_none()
    if row is None:
        row = Denominator(**data.model_dump(), updated_by=user.id)
        session.add(row)
    else:
        row.employed, row.hours_worked, row.source = data.employed, data.hours_worked, data.source
        row.updated_by, row.updated_at = user.id, utcnow()
    session.flush()
    audit_log.record(
        session,
        user.id,
        "report_denominator.put",
        "report_denominator",
        row.id,
        year=data.year,
        org_unit_id=str(data.org_unit_id),
        sex=data.sex.value,
        isic_section=data.isic_section,
        employed=data.employed,
        hours_worked=data.hours_worked,
    )
    return row
