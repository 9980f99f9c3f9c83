"""HTTP routes for complaints: intake, triage, assignment, the inspection it triggers, outcome and reply; the
statistical view; grants to reveal complainants and the audited reveal."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from backend.api import SessionDep
from backend.auth.deps import AdminUser, CurrentUser, ReaderUser
from backend.complaints import service
from backend.complaints.identity import ComplainantRevealed
from backend.complaints.models import (
    Complaint,
    ComplaintAssign,
    ComplaintCreate,
    ComplaintInspection,
    ComplaintOutcome,
    ComplaintPublic,
    ComplaintReply,
    ComplaintStatistical,
    ComplaintStatus,
    ComplaintTriage,
    GrantCreate,
    GrantPublic,
    RevealRequest,
)
from backend.complaints.public import to_public_many
from backend.db import Page
from backend.fields import NonNegInt64
from backend.inspections import service as inspections
from backend.inspections.schemas import InspectionPublic

router = APIRouter(prefix="/complaints", tags=["complaints"])


def current_complaint(session: SessionDep, user: CurrentUser, complaint_id: uuid.UUID) -> Complaint:
    return service.get_visible(session, user, complaint_id)


CurrentComplaint = Annotated[Complaint, Depends(current_complaint)]


@router.post("", response_model=ComplaintPublic, status_code=201)
def create_complaint(session: SessionDep, user: CurrentUser, data: ComplaintCreate) -> ComplaintPublic:
    return ComplaintPublic.model_validate(service.create(session, user, data))


@router.get("", response_model=Page[ComplaintPublic])
def list_complaints(
    session: SessionDep,
    user: CurrentUser,
    status: ComplaintStatus | None = None,
    establishment_id: uuid.UUID | None = None,
    assigned_to: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[NonNegInt64, Query()] = 0,
) -> Page[ComplaintPublic]:
    return service.search(
        session,
        user,
        status=status,
        establishment_id=establishment_id,
        assigned_to=assigned_to,
        limit=limit,
        offset=offset,
    )


@router.get("/statistical", response_model=list[ComplaintStatistical])
def statistical_view(
    session: SessionDep,
    user: ReaderUser,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    offset: Annotated[NonNegInt64, Query()] = 0,
) -> list[ComplaintStatistical]:
    """The export shape (``complaints.public.to_public``): no identity, no free text."""
    return to_public_many(service.statistical_rows(session, user, limit=limit, offset=offset))


@router.get("/reveal-grants", response_model=list[GrantPublic])
def list_reveal_grants(session: SessionDep, user: AdminUser) -> list[GrantPublic]:
    return [GrantPublic.model_validate(g) for g in service.list_grants(session)]


@router.post("/reveal-grants", response_model=GrantPublic, status_code=201)
def grant_reveal(session: SessionDep, user: AdminUser, data: GrantCreate) -> GrantPublic:
    return GrantPublic.model_validate(service.grant(session, user, data.user_id))


@router.post("/reveal-grants/{grant_id}/revoke", response_model=GrantPublic)
def revoke_reveal(session: SessionDep, user: AdminUser, grant_id: uuid.UUID) -> GrantPublic:
    return GrantPublic.model_validate(service.revoke_grant(session, user, grant_id))


@router.get("/{complaint_id}", response_model=ComplaintPublic)
def read_complaint(complaint: CurrentComplaint) -> ComplaintPublic:
    return ComplaintPublic.model_validate(complaint)


@router.post("/{complaint_id}/triage", response_model=ComplaintPublic)
def triage_complaint(
    session: SessionDep, user: CurrentUser, complaint: CurrentComplaint, data: ComplaintTriage
) -> ComplaintPublic:
    return ComplaintPublic.model_validate(service.triage(session, user, complaint, data))


@router.post("/{complaint_id}/assign", response_model=ComplaintPublic)
def assign_complaint(
    session: SessionDep, user: CurrentUser, complaint: CurrentComplaint, data: ComplaintAssign
) -> ComplaintPublic:
    return ComplaintPublic.model_validate(service.assign(session, user, complaint, data))


@router.post("/{complaint_id}/inspection", response_model=InspectionPublic, status_code=201)
def open_complaint_inspection(
    session: SessionDep, user: CurrentUser, complaint: CurrentComplaint, data: ComplaintInspection
) -> InspectionPublic:
    return inspections.to_public(session, service.open_inspection(session, user, complaint, data))


@router.post("/{complaint_id}/outcome", response_model=ComplaintPublic)
def record_outcome(
    session: SessionDep, user: CurrentUser, complaint: CurrentComplaint, data: ComplaintOutcome
) -> ComplaintPublic:
    return ComplaintPublic.model_validate(service.conclude(session, user, complaint, data))


@router.post("/{complaint_id}/reply", response_model=ComplaintPublic)
def record_reply(
    session: SessionDep, user: CurrentUser, complaint: CurrentComplaint, data: ComplaintReply
) -> ComplaintPublic:
    return ComplaintPublic.model_validate(service.reply(session, user, complaint, data))


@router.post("/{complaint_id}/complainant/reveal", response_model=ComplainantRevealed)
def reveal_complainant(
    session: SessionDep, user: CurrentUser, complaint: CurrentComplaint, data: RevealRequest
) -> ComplainantRevealed:
    """The complainant's identity, for a user granted it; every call is audited (reason, never the identity)."""
    return service.reveal(session, user, complaint, data.reason)
