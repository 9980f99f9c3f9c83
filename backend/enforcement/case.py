"""Decisions on a measure after it was recorded: escalation to the next measure (a supervisor), appeals that
suspend its deadline, a penalty's payment, the employer's claim of compliance. Each writes its history row and an
audit event."""

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from backend import changes
from backend.audit import service as audit_log
from backend.auth.models import User
from backend.changes import ActionChanged
from backend.db import utcnow
from backend.enforcement import history, lifecycle
from backend.enforcement import service as actions
from backend.enforcement.models import (
    ActionAppeal,
    ActionCreate,
    ActionStatus,
    AppealStatus,
    EnforcementAction,
    Measure,
    PaymentStatus,
)
from backend.enforcement.schemas import AppealDecide, AppealLodge, Claim, Escalate, EscalationDismiss, Payment
from backend.errors import Conflict, Forbidden, Invalid
from backend.inspections import service as inspections
from backend.inspections.models import Inspection
from backend.orgs import scope
from backend.orgs.timezone import local_date


def _supervisor(session: Session, user: User, action: EnforcementAction) -> None:
    if user.role not in actions.PRIVILEGED or not scope.can_see(session, user, action.district_id):
        raise Forbidden("action.decision_forbidden", "Only a supervisor of the district decides on a measure.")


def _move(
    session: Session,
    user: User | None,
    action: EnforcementAction,
    target: ActionStatus,
    kind: str,
    note: str,
    **details: Any,
) -> None:
    if not lifecycle.allowed(action.status, target):
        raise Conflict(
            "action.invalid_transition",
            f"A measure {action.status.value} cannot become {target.value}.",
            status=action.status.value,
        )
    previous = action.status
    action.status = target
    action.updated_at = utcnow()
    if target in lifecycle.FINISHED:
        action.closed_at = action.updated_at
        action.closed_by = user.id if user is not None else None
        action.close_note = note
    session.add(action)
    history.note(session, action, kind, previous, user.id if user is not None else None, note, **details)
    changes.record(session, ActionChanged(action.id))
    audit_log.record(
        session,
        user.id if user is not None else None,
        f"action.{kind}",
        "enforcement_action",
        action.id,
        status=target.value,
        note=note,
        **details,
    )


def escalate(session: Session, user: User, action: EnforcementAction, data: Escalate) -> EnforcementAction:
    """Record the next measure (linked to the same items and violations) and mark this one escalated."""
    _supervisor(session, user, action)
    if action.status not in (ActionStatus.open, ActionStatus.overdue, ActionStatus.escalated):
        raise Conflict(
            "action.invalid_transition",
            f"A measure {action.status.value} is not escalated.",
            status=action.status.value,
        )
    if action.escalated_to_id is not None:
        raise Conflict(
            "action.already_escalated",
            "This measure was escalated already.",
            escalated_to_id=str(action.escalated_to_id),
        )
    measure = data.measure or action.proposed_measure
    if measure is None:
        raise Invalid("action.measure_required", "Name the next measure: none is proposed.")
    inspection = session.get(Inspection, action.inspection_id)
    assert inspection is not None
    create = ActionCreate(
        item_ids=action.item_ids,
        measure=measure,
        deadline_days=data.deadline_days,
        text=data.text,
        referral_to=data.referral_to,
        penalty_minor=data.penalty_minor,
        currency=data.currency,
        penalty_article=data.penalty_article,
        decision_number=data.decision_number,
    )
    successor = actions.record(session, user, inspection, create, escalated_from=action.id)
    if data.deadline_days is not None:  # from the decision, not from the visit
        successor.deadline = local_date(session, action.district_id, utcnow()) + timedelta(days=data.deadline_days)
    action.escalated_to_id = successor.id
    action.proposed_measure = None
    if action.status != ActionStatus.escalated:
        _move(
            session,
            user,
            action,
            ActionStatus.escalated,
            "escalate",
            data.note,
            to=str(successor.id),
            measure=measure.value,
        )
    else:
        history.note(session, action, "escalate", action.status, user.id, data.note, to=str(successor.id))
        changes.record(session, ActionChanged(action.id))
    return successor


def dismiss_proposal(
    session: Session, user: User, action: EnforcementAction, data: EscalationDismiss
) -> EnforcementAction:
    """A supervisor declines the proposed next measure with a reason; the measure keeps its state, the proposal
    goes (the sweep proposes only once per missed deadline, so it does not come back)."""
    _supervisor(session, user, action)
    if action.proposed_measure is None or action.escalated_to_id is not None:
        raise Conflict("action.no_proposal", "No escalation is proposed for this measure.", status=action.status.value)
    dismissed = action.proposed_measure.value
    action.proposed_measure = None
    action.updated_at = utcnow()
    session.add(action)
    history.note(session, action, "escalation_dismissed", action.status, user.id, data.reason, proposed=dismissed)
    changes.record(session, ActionChanged(action.id))
    audit_log.record(
        session,
        user.id,
        "action.escalation_dismissed",
        "enforcement_action",
        action.id,
        status=action.status.value,
        note=data.reason,
        proposed=dismissed,
    )
    return action


