"""``POST /sync/push`` and ``POST /sync/pull`` (PROTOCOL.md §3, §5): HTTP only, over the pure engine."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from backend.api import SessionDep
from backend.auth.deps import FieldPrincipal, Principal
from backend.device_sync import batch
from backend.device_sync.handlers import sql_registry
from backend.device_sync.store import SqlStore
from sync.engine import Engine, parse_pull_json, parse_push_json
from sync.errors import SyncError
from sync.protocol import PullRequest, PushRequest
from sync.store import Actor

router = APIRouter(prefix="/sync", tags=["sync"])
engine = Engine(sql_registry())
TITLES = {403: "Forbidden", 409: "Conflict", 410: "Gone", 413: "Payload too large", 422: "Invalid input",
          426: "Upgrade required"}  # fmt: skip


MAX_BODY = 16 * 1024 * 1024  # bytes; 200 mutations at their largest (10 000-character texts) are a few MB


async def _raw_body(request: Request) -> bytes | SyncError:
    """The request body as sent, or ``413 sync.body_too_large`` (read no further than ``MAX_BODY``)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return _too_large()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large() -> SyncError:
    return SyncError(413, "sync.body_too_large", f"the body is over {MAX_BODY} bytes", max_bytes=MAX_BODY)


# The bytes, validated by pydantic-core in one pass (a push is up to 200 mutations): not parsed into a dict first.
RawBody = Annotated[bytes | SyncError, Depends(_raw_body)]


def push_request(body: bytes | SyncError) -> PushRequest | SyncError:
    """The push in ``body``, or the error to answer once the caller is authenticated (401 comes before 413, 422
    and 426)."""
    if isinstance(body, SyncError):
        return body
    try:
        return parse_push_json(body)
    except SyncError as err:
        return err


def parsed_push(request: Request, body: RawBody) -> PushRequest | SyncError | None:
    """``push_request``, before the request touches the database (on SQLite, before it queues for the writer), so
    this work overlaps another push's writes. Not parsed without a bearer token (None: authentication refuses)."""
    return push_request(body) if request.headers.get("authorization") else None


ParsedPush = Annotated[PushRequest | SyncError | None, Depends(parsed_push)]


def problem(err: SyncError) -> JSONResponse:
    body = {
        "type": f"https://labour-inspection.example/problems/{err.code}",
        "title": TITLES.get(err.status, "Error"),
        **err.body(),
    }
    return JSONResponse(body, status_code=err.status, media_type="application/problem+json")


def _body(model: type[BaseModel]) -> dict[str, Any]:
    """The request body's schema in the OpenAPI document (the route reads the raw bytes itself)."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": model.model_json_schema()}}}}


def _actor(principal: Principal) -> Actor:
    if principal.device is None:
        raise SyncError(403, "sync.device_mismatch", "sync needs a device token, not an access token")
    return Actor(str(principal.user.id), principal.user.role.value, principal.device.id)


@router.post("/push", response_model=None, openapi_extra=_body(PushRequest))
def push(parsed: ParsedPush, session: SessionDep, principal: FieldPrincipal) -> Response:
    """Apply a batch of device mutations exactly once, in seq order."""
    try:
        actor = _actor(principal)
        if isinstance(parsed, SyncError):
            raise parsed
        assert parsed is not None  # parsed whenever a bearer token came, and without one there is no principal
        response = batch.push(engine, session, actor, parsed)
    except SyncError as err:
        return problem(err)
    return Response(response.model_dump_json(), media_type="application/json")


@router.post("/pull", response_model=None, openapi_extra=_body(PullRequest))
def pull(body: RawBody, session: SessionDep, principal: FieldPrincipal) -> Response:
    """The changes after ``cursor`` that this device's user may hold."""
    try:
        actor = _actor(principal)
        if isinstance(body, SyncError):
            raise body
        request = parse_pull_json(body)
        response = engine.pull(SqlStore(session), actor, request)
    except SyncError as err:
        return problem(err)
    return Response(response.model_dump_json(), media_type="application/json")
