"""HTTP routes of the supervisor's desk (issue 16): queue, the inspection's desk view, decisions, assignments,
staff, dashboard and org-unit administration. Supervisors and admins only, except the desk view, which anyone who
may read the inspection gets (its team included)."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from backend.api import SessionDep
from backend.auth.deps import AdminUser, CurrentUser, SupervisorUser
from backend.db import utcnow
from backend.desk import assignments, dashboard, org_units, queue, view
from backend.fields import SearchText
from backend.inspections import review
from backend.inspections import service as inspections
from backend.inspections.models import InspectionType
from backend.inspections.schemas import InspectionCreate, ReviewCreate
from backend.orgs.models import OrgUnitPublic
from backend.orgs.timezone import local_date

router = APIRouter(tags=["desk"])
Cursor = Annotated[str, Query(max_length=200, pattern=r"^[A-Za-z0-9_-]+$")]
Severity = Annotated[str, Query(pattern=r"^[a-z_]{1,32}$")]
Sector = Annotated[str, Query(pattern=r"^(?:[A-U]|\d{1,4})$")]


@router.get("/review-queue", response_model=queue.QueuePage)
def review_queue(
    session: SessionDep,
    user: SupervisorUser,
    district_id: uuid.UUID | None = None,
    inspector: SearchText | None = None,
    establishment: SearchText | None = None,
    sector: Sector | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    type: InspectionType | None = None,
    has_non_compliances: bool | None = None,
    severity: Severity | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    after: Cursor | None = None,
) -> queue.QueuePage:
    """Submitted inspections in your area waiting for review, oldest submission first; ``next`` is the cursor of
    the following page (pass it as ``after``)."""
    filters = queue.QueueFilters(
        district_id=district_id, inspector=inspector, establishment=establishment, sector=sector,
        date_from=date_from, date_to=date_to, type=type, has_non_compliances=has_non_compliances, severity=severity,
    )  # fmt: skip
    return queue.queue(session, user, filters, limit=limit, after=after)


@router.get("/inspections/{inspection_id}/desk", response_model=view.DeskView)
def inspection_desk(session: SessionDep, user: CurrentUser, inspection_id: uuid.UUID) -> view.DeskView:
    return view.desk_view(session, inspections.get_visible(session, user, inspection_id))


@router.post("/inspections/{inspection_id}/decision", response_model=view.DeskView)
def decide(session: SessionDep, user: SupervisorUser, inspection_id: uuid.UUID, data: ReviewCreate) -> view.DeskView:
    """Approve, or return for correction with an overall comment and a comment on any finding (never your own)."""
    inspection = inspections.get_visible(session, user, inspection_id)
    review.review(session, user, inspection, data)
    return view.desk_view(session, inspection)


@router.get("/assignments", response_model=list[assignments.Assignment])
def list_assignments(
    session: SessionDep,
    user: SupervisorUser,
    inspector_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[assignments.Assignment]:
    """Open inspections (draft or returned) in your area: who has what."""
    return assignments.assignments(session, user, inspector_id, limit)


@router.post("/assignments", response_model=assignments.Assignment, status_code=201)
def create_assignment(
    session: SessionDep, user: SupervisorUser, data: assignments.AssignmentCreate
) -> assignments.Assignment:
    """An inspection for an inspector (and a team): it appears on their devices at their next pull."""
    created = inspections.create(
        session,
        user,
        InspectionCreate(
            establishment_id=data.establishment_id,
            type=data.type,
            lead_inspector_id=data.lead_inspector_id,
            team=data.team,
            checklists=data.checklists,
            visit_date=data.visit_date,
        ),
    )
    return _one(session, user, created.id)


@router.post("/assignments/{inspection_id}/reassign", response_model=assignments.Assignment)
def reassign(
    session: SessionDep, user: SupervisorUser, inspection_id: uuid.UUID, data: assignments.Reassign
) -> assignments.Assignment:
    inspection = inspections.get_visible(session, user, inspection_id)
    inspections.reassign(session, user, inspection, data.lead_inspector_id, data.team)
    return _one(session, user, inspection.id)


def _one(session: SessionDep, user: SupervisorUser, inspection_id: uuid.UUID) -> assignments.Assignment:
    return assignments.assignments(session, user, None, 1, only=inspection_id)[0]


@router.get("/staff", response_model=list[assignments.StaffMember])
def list_staff(session: SessionDep, user: SupervisorUser) -> list[assignments.StaffMember]:
    return assignments.staff(session, user)


@router.get("/dashboard", response_model=dashboard.Dashboard)
def read_dashboard(
    session: SessionDep,
    user: SupervisorUser,
    district_id: uuid.UUID | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> dashboard.Dashboard:
    today = local_date(session, district_id, utcnow())  # the district's day (else LI_DEFAULT_TIMEZONE's)
    start, end = dashboard.default_period(today)
    return dashboard.dashboard(session, user, district_id, date_from or start, date_to or end, today)


@router.post("/org-units", response_model=OrgUnitPublic, status_code=201)
def create_org_unit(session: SessionDep, admin: AdminUser, data: org_units.OrgUnitCreate) -> object:
    return org_units.create(session, data, actor_id=admin.id)


@router.patch("/org-units/{unit_id}", response_model=OrgUnitPublic)
def rename_org_unit(session: SessionDep, admin: AdminUser, unit_id: uuid.UUID, data: org_units.OrgUnitRename) -> object:
    return org_units.rename(session, unit_id, data, actor_id=admin.id)
