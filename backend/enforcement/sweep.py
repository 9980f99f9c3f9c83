"""The daily jobs of enforcement, as plain functions of ``(session, now)`` (the worker runs them as job kinds
``enforcement.overdue_sweep`` and ``enforcement.follow_up_scheduling``; the CLI runs them once):

- ``overdue_sweep`` marks open measures past their deadline ``overdue`` (none with an appeal pending), proposes
  the next rung of the ladder to the supervisor, and closes escalated measures whose successor finished.
- ``schedule_follow_ups`` schedules one follow-up inspection per establishment for its orders whose deadline passed
  or whose employer claims compliance, assigned to the lead inspector of the visit, carrying the measures to verify.

Both are idempotent: a second run the same day changes nothing.
"""

import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from backend import changes
from backend.audit import service as audit_log
from backend.auth.models import User
from backend.changes import ActionChanged
from backend.checklists.authority import configured_authorities
from backend.enforcement import case, history, lifecycle
from backend.enforcement.case_models import FollowUpCheck, FollowUpReason
from backend.enforcement.models import ActionStatus, EnforcementAction, Measure
from backend.enforcement.schemas import ScheduleResult, SweepResult
from backend.inspections import service as inspections
from backend.inspections.models import Inspection, InspectionType
from backend.inspections.schemas import InspectionCreate, PinnedChecklist
from backend.orgs.timezone import local_date


def _holds_penalty_power(action: EnforcementAction) -> bool:
    mine = {a.value for a in configured_authorities()}
    return not action.authority or all(a in mine for a in action.authority.split(","))


def overdue_sweep(session: Session, now: datetime) -> SweepResult:
    """Mark, propose and close as of ``now``: a deadline is passed once the date of ``now`` in the measure's
    district (its time zone, ``orgs/timezone.py``) is after it."""
    latest = now.astimezone(UTC).date() + timedelta(days=1)  # no zone is a day and more ahead of UTC
    result = SweepResult()
    stmt = select(EnforcementAction).where(
        EnforcementAction.status == ActionStatus.open,
        col(EnforcementAction.measure).in_([m.value for m in lifecycle.WATCHED]),
        col(EnforcementAction.deadline).is_not(None),
        col(EnforcementAction.deadline) < latest,
    )
    for action in session.exec(stmt.order_by(col(EnforcementAction.deadline), col(EnforcementAction.id))).all():
        assert action.deadline is not None
        if action.deadline >= local_date(session, action.district_id, now):
            continue  # the district's day has not passed its deadline yet (its own time zone)
        if history.appeal_pending(session, action.id):
            continue  # the deadline is suspended
        proposal = lifecycle.next_rung(action.measure, holds_penalty_power=_holds_penalty_power(action))
        action.status = ActionStatus.overdue
        action.overdue_since = action.deadline
        action.proposed_measure = proposal
        action.updated_at = now
        session.add(action)
        details = {"deadline": action.deadline.isoformat(), "proposed": proposal.value if proposal else None}
        history.note(session, action, "overdue", ActionStatus.open, None, "deadline passed", at=now, **details)
        changes.record(session, ActionChanged(action.id))
        audit_log.record(session, None, "action.overdue", "enforcement_action", action.id, **details)
        result.marked_overdue.append(action.id)
        if proposal is not None:
            result.proposals[str(action.id)] = proposal
    escalated = select(EnforcementAction).where(
        EnforcementAction.status == ActionStatus.escalated, col(EnforcementAction.escalated_to_id).is_not(None)
    )
    for action in session.exec(escalated).all():
        successor = session.get(EnforcementAction, action.escalated_to_id)
        if successor is not None and successor.status in (ActionStatus.complied, ActionStatus.closed):
            case.close_predecessors(session, None, successor)
            result.closed.append(action.id)
    session.flush()
    return result


def _to_verify(session: Session) -> list[tuple[EnforcementAction, FollowUpReason]]:
    """Orders past their deadline, or claimed complied, that no follow-up still to be done verifies."""
    orders = (Measure.order_to_rectify.value, Measure.stop_work.value)
    stmt = select(EnforcementAction).where(
        col(EnforcementAction.measure).in_(orders),
        col(EnforcementAction.status).in_([ActionStatus.open.value, ActionStatus.overdue.value]),
    )
    pending = set(session.exec(select(FollowUpCheck.action_id).where(col(FollowUpCheck.result).is_(None))).all())
    found: list[tuple[EnforcementAction, FollowUpReason]] = []
    for action in session.exec(stmt.order_by(col(EnforcementAction.id))).all():
        if action.id in pending or history.appeal_pending(session, action.id):
            continue
        if action.status == ActionStatus.overdue:
            found.append((action, FollowUpReason.deadline_passed))
        elif action.claimed_at is not None:
            found.append((action, FollowUpReason.compliance_claimed))
    return found


def schedule_follow_ups(session: Session, now: datetime) -> ScheduleResult:
    """One follow-up inspection per establishment and lead inspector, carrying its measures to verify."""
    groups: dict[tuple[uuid.UUID, uuid.UUID], list[tuple[EnforcementAction, FollowUpReason]]] = defaultdict(list)
    for action, reason in _to_verify(session):
        visit = session.get(Inspection, action.inspection_id)
        assert visit is not None
        groups[(action.establishment_id, visit.lead_inspector_id)].append((action, reason))
    result = ScheduleResult()
    for (establishment_id, lead_id), items in sorted(groups.items(), key=lambda g: (str(g[0][0]), str(g[0][1]))):
        lead = session.get(User, lead_id)
        first = session.get(Inspection, items[0][0].inspection_id)
        assert lead is not None and first is not None
        pins = [PinnedChecklist(key=p.key, version=p.version) for p in inspections.checklists_of(session, first.id)]
        follow_up = inspections.create(
            session,
            lead,
            InspectionCreate(establishment_id=establishment_id, type=InspectionType.follow_up, checklists=pins),
        )
        for action, reason in items:
            session.add(
                FollowUpCheck(inspection_id=follow_up.id, action_id=action.id, reason=reason.value, scheduled_at=now)
            )
            history.note(
                session,
                action,
                "follow_up_scheduled",
                action.status,
                None,
                reason.value,
                at=now,
                inspection_id=str(follow_up.id),
            )
            changes.record(session, ActionChanged(action.id))
        audit_log.record(
            session, None, "follow_up.schedule", "inspection", follow_up.id, actions=[str(a.id) for a, _ in items]
        )
        result.inspections.append(follow_up.id)
        result.checks += len(items)
    session.flush()
    return result
