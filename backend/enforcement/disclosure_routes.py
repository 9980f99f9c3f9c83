"""Disclosure of a penalty decision to the public (Administrative Penalty Law 2021, Art. 48): decided and withdrawn
by a supervisor of the district; read by anyone who may read the measure. The public list is
``GET /opendata/penalty-decisions.csv``."""

import uuid
from typing import Annotated

from fastapi import APIRouter
from pydantic import ConfigDict, StringConstraints

from backend.api import SessionDep
from backend.auth.deps import CurrentUser
from backend.enforcement import disclosure, service
from backend.enforcement.disclosure import DisclosurePublic, WithdrawalReason
from backend.fields import Input

router = APIRouter(tags=["enforcement"])


class DisclosureWithdraw(Input):
    model_config = ConfigDict(extra="forbid")

    reason: WithdrawalReason
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


@router.post("/actions/{action_id}/disclosure", response_model=DisclosurePublic, status_code=201)
def disclose_penalty(session: SessionDep, user: CurrentUser, action_id: uuid.UUID) -> DisclosurePublic:
    """Disclose the penalty decision (it has some social impact): what is published is frozen with its SHA-256."""
    action = service.get_visible(session, user, action_id)
    return disclosure.to_public(session, disclosure.disclose(session, user, action), action)


@router.get("/actions/{action_id}/disclosure", response_model=DisclosurePublic)
def read_disclosure(session: SessionDep, user: CurrentUser, action_id: uuid.UUID) -> DisclosurePublic:
    action = service.get_visible(session, user, action_id)
    return disclosure.to_public(session, disclosure.get(session, action), action)


@router.post("/actions/{action_id}/disclosure/withdraw", response_model=DisclosurePublic)
def withdraw_disclosure(
    session: SessionDep, user: CurrentUser, action_id: uuid.UUID, data: DisclosureWithdraw
) -> DisclosurePublic:
    """Withdraw a disclosed decision that was varied, revoked, declared unlawful or void, with the reason shown."""
    action = service.get_visible(session, user, action_id)
    return disclosure.to_public(session, disclosure.withdraw(session, user, action, data.reason, data.note), action)
