"""Recording enforcement actions on an inspection (also after submission: measures are not part of the sealed
record), listing an establishment's orders, and closing an action as complied or withdrawn. Every write is audited.
"""

import uuid
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from backend import changes
from backend.audit import service as audit_log
from backend.auth.models import Role, User
from backend.changes import ActionChanged
from backend.checklists.authority import POWERS, configured_authorities
from backend.checklists.definition import Authority, MeasureType
from backend.config import settings
from backend.db import insert_once, utcnow, uuid7
from backend.enforcement import history, lifecycle, violations
from backend.enforcement.models import (
    ActionClose,
    ActionCreate,
    ActionPublic,
    ActionStatus,
    EnforcementAction,
    Measure,
    PaymentStatus,
    ReferralTo,
)
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.inspections import findings
from backend.inspections import service as inspections
from backend.inspections.models import Inspection
from backend.orgs import scope
from backend.orgs import service as orgs
from backend.orgs.timezone import local_date

PRIVILEGED = (Role.supervisor, Role.admin)


def to_public(action: EnforcementAction, today: date | None = None, session: Session | None = None) -> ActionPublic:
    """The API shape, with ``overdue`` derived (marked by the sweep, or still open after its deadline with no
    appeal pending) and, given the session, the violations it addresses and whether an appeal is pending."""
    if today is not None:
        day = today
    elif session is not None:
        day = local_date(session, action.district_id, utcnow())
    else:
        day = utcnow().astimezone(ZoneInfo(settings.default_timezone)).date()
    pending = session is not None and history.appeal_pending(session, action.id)
    late = action.status == ActionStatus.open and action.deadline is not None and action.deadline < day
    overdue = action.status == ActionStatus.overdue or (late and not pending)
    update: dict[str, object] = {"overdue": overdue, "appeal_pending": pending}
    if session is not None:
        update["violation_ids"] = violations.violations_of_action(session, action.id)
    return ActionPublic.model_validate(action).model_copy(update=update)


def exists(session: Session, action_id: uuid.UUID) -> bool:
    return session.get(EnforcementAction, action_id) is not None


def actions_of(session: Session, inspection_id: uuid.UUID) -> list[EnforcementAction]:
    stmt = select(EnforcementAction).where(EnforcementAction.inspection_id == inspection_id)
    return list(session.exec(stmt.order_by(col(EnforcementAction.created_at), col(EnforcementAction.id))).all())


def _privileged_in_scope(session: Session, user: User, inspection: Inspection) -> bool:
    return user.role in PRIVILEGED and scope.can_see(session, user, inspection.district_id)


def _check_item(session: Session, inspection: Inspection, item_id: str) -> Authority | None:
    """The authority enforcing the item (its own, else its checklist's); 422 if no pinned checklist has it."""
    for checklist in findings.pinned_definitions(session, inspection.id).values():
        item = checklist.item(item_id)
        if item is not None:
            return item.authority_in(checklist)
    raise Invalid("finding.unknown_item", f"No pinned checklist has an item {item_id}.", item_id=item_id)


def _check_power(measure: Measure, authorities: set[Authority]) -> None:
    """Stop-work and penalties only where the inspectorate is the authority enforcing every item remedied."""
    if MeasureType(measure.value) not in POWERS:
        return
    foreign = sorted(a.value for a in authorities - configured_authorities())
    if foreign:
        raise Invalid(
            "action.power_not_held",
            f"{measure.value} on these items is the power of {', '.join(foreign)}: record a referral instead.",
            authorities=foreign,
        )


def deadline_for(inspection: Inspection, days: int | None, recorded_on: date) -> date | None:
    """``days`` after the visit (or, without a visit date, after the day the action is recorded)."""
    if days is None:
        return None
    base = inspection.visit_date or (inspection.started_at.date() if inspection.started_at is not None else recorded_on)
    return base + timedelta(days=days)


