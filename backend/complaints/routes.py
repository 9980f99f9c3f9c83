"""HTTP routes for complaints: record one, list those you may read, read one."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from backend.api import SessionDep
from backend.auth.deps import CurrentUser
from backend.complaints import service
from backend.complaints.models import ComplaintCreate, ComplaintPublic, ComplaintStatus
from backend.db import Page
from backend.fields import NonNegInt64

router = APIRouter(prefix="/complaints", tags=["complaints"])


@router.post("", response_model=ComplaintPublic, status_code=201)
def create_complaint(session: SessionDep, user: CurrentUser, data: ComplaintCreate) -> ComplaintPublic:
    return ComplaintPublic.model_validate(service.create(session, user, data))


@router.get("", response_model=Page[ComplaintPublic])
def list_complaints(
    session: SessionDep,
    user: CurrentUser,
    status: ComplaintStatus | None = None,
    establishment_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[NonNegInt64, Query()] = 0,
) -> Page[ComplaintPublic]:
    return service.search(session, user, status=status, establishment_id=establishment_id, limit=limit, offset=offset)


@router.get("/{complaint_id}", response_model=ComplaintPublic)
def read_complaint(session: SessionDep, user: CurrentUser, complaint_id: uuid.UUID) -> ComplaintPublic:
    return ComplaintPublic.model_validate(service.get_visible(session, user, complaint_id))
