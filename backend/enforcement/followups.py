"""A follow-up inspection's result per measure it verifies: complied closes the measure (verified), not complied
escalates it with the next rung proposed to the supervisor."""

import uuid

from sqlmodel import Session, col, select

from backend.audit import service as audit_log
from backend.auth.models import User
from backend.db import utcnow
from backend.enforcement import case, lifecycle
from backend.enforcement.case_models import FollowUpCheck
from backend.enforcement.models import ActionStatus, EnforcementAction
from backend.enforcement.schemas import FollowUpResult
from backend.enforcement.sweep import _holds_penalty_power
from backend.errors import Conflict, NotFound
from backend.inspections import service as inspections
from backend.inspections.models import Inspection


def checks_of(session: Session, inspection_id: uuid.UUID) -> list[FollowUpCheck]:
    stmt = select(FollowUpCheck).where(FollowUpCheck.inspection_id == inspection_id)
    return list(session.exec(stmt.order_by(col(FollowUpCheck.action_id))).all())


def pending_for(session: Session, action_id: uuid.UUID) -> uuid.UUID | None:
    """The follow-up inspection that is to verify this measure, if one is scheduled and not done."""
    stmt = select(FollowUpCheck.inspection_id).where(
        FollowUpCheck.action_id == action_id, col(FollowUpCheck.result).is_(None)
    )
    return session.exec(stmt).first()


def record_result(
    session: Session, user: User, inspection: Inspection, action_id: uuid.UUID, data: FollowUpResult
) -> FollowUpCheck:
    inspections.require_member(session, user, inspection)
    check = session.exec(
        select(FollowUpCheck).where(FollowUpCheck.inspection_id == inspection.id, FollowUpCheck.action_id == action_id)
    ).first()
    if check is None:
        raise NotFound("follow_up.not_found", "This inspection does not verify that measure.", id=str(action_id))
    if check.result is not None:
        raise Conflict("follow_up.recorded", f"The result was recorded already ({check.result}).")
    action = session.get(EnforcementAction, action_id)
    assert action is not None
    check.result, check.evidence, check.note = data.result, data.evidence, data.note
    check.recorded_by, check.recorded_at = user.id, utcnow()
    session.add(check)
    audit_log.record(
        session,
        user.id,
        "follow_up.result",
        "follow_up_check",
        check.id,
        action_id=str(action_id),
        result=data.result,
        evidence=data.evidence,
    )
    details = {"inspection_id": str(inspection.id), "evidence": data.evidence}
    if action.status in lifecycle.FINISHED or action.status == ActionStatus.escalated:
        return check
    if data.result == "complied":
        case._move(
            session, user, action, ActionStatus.complied, "verify", data.note or "verified on follow-up", **details
        )
        case.close_predecessors(session, user, action)
    else:
        action.proposed_measure = lifecycle.next_rung(action.measure, holds_penalty_power=_holds_penalty_power(action))
        case._move(
            session,
            user,
            action,
            ActionStatus.escalated,
            "not_complied",
            data.note or "not complied",
            proposed=action.proposed_measure.value if action.proposed_measure else None,
            **details,
        )
    return check
