"""HTTP routes for enforcement actions: an inspection's measures, an establishment's orders, closing one."""

import uuid

from fastapi import APIRouter

from backend.api import SessionDep
from backend.auth.deps import CurrentUser
from backend.enforcement import case, service
from backend.enforcement.models import ActionClose, ActionCreate, ActionPublic
from backend.inspections import service as inspections

router = APIRouter(tags=["enforcement"])


@router.get("/inspections/{inspection_id}/actions", response_model=list[ActionPublic])
def list_actions(session: SessionDep, user: CurrentUser, inspection_id: uuid.UUID) -> list[ActionPublic]:
    inspection = inspections.get_visible(session, user, inspection_id)
    return [service.to_public(a, session=session) for a in service.actions_of(session, inspection.id)]


@router.post("/inspections/{inspection_id}/actions", response_model=ActionPublic, status_code=201)
def record_action(session: SessionDep, user: CurrentUser, inspection_id: uuid.UUID, data: ActionCreate) -> ActionPublic:
    """Record a measure; allowed after submission too (measures are not part of the sealed record)."""
    inspection = inspections.get_visible(session, user, inspection_id)
    return service.to_public(service.record(session, user, inspection, data), session=session)


@router.get("/establishments/{establishment_id}/orders", response_model=list[ActionPublic])
def list_orders(
    session: SessionDep, user: CurrentUser, establishment_id: uuid.UUID, open: bool = False
) -> list[ActionPublic]:
    """The measures decided about an establishment; ``open=true`` keeps those still to be complied with."""
    rows = service.orders_of(session, user, establishment_id, open_only=open)
    return [service.to_public(a, session=session) for a in rows]


@router.post("/actions/{action_id}/close", response_model=ActionPublic)
def close_action(session: SessionDep, user: CurrentUser, action_id: uuid.UUID, data: ActionClose) -> ActionPublic:
    action = service.get_visible(session, user, action_id)
    closed = service.close(session, user, action, data)
    if closed.status == "complied":
        case.close_predecessors(session, user, closed)
    return service.to_public(closed, session=session)
