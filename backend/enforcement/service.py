"""Recording enforcement actions on an inspection (also after submission: measures are not part of the sealed
record), listing an establishment's orders, and closing an action as complied or withdrawn. Every write is audited.
"""

import uuid
from datetime import date, timedelta

from sqlmodel import Session, col, select

from backend import changes
from backend.audit import service as audit_log
from backend.auth.models import Role, User
from backend.changes import ActionChanged
from backend.db import insert_once, utcnow, uuid7
from backend.enforcement.models import ActionClose, ActionCreate, ActionPublic, ActionStatus, EnforcementAction
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.inspections import findings
from backend.inspections import service as inspections
from backend.inspections.models import Inspection
from backend.orgs import scope
from backend.orgs import service as orgs

PRIVILEGED = (Role.supervisor, Role.admin)


def to_public(action: EnforcementAction, today: date | None = None) -> ActionPublic:
    """The API shape, with ``overdue`` derived: still open after its deadline."""
    day = today or date.today()
    overdue = action.status == ActionStatus.open and action.deadline is not None and action.deadline < day
    return ActionPublic.model_validate(action).model_copy(update={"overdue": overdue})


def exists(session: Session, action_id: uuid.UUID) -> bool:
    return session.get(EnforcementAction, action_id) is not None


def actions_of(session: Session, inspection_id: uuid.UUID) -> list[EnforcementAction]:
    stmt = select(EnforcementAction).where(EnforcementAction.inspection_id == inspection_id)
    return list(session.exec(stmt.order_by(col(EnforcementAction.created_at), col(EnforcementAction.id))).all())


def _privileged_in_scope(session: Session, user: User, inspection: Inspection) -> bool:
    return user.role in PRIVILEGED and scope.can_see(session, user, inspection.district_id)


def _check_item(session: Session, inspection: Inspection, item_id: str) -> None:
    definitions = findings.pinned_definitions(session, inspection.id)
    if not any(item.id == item_id for checklist in definitions.values() for item in checklist.items()):
        raise Invalid("finding.unknown_item", f"No pinned checklist has an item {item_id}.", item_id=item_id)


def deadline_for(inspection: Inspection, days: int | None, recorded_on: date) -> date | None:
    """``days`` after the visit (or, without a visit date, after the day the action is recorded)."""
    if days is None:
        return None
    base = inspection.visit_date or (inspection.started_at.date() if inspection.started_at is not None else recorded_on)
    return base + timedelta(days=days)


def record(session: Session, user: User, inspection: Inspection, data: ActionCreate) -> EnforcementAction:
    """A measure decided by the inspection's team (or a supervisor of its area), in any inspection status."""
    if not (inspections.is_member(session, user, inspection) or _privileged_in_scope(session, user, inspection)):
        raise Forbidden("inspection.not_team_member", "Only the inspection team or a supervisor records measures.")
    item_ids = sorted({*data.item_ids, *([data.item_id] if data.item_id is not None else [])})
    for item_id in item_ids:
        _check_item(session, inspection, item_id)
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
    )
    taken = Conflict("action.id_taken", "An action with this id already exists.", id=str(action.id))
    insert_once(session, taken, action)  # the check above, again under a race
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
    if action.status != ActionStatus.open:
        raise Conflict("action.closed", f"The action is already {action.status.value}.", status=action.status.value)
    before = to_public(action).model_dump(mode="json")
    action.status = ActionStatus(data.status)
    action.close_note = data.note
    action.closed_by = user.id
    action.closed_at = utcnow()
    session.add(action)
    session.flush()
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
        stmt = stmt.where(EnforcementAction.status == ActionStatus.open)
    order = (col(EnforcementAction.deadline).is_(None), col(EnforcementAction.deadline), col(EnforcementAction.id))
    return list(session.exec(stmt.order_by(*order)).all())
