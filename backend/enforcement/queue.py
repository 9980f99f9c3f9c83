"""The desk's enforcement queue: measures overdue, escalation proposals awaiting a supervisor's decision, appeals
pending, penalties unpaid — in the user's area, or under one org unit of it (outside the area: nothing)."""

import uuid

from pydantic import BaseModel
from sqlmodel import Session, col, select

from backend.auth.models import User
from backend.enforcement.models import (
    ActionAppeal,
    ActionPublic,
    ActionStatus,
    AppealStatus,
    EnforcementAction,
    Measure,
    PaymentStatus,
)
from backend.enforcement.service import to_public
from backend.orgs import scope

UNFINISHED = (ActionStatus.open.value, ActionStatus.overdue.value, ActionStatus.escalated.value)


class Queue(BaseModel):
    overdue: list[ActionPublic]
    escalation_proposals: list[ActionPublic]
    appeals_pending: list[ActionPublic]
    penalties_unpaid: list[ActionPublic]


def queue(session: Session, user: User, org_unit_id: uuid.UUID | None) -> Queue:
    units = scope.visible_units(session, user)
    if org_unit_id is not None:  # a unit outside the area filters to nothing, as every list does
        below = scope.descendants(session, [org_unit_id])
        units = below if units is None else below & units
    stmt = select(EnforcementAction).where(col(EnforcementAction.status).in_(UNFINISHED))
    if units is not None:
        stmt = stmt.where(col(EnforcementAction.district_id).in_(units))
    rows = list(session.exec(stmt.order_by(col(EnforcementAction.deadline), col(EnforcementAction.id))).all())
    pending = set(
        session.exec(
            select(ActionAppeal.action_id).where(
                ActionAppeal.status == AppealStatus.pending,
                col(ActionAppeal.action_id).in_([a.id for a in rows]),
            )
        ).all()
    )
    public = {a.id: to_public(a, session=session) for a in rows}
    return Queue(
        overdue=[public[a.id] for a in rows if a.status == ActionStatus.overdue],
        escalation_proposals=[
            public[a.id] for a in rows if a.proposed_measure is not None and a.escalated_to_id is None
        ],
        appeals_pending=[public[a.id] for a in rows if a.id in pending],
        penalties_unpaid=[
            public[a.id] for a in rows if a.measure == Measure.penalty and a.payment_status == PaymentStatus.unpaid
        ],
    )
