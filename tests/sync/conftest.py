"""Fixtures for the sync tests: the real engine over the memory store, and an in-process HTTP server.

``FakeServer`` is an ``httpx.MockTransport`` handler that routes requests to the real engine, so the
reference client is exercised end to end without a network; faults can be injected per request.
"""

import base64
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import httpx
import pytest
from hypothesis import HealthCheck, settings

from sync.engine import Engine, parse_pull, parse_push
from sync.errors import SyncError
from sync.ids import uuid7
from sync.memory import MemoryStore
from sync.memory_handlers import memory_registry
from sync.protocol import Change, MutationResult, PushResponse, Status
from sync.store import Actor

settings.register_profile(
    "sync-fast", max_examples=400, stateful_step_count=60, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip
settings.register_profile(
    "sync-deep", max_examples=1500, stateful_step_count=80, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def engine() -> Engine:
    return Engine(memory_registry())


class Fault(Exception):
    pass


@dataclass
class Upload:
    declared: int
    mime: str
    data: bytearray = field(default_factory=bytearray)
    verified: bool = False


@dataclass
class FakeServer:
    """HTTP routes of PROTOCOL.md over the real engine; ``faults`` is consumed one entry per request.

    Fault names: ``drop_before`` (connection fails, nothing done), ``drop_after`` (committed, response
    lost), ``503``, ``401``, ``in_progress`` (409 sync.push_in_progress).
    """

    store: MemoryStore
    engine: Engine
    tokens: dict[str, Actor] = field(default_factory=dict)
    uploads: dict[str, Upload] = field(default_factory=dict)
    faults: list[str | None] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    chunk_max: int = 1024

    def device(self, user_id: str, role: str = "inspector") -> tuple[UUID, str]:
        device_id = uuid7()
        token = f"token-{device_id}"
        self.tokens[token] = self.store.register_device(device_id, user_id, role)
        return device_id, token

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        fault = self.faults.pop(0) if self.faults else None
        if fault == "drop_before":
            raise httpx.ConnectError("injected", request=request)
        self.requests.append((request.method, request.url.path))  # requests that reached the server
        if fault == "503":
            return httpx.Response(503, json={"status": 503, "code": "", "detail": "injected"})
        if fault == "in_progress":
            return _problem(SyncError(409, "sync.push_in_progress", "another push is running"))
        actor = self.tokens.get(request.headers.get("Authorization", "").removeprefix("Bearer "))
        if fault == "401" or actor is None:
            return httpx.Response(401, json={"status": 401, "code": "auth.token_expired", "detail": "log in"})
        try:
            response = self._route(request, actor)
        except SyncError as err:
            response = _problem(err)
        if fault == "drop_after":
            raise httpx.ReadError("injected: response lost", request=request)
        return response

    def _route(self, request: httpx.Request, actor: Actor) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        if path == "/sync/push":
            with self.store.transaction() as tx:
                return _ok(self.engine.push(tx, actor, parse_push(_json(request))).model_dump(mode="json"))
        if path == "/sync/pull":
            with self.store.transaction() as tx:
                return _ok(self.engine.pull(tx, actor, parse_pull(_json(request))).model_dump(mode="json"))
        if path.startswith("/blobs/"):
            return self._blob(request, path.removeprefix("/blobs/"))
        return httpx.Response(404)

    def _blob(self, request: httpx.Request, sha: str) -> httpx.Response:
        upload = self.uploads.get(sha)
        if request.method == "HEAD":
            if upload is None:
                return httpx.Response(404)
            headers = {"Upload-Offset": str(len(upload.data)), "Upload-Length": str(upload.declared)}
            return httpx.Response(200, headers={**headers, "Blob-Verified": str(upload.verified).lower()})
        if request.method == "POST":
            if upload is not None:
                return _ok(self._status(upload))
            body = _json(request)
            self.uploads[sha] = upload = Upload(body["bytes"], body["mime"])
            return httpx.Response(201, json=self._status(upload))
        if upload is None:
            return _problem(SyncError(404, "blob.not_found", "POST the blob first"))
        if upload.verified:
            return _ok(self._status(upload))
        offset = int(request.headers["Upload-Offset"])
        if offset != len(upload.data):
            return _problem(SyncError(409, "blob.offset_mismatch", "resume", offset=len(upload.data)))
        chunk = request.content
        algo, _, digest = request.headers["Upload-Checksum"].partition(" ")
        if algo != "sha256" or base64.b64decode(digest) != hashlib.sha256(chunk).digest():
            return _problem(SyncError(422, "blob.chunk_checksum", "chunk checksum mismatch"))
        if len(upload.data) + len(chunk) > upload.declared:
            return _problem(SyncError(413, "blob.too_large", "more bytes than declared"))
        upload.data.extend(chunk)
        if len(upload.data) < upload.declared:
            return httpx.Response(204, headers={"Upload-Offset": str(len(upload.data))})
        if hashlib.sha256(upload.data).hexdigest() != sha:
            upload.data.clear()
            return _problem(SyncError(422, "blob.hash_mismatch", "the bytes do not hash to the blob id"))
        upload.verified = True
        self.store.verify_blob(sha)
        return _ok(self._status(upload))

    def _status(self, upload: Upload) -> dict[str, Any]:
        return {"offset": len(upload.data), "bytes": upload.declared, "verified": upload.verified,
                "chunk_max": self.chunk_max}  # fmt: skip


def _json(request: httpx.Request) -> Any:
    return json.loads(request.content)


def _ok(body: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, json=body)


def _problem(err: SyncError) -> httpx.Response:
    body = {"type": f"urn:problem:{err.code}", "title": err.code, **err.body()}
    return httpx.Response(err.status, json=body)


@pytest.fixture
def server(store: MemoryStore, engine: Engine) -> Iterator[FakeServer]:
    yield FakeServer(store, engine)


class Device:
    """A scripted device talking to the engine directly (one transaction per push, like the server)."""

    def __init__(self, store: MemoryStore, engine: Engine, user_id: str, role: str = "inspector") -> None:
        self.store, self.engine = store, engine
        self.id = uuid7()
        self.actor = store.register_device(self.id, user_id, role)
        self.seq = 0

    def m(self, name: str, **args: Any) -> dict[str, Any]:
        self.seq += 1
        args = {k: str(v) if isinstance(v, UUID) else v for k, v in args.items()}
        return {"id": str(uuid7()), "seq": self.seq, "name": name, "v": 1, "args": args}

    def push(self, *mutations: dict[str, Any]) -> PushResponse:
        body = {"protocol": 1, "device_id": str(self.id), "mutations": list(mutations)}
        with self.store.transaction() as tx:
            return self.engine.push(tx, self.actor, parse_push(body))

    def do(self, name: str, **args: Any) -> MutationResult:
        return self.push(self.m(name, **args)).results[0]

    def pull_all(self, cursor: int = 0, limit: int = 1000) -> tuple[list[Change], int]:
        changes: list[Change] = []
        while True:
            body = {"protocol": 1, "device_id": str(self.id), "cursor": cursor, "limit": limit}
            page = self.engine.pull(self.store, self.actor, parse_pull(body))
            changes += page.changes
            cursor = page.cursor
            if not page.more:
                return changes, cursor


@pytest.fixture
def make_device(store: MemoryStore, engine: Engine) -> Callable[..., Device]:
    return lambda user_id, role="inspector": Device(store, engine, user_id, role)


@pytest.fixture
def team(make_device: Callable[..., Device]) -> tuple[Device, Device, Device, str]:
    """A lead (u-lead), a team member (u-two) and a supervisor, and the lead's new inspection id."""
    lead, second, sup = make_device("u-lead"), make_device("u-two"), make_device("u-sup", "supervisor")
    iid = uuid7()
    result = lead.do("inspection.create", inspection_id=iid, establishment_id="e-1", checklist="construction@1",
                     team=["u-two"])  # fmt: skip
    assert result.outcome == Status.applied
    return lead, second, sup, str(iid)
