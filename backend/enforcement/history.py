"""A measure's history (``action_event``: who — none for the daily sweep —, when, why, from which state to
which) and the appeals pending against it."""

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from backend.db import utcnow
from backend.enforcement.models import ActionAppeal, ActionEvent, ActionStatus, AppealStatus, EnforcementAction


def note(
    session: Session,
    action: EnforcementAction,
    kind: str,
    previous: ActionStatus | None,
    actor_id: uuid.UUID | None,
    text: str = "",
    *,
    at: datetime | None = None,
    **details: Any,
) -> ActionEvent:
    """Append one history row for ``action`` (its current status is the state it is now in)."""
    event = ActionEvent(
        action_id=action.id,
        kind=kind,
        from_status=previous.value if previous is not None else None,
        to_status=action.status.value,
        actor_id=actor_id,
        at=at or utcnow(),
        note=text,
        details=details,
    )
    session.add(event)
    return event


def events_of(session: Session, action_id: uuid.UUID) -> list[ActionEvent]:
    stmt = select(ActionEvent).where(ActionEvent.action_id == action_id)
    return list(session.exec(stmt.order_by(col(ActionEvent.id))).all())  # written order (uuid7)


def pending_appeal(session: Session, action_id: uuid.UUID) -> ActionAppeal | None:
    stmt = select(ActionAppeal).where(ActionAppeal.action_id == action_id, ActionAppeal.status == AppealStatus.pending)
    return session.exec(stmt).first()


def appeal_pending(session: Session, action_id: uuid.UUID) -> bool:
    return pending_appeal(session, action_id) is not None


def appeals_of(session: Session, action_id: uuid.UUID) -> list[ActionAppeal]:
    stmt = select(ActionAppeal).where(ActionAppeal.action_id == action_id)
    return list(session.exec(stmt.order_by(col(ActionAppeal.lodged_on), col(ActionAppeal.id))).all())
