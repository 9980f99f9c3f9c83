"""Worker interviews held during an inspection: how many men, women and young workers were heard, and an
anonymous note. No names are ever stored — an informant's identity is protected (C81 Art. 15(c))."""

import uuid
from typing import Annotated

from pydantic import Field
from sqlmodel import Session, col, select

from backend.audit import service as audit_log
from backend.auth.models import User
from backend.db import insert_once
from backend.errors import Conflict, Invalid
from backend.inspections import service as inspections
from backend.inspections import workflow
from backend.inspections.models import Inspection, InspectionInterview
from backend.inspections.schemas import In, Out

Count = Annotated[int, Field(ge=0, le=100_000)]


class InterviewCreate(In):
    id: uuid.UUID | None = None
    men: Count = 0
    women: Count = 0
    under_18: Count = 0
    note: Annotated[str, Field(max_length=2000)] = ""


class InterviewPublic(Out):
    id: uuid.UUID
    inspection_id: uuid.UUID
    men: int
    women: int
    under_18: int
    note: str
    recorded_by: uuid.UUID


def interviews_of(session: Session, inspection_id: uuid.UUID) -> list[InspectionInterview]:
    stmt = select(InspectionInterview).where(InspectionInterview.inspection_id == inspection_id)
    return list(session.exec(stmt.order_by(col(InspectionInterview.id))).all())


def record(session: Session, user: User, inspection: Inspection, data: InterviewCreate) -> InspectionInterview:
    """Add one interview to an inspection the user is working on (append-only, audited)."""
    workflow.require_editable(inspection.status)
    inspections.require_member(session, user, inspection)
    if data.men + data.women == 0:
        raise Invalid("interview.empty", "An interview needs at least one worker heard.")
    if data.under_18 > data.men + data.women:
        raise Invalid("interview.under_18_exceeds_total", "Young workers cannot outnumber the workers heard.")
    if data.id is not None and session.get(InspectionInterview, data.id) is not None:
        raise Conflict("interview.id_taken", "An interview with this id already exists.")
    interview = InspectionInterview(
        inspection_id=inspection.id, recorded_by=user.id, **data.model_dump(exclude_none=True)
    )
    insert_once(session, Conflict("interview.id_taken", "An interview with this id already exists."), interview)
    inspections.touch(inspection)
    session.add(inspection)
    session.flush()
    after = InterviewPublic.model_validate(interview).model_dump(mode="json")
    audit_log.record(session, user.id, "interview.record", "inspection", inspection.id, before=None, after=after)
    return interview
