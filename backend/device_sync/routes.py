"""``POST /sync/push`` and ``POST /sync/pull`` (PROTOCOL.md §3, §5): HTTP only, over the pure engine."""

from typing import Annotated, Any

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse

from backend.api import SessionDep
from backend.auth.deps import CurrentPrincipal, Principal
from backend.device_sync import batch
from backend.device_sync.handlers import sql_registry
from backend.device_sync.store import SqlStore
from sync.engine import Engine, parse_pull, parse_push
from sync.errors import SyncError
from sync.store import Actor

router = APIRouter(prefix="/sync", tags=["sync"])
engine = Engine(sql_registry())
TITLES = {403: "Forbidden", 409: "Conflict", 410: "Gone", 413: "Payload too large", 422: "Invalid input",
          426: "Upgrade required"}  # fmt: skip
JsonBody = Annotated[dict[str, Any], Body()]


def problem(err: SyncError) -> JSONResponse:
    body = {
        "type": f"https://labour-inspection.example/problems/{err.code}",
        "title": TITLES.get(err.status, "Error"),
        **err.body(),
    }
    return JSONResponse(body, status_code=err.status, media_type="application/problem+json")


def _actor(principal: Principal) -> Actor:
    if principal.device is None:
        raise SyncError(403, "sync.device_mismatch", "sync needs a device token, not an access token")
    return Actor(str(principal.user.id), principal.user.role.value, principal.device.id)


@router.post("/push", response_model=None)
def push(body: JsonBody, session: SessionDep, principal: CurrentPrincipal) -> dict[str, Any] | JSONResponse:
    """Apply a batch of device mutations exactly once, in seq order."""
    try:
        actor = _actor(principal)
        request = parse_push(body)
        response = batch.push(engine, session, actor, request)
    except SyncError as err:
        return problem(err)
    return response.model_dump(mode="json")


@router.post("/pull", response_model=None)
def pull(body: JsonBody, session: SessionDep, principal: CurrentPrincipal) -> dict[str, Any] | JSONResponse:
    """The changes after ``cursor`` that this device's user may hold."""
    try:
        actor = _actor(principal)
        request = parse_pull(body)
        response = engine.pull(SqlStore(session), actor, request)
    except SyncError as err:
        return problem(err)
    return response.model_dump(mode="json")
