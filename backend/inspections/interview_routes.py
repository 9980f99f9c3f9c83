"""HTTP routes for the worker interviews of an inspection (counts and anonymous notes)."""

import uuid

from fastapi import APIRouter

from backend.api import SessionDep
from backend.auth.deps import CurrentUser
from backend.inspections import interviews, service
from backend.inspections.interviews import InterviewCreate, InterviewPublic

router = APIRouter(prefix="/inspections/{inspection_id}/interviews", tags=["inspections"])


@router.get("")
def list_interviews(session: SessionDep, user: CurrentUser, inspection_id: uuid.UUID) -> list[InterviewPublic]:
    """The interviews held during an inspection the user may see."""
    inspection = service.get_visible(session, user, inspection_id)
    return [InterviewPublic.model_validate(i) for i in interviews.interviews_of(session, inspection.id)]


@router.post("", status_code=201)
def record_interview(
    session: SessionDep, user: CurrentUser, inspection_id: uuid.UUID, data: InterviewCreate
) -> InterviewPublic:
    """Add an interview to a draft (or returned) inspection of the user's team."""
    inspection = service.get_visible(session, user, inspection_id)
    return InterviewPublic.model_validate(interviews.record(session, user, inspection, data))