def close_predecessors(session: Session, user: User | None, action: EnforcementAction) -> None:
    """A finished successor closes the measure it escalated (and that one's, up the chain)."""
    current = action
    while current.escalated_from_id is not None:
        previous = session.get(EnforcementAction, current.escalated_from_id)
        if previous is None or previous.status != ActionStatus.escalated:
            return
        _move(
            session,
            user,
            previous,
            ActionStatus.closed,
            "close",
            f"successor {current.status.value}",
            successor=str(current.id),
        )
        current = previous


def lodge_appeal(session: Session, user: User, action: EnforcementAction, data: AppealLodge) -> ActionAppeal:
    """An administrative reconsideration or lawsuit: the deadline stops running until it is decided."""
    _supervisor(session, user, action)
    if action.status in lifecycle.FINISHED:
        raise Conflict("action.closed", f"The action is already {action.status.value}.", status=action.status.value)
    if history.appeal_pending(session, action.id):
        raise Conflict("appeal.pending", "An appeal against this measure is pending already.")
    appeal = ActionAppeal(
        action_id=action.id,
        kind=data.kind,
        lodged_on=data.lodged_on,
        body=data.body,
        grounds=data.grounds,
        recorded_by=user.id,
    )
    session.add(appeal)
    session.flush()
    history.note(
        session,
        action,
        "appeal_lodged",
        action.status,
        user.id,
        data.grounds[:2000],
        appeal_id=str(appeal.id),
        appeal_kind=data.kind.value,
    )
    changes.record(session, ActionChanged(action.id))
    audit_log.record(
        session,
        user.id,
        "appeal.lodge",
        "action_appeal",
        appeal.id,
        action_id=str(action.id),
        appeal_kind=data.kind.value,
        lodged_on=data.lodged_on.isoformat(),
    )
    return appeal


def decide_appeal(session: Session, user: User, appeal: ActionAppeal, data: AppealDecide) -> ActionAppeal:
    """Upheld or varied: the deadline resumes, moved on by the days the appeal was pending (or set anew when
    varied); revoked: the measure is withdrawn."""
    action = session.get(EnforcementAction, appeal.action_id)
    assert action is not None
    _supervisor(session, user, action)
    if appeal.status != AppealStatus.pending:
        raise Conflict("appeal.decided", f"The appeal was decided already ({appeal.status.value}).")
    if data.decided_on < appeal.lodged_on:
        raise Invalid("appeal.decided_before_lodged", "An appeal is decided after it was lodged.")
    appeal.status = AppealStatus(data.outcome)
    appeal.decided_on, appeal.decision_note, appeal.decided_by = data.decided_on, data.note, user.id
    session.add(appeal)
    if appeal.status == AppealStatus.revoked:
        _move(session, user, action, ActionStatus.withdrawn, "appeal_revoked", data.note, appeal_id=str(appeal.id))
        return appeal
    if data.outcome == "varied" and data.penalty_minor is not None:
        action.penalty_minor = data.penalty_minor
    if data.outcome == "varied" and data.deadline is not None:
        action.deadline = data.deadline
    elif action.deadline is not None and appeal.lodged_on <= action.deadline:
        action.deadline = action.deadline + (data.decided_on - appeal.lodged_on)
    previous = action.status
    if action.status == ActionStatus.overdue and action.deadline is not None and action.deadline >= data.decided_on:
        action.status, action.overdue_since, action.proposed_measure = ActionStatus.open, None, None
    action.updated_at = utcnow()
    session.add(action)
    history.note(
        session,
        action,
        f"appeal_{appeal.status.value}",
        previous,
        user.id,
        data.note,
        appeal_id=str(appeal.id),
        deadline=action.deadline.isoformat() if action.deadline else None,
    )
    changes.record(session, ActionChanged(action.id))
    audit_log.record(
        session,
        user.id,
        "appeal.decide",
        "action_appeal",
        appeal.id,
        outcome=data.outcome,
        decided_on=data.decided_on.isoformat(),
    )
    return appeal


def pay(session: Session, user: User, action: EnforcementAction, data: Payment) -> EnforcementAction:
    """A penalty paid (or waived) closes it."""
    _supervisor(session, user, action)
    if action.measure != Measure.penalty:
        raise Invalid("action.not_a_penalty", "Only a penalty is paid.")
    action.payment_status = PaymentStatus(data.status)
    action.paid_on = data.paid_on
    _move(
        session,
        user,
        action,
        ActionStatus.closed,
        "payment",
        data.note,
        payment=data.status,
        paid_on=data.paid_on.isoformat(),
    )
    close_predecessors(session, user, action)
    return action


def claim(session: Session, user: User, action: EnforcementAction, data: Claim) -> EnforcementAction:
    """The employer reports compliance (recorded by the team or a supervisor); a follow-up visit verifies it."""
    inspection = session.get(Inspection, action.inspection_id)
    assert inspection is not None
    if not (inspections.is_member(session, user, inspection) or user.role in actions.PRIVILEGED):
        raise Forbidden("inspection.not_team_member", "Only the inspection team or a supervisor records a claim.")
    if action.status not in (ActionStatus.open, ActionStatus.overdue):
        raise Conflict("action.closed", f"The action is already {action.status.value}.", status=action.status.value)
    action.claimed_at = action.updated_at = utcnow()
    session.add(action)
    history.note(session, action, "claim", action.status, user.id, data.note)
    changes.record(session, ActionChanged(action.id))
    audit_log.record(session, user.id, "action.claim", "enforcement_action", action.id, note=data.note)
    return action


def today() -> date:
    return utcnow().date()
