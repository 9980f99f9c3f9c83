"""Who has what: open inspections (draft or returned) in the supervisor's area with their lead and team by name,
and the staff of the area with how many each holds. Creating and reassigning go through the inspections service."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlmodel import Session, col

from backend.auth.models import Role, User, UserOrgUnit
from backend.fields import Input
from backend.inspections.models import Inspection, InspectionMember, InspectionType
from backend.inspections.schemas import PinnedChecklist
from backend.inspections.workflow import EDITABLE, Status
from backend.orgs import scope
from backend.orgs.models import Establishment, OrgUnit


class AssignmentCreate(Input):
    establishment_id: uuid.UUID
    type: InspectionType = InspectionType.planned
    lead_inspector_id: uuid.UUID
    team: Annotated[list[uuid.UUID], Field(max_length=20)] = []
    checklists: Annotated[list[PinnedChecklist], Field(min_length=1, max_length=30)]
    visit_date: date | None = None


class Reassign(Input):
    lead_inspector_id: uuid.UUID
    team: Annotated[list[uuid.UUID], Field(max_length=20)] = []


class Assignment(BaseModel):
    id: uuid.UUID
    establishment_id: uuid.UUID
    establishment: str
    district: dict[str, str]
    type: InspectionType
    status: Status
    visit_date: date | None
    started_at: datetime | None
    created_at: datetime
    lead_inspector_id: uuid.UUID
    lead: str
    team: list[str]


class StaffMember(BaseModel):
    id: uuid.UUID
    name: str
    email: str
    role: Role
    org_units: list[dict[str, str]]
    open_assignments: int


def assignments(
    session: Session, user: User, inspector_id: uuid.UUID | None, limit: int, only: uuid.UUID | None = None
) -> list[Assignment]:
    stmt = (
        select(Inspection, col(Establishment.name), col(OrgUnit.name_en), col(OrgUnit.name_zh), col(User.name))
        .join(Establishment, col(Establishment.id) == col(Inspection.establishment_id))
        .join(OrgUnit, col(OrgUnit.id) == col(Inspection.district_id))
        .join(User, col(User.id) == col(Inspection.lead_inspector_id))
        .where(col(Inspection.status).in_(EDITABLE))
    )
    units = scope.visible_units(session, user)
    if units is not None:
        stmt = stmt.where(col(Inspection.district_id).in_(units))
    if only is not None:
        stmt = stmt.where(col(Inspection.id) == only)
    if inspector_id is not None:
        team = select(col(InspectionMember.inspection_id)).where(col(InspectionMember.user_id) == inspector_id)
        stmt = stmt.where(col(Inspection.id).in_(team))
    rows = session.execute(
        stmt.order_by(col(Inspection.visit_date).desc(), col(Inspection.created_at).desc()).limit(limit)
    ).all()
    ids = [r[0].id for r in rows]
    teams: dict[uuid.UUID, list[str]] = {}
    if ids:
        members = session.execute(
            select(col(InspectionMember.inspection_id), col(User.name))
            .join(User, col(User.id) == col(InspectionMember.user_id))
            .where(col(InspectionMember.inspection_id).in_(ids))
            .order_by(col(User.name))
        ).all()
        for key, name in members:
            teams.setdefault(key, []).append(name)
    return [
        Assignment(
            id=i.id,
            establishment_id=i.establishment_id,
            establishment=est,
            district={"en": en, "zh": zh},
            type=i.type,
            status=i.status,
            visit_date=i.visit_date,
            started_at=i.started_at,
            created_at=i.created_at,
            lead_inspector_id=i.lead_inspector_id,
            lead=lead,
            team=teams.get(i.id, []),
        )
        for i, est, en, zh, lead in rows
    ]


def staff(session: Session, user: User) -> list[StaffMember]:
    """Active inspectors and supervisors of the caller's area (everyone's for an admin), by name."""
    stmt = select(User).where(col(User.active), col(User.role) != Role.admin)
    units = scope.visible_units(session, user)
    if units is not None:
        stmt = stmt.where(
            col(User.id).in_(select(col(UserOrgUnit.user_id)).where(col(UserOrgUnit.org_unit_id).in_(units)))
        )
    people = list(session.execute(stmt.order_by(col(User.name), col(User.id))).scalars())
    ids = [u.id for u in people]
    unit_rows = session.execute(
        select(col(UserOrgUnit.user_id), col(OrgUnit.code), col(OrgUnit.name_en), col(OrgUnit.name_zh))
        .join(OrgUnit, col(OrgUnit.id) == col(UserOrgUnit.org_unit_id))
        .where(col(UserOrgUnit.user_id).in_(ids))
    ).all()
    unit_names: dict[uuid.UUID, list[dict[str, str]]] = {}
    for uid, code, en, zh in unit_rows:
        unit_names.setdefault(uid, []).append({"code": code, "en": en, "zh": zh})
    held: dict[uuid.UUID, int] = dict(
        session.execute(
            select(col(InspectionMember.user_id), func.count())
            .join(Inspection, col(Inspection.id) == col(InspectionMember.inspection_id))
            .where(col(InspectionMember.user_id).in_(ids), col(Inspection.status).in_(EDITABLE))
            .group_by(col(InspectionMember.user_id))
        ).all()
    )
    return [
        StaffMember(
            id=u.id,
            name=u.name,
            email=u.email,
            role=u.role,
            org_units=unit_names.get(u.id, []),
            open_assignments=int(held.get(u.id, 0)),
        )
        for u in people
    ]