def record(
    session: Session,
    user: User,
    inspection: Inspection,
    data: ActionCreate,
    *,
    escalated_from: uuid.UUID | None = None,
) -> EnforcementAction:
    """A measure decided by the inspection's team (or a supervisor of its area), in any inspection status."""
    if not (inspections.is_member(session, user, inspection) or _privileged_in_scope(session, user, inspection)):
        raise Forbidden("inspection.not_team_member", "Only the inspection team or a supervisor records measures.")
    item_ids = sorted({*data.item_ids, *([data.item_id] if data.item_id is not None else [])})
    authorities = {a for a in (_check_item(session, inspection, i) for i in item_ids) if a is not None}
    _check_power(data.measure, authorities)
    if data.measure == Measure.referral and data.referral_to is None and len(authorities) == 1:
        only = next(iter(authorities))
        if only != Authority.labour_inspection:  # to the authority that enforces the item
            data = data.model_copy(update={"referral_to": ReferralTo(only.value)})
    if data.id is not None and exists(session, data.id):
        raise Conflict("action.id_taken", "An action with this id already exists.", id=str(data.id))
    now = utcnow()
    action = EnforcementAction(
        id=data.id or uuid7(),
        inspection_id=inspection.id,
        establishment_id=inspection.establishment_id,
        district_id=inspection.district_id,
        item_id=data.item_id,
        item_ids=item_ids,
        measure=data.measure,
        text=data.text,
        deadline_days=data.deadline_days,
        deadline=deadline_for(inspection, data.deadline_days, now.date()),
        created_by=user.id,
        created_at=now,
        authority=",".join(sorted(a.value for a in authorities)) or None,
        referral_to=data.referral_to.value if data.referral_to is not None else None,
        penalty_minor=data.penalty_minor,
        currency=(data.currency or "CNY") if data.measure == Measure.penalty else data.currency,
        penalty_article=data.penalty_article,
        decision_number=data.decision_number,
        payment_status=PaymentStatus.unpaid if data.measure == Measure.penalty else None,
        escalated_from_id=escalated_from,
        updated_at=now,
    )
    taken = Conflict("action.id_taken", "An action with this id already exists.", id=str(action.id))
    insert_once(session, taken, action)  # the check above, again under a race
    violations.link_new_measure(session, action, inspection)
    history.note(session, action, "record", None, user.id, data.text[:2000])
    changes.record(session, ActionChanged(action.id))
    after = to_public(action).model_dump(mode="json")
    audit_log.record(session, user.id, "action.record", "enforcement_action", action.id, after=after)
    return action


def get_visible(session: Session, user: User, action_id: uuid.UUID) -> EnforcementAction:
    """The action if ``user`` may see its inspection (404 otherwise)."""
    action = session.get(EnforcementAction, action_id)
    if action is not None:
        try:
            inspections.get_visible(session, user, action.inspection_id)
            return action
        except NotFound:
            pass
    raise NotFound("action.not_found", "No such action.", id=str(action_id))


def close(session: Session, user: User, action: EnforcementAction, data: ActionClose) -> EnforcementAction:
    """Mark an open action complied (after follow-up) or withdrawn: the lead inspector or a supervisor."""
    inspection = session.get(Inspection, action.inspection_id)
    assert inspection is not None
    if inspection.lead_inspector_id != user.id and not _privileged_in_scope(session, user, inspection):
        raise Forbidden("action.close_forbidden", "Only the lead inspector or a supervisor closes an action.")
    target = ActionStatus(data.status)
    if not lifecycle.allowed(action.status, target):
        raise Conflict("action.closed", f"The action is already {action.status.value}.", status=action.status.value)
    before = to_public(action).model_dump(mode="json")
    previous = action.status
    action.status = target
    action.close_note = data.note
    action.closed_by = user.id
    action.closed_at = action.updated_at = utcnow()
    session.add(action)
    session.flush()
    history.note(session, action, "verify" if target == ActionStatus.complied else "withdraw", previous, user.id,
                 data.note)  # fmt: skip
    changes.record(session, ActionChanged(action.id))
    after = to_public(action).model_dump(mode="json")
    audit_log.record(session, user.id, "action.close", "enforcement_action", action.id, before=before, after=after)
    return action


def orders_of(
    session: Session, user: User, establishment_id: uuid.UUID, *, open_only: bool = False
) -> list[EnforcementAction]:
    """The actions decided about an establishment in the user's area, oldest deadline first."""
    establishment = orgs.get_establishment(session, user, establishment_id)
    stmt = select(EnforcementAction).where(EnforcementAction.establishment_id == establishment.id)
    if open_only:
        unfinished = (ActionStatus.open, ActionStatus.overdue, ActionStatus.escalated)
        stmt = stmt.where(col(EnforcementAction.status).in_(unfinished))
    order = (col(EnforcementAction.deadline).is_(None), col(EnforcementAction.deadline), col(EnforcementAction.id))
    return list(session.exec(stmt.order_by(*order)).all())
