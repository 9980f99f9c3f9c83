"""The push/pull engine: exactly-once, in-order application of device mutations over a ``Store``.

The caller opens one transaction per request and commits it before sending the response; a raised
``SyncError`` means the caller must roll back (the engine checks everything before the first write).
"""

import json
from itertools import pairwise
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from .errors import Rejected, SyncError, seq_gap
from .protocol import (
    MAX_BATCH,
    PROTOCOL_VERSION,
    Mutation,
    MutationResult,
    Outcome,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    Status,
)
from .registry import MutationContext, Registry
from .store import Actor, AppliedRecord, AuditEntry, Store


def parse_push(body: Any) -> PushRequest:
    """Validate a push body, reporting an unsupported protocol version before anything else."""
    _check_protocol(body)
    try:
        return PushRequest.model_validate(body)
    except ValidationError as exc:
        raise _invalid(exc) from exc


def parse_push_json(raw: bytes) -> PushRequest:
    """``parse_push`` straight from the request bytes (pydantic-core parses and validates in one pass); on any
    error the body is parsed once more to report the protocol version or the invalid fields as ``parse_push``."""
    try:
        return PushRequest.model_validate_json(raw)
    except ValidationError:
        return parse_push(_loads(raw))


def parse_pull_json(raw: bytes) -> PullRequest:
    """``parse_pull`` straight from the request bytes, as ``parse_push_json``."""
    try:
        return PullRequest.model_validate_json(raw)
    except ValidationError:
        return parse_pull(_loads(raw))


def _loads(raw: bytes) -> Any:
    """The body as JSON, or ``422 sync.invalid_request``."""
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise SyncError(422, "sync.invalid_request", "the request body is not JSON", errors=[]) from exc
    except RecursionError as exc:
        raise SyncError(422, "sync.invalid_request", "the request body is nested too deeply", errors=[]) from exc


def parse_pull(body: Any) -> PullRequest:
    _check_protocol(body)
    try:
        return PullRequest.model_validate(body)
    except ValidationError as exc:
        raise _invalid(exc) from exc


def _check_protocol(body: Any) -> None:
    if isinstance(body, dict) and "protocol" in body and body["protocol"] != PROTOCOL_VERSION:
        raise SyncError(
            426, "sync.protocol_version", f"protocol {body['protocol']!r} is not supported",
            supported=[PROTOCOL_VERSION],
        )  # fmt: skip


def _invalid(exc: ValidationError) -> SyncError:
    errors = [{"loc": [str(p) for p in e["loc"]], "msg": e["msg"]} for e in exc.errors()[:20]]
    return SyncError(422, "sync.invalid_request", "the request body is not valid", errors=errors)


INEXACT = Outcome(
    outcome=Status.rejected, reason="invalid",
    detail=(
        "args hold a value JSON cannot carry exactly or a server cannot store: NaN, Infinity, an integer beyond a "
        "double, a lone surrogate or a NUL character"
    ),
)  # fmt: skip


class Engine:
    """Stateless; one instance per server, shared by all requests."""

    def __init__(self, registry: Registry, max_batch: int = MAX_BATCH) -> None:
        self.registry = registry
        self.max_batch = max_batch

    def push(self, store: Store, actor: Actor, request: PushRequest) -> PushResponse:
        device = request.device_id
        self._check_batch(actor, request)
        last = store.device_last_seq(device)
        if last is None:
            raise SyncError(403, "sync.device_not_registered", "this device is not registered")
        if request.mutations[0].seq > last + 1:
            raise seq_gap(last + 1)
        known = store.applied_many([m.id for m in request.mutations])
        priors = {m.id: self._check_repeat(known.get(m.id), device, last, m) for m in request.mutations}
        results: list[MutationResult] = []
        for m in request.mutations:
            prior = priors[m.id]
            if prior is not None:
                results.append(MutationResult.repeat(m, prior.outcome))
                store.audit(_audit(actor, m, Status.duplicate, prior.outcome))
                continue
            fingerprint, exact = m.fingerprinted()
            outcome = self._apply(store, actor, m) if exact else INEXACT
            store.record_outcome(AppliedRecord(m.id, device, m.seq, m.name, m.v, fingerprint, outcome))
            store.advance_last_seq(device, m.seq)
            store.audit(_audit(actor, m, outcome.outcome, outcome))
            results.append(MutationResult.first(m, outcome))
            last = m.seq
        return PushResponse(device_id=device, last_seq=last, results=results)

    def pull(self, store: Store, actor: Actor, request: PullRequest) -> PullResponse:
        if request.device_id != actor.device_id:
            raise SyncError(403, "sync.device_mismatch", "device_id is not the device of this token")
        last = store.device_last_seq(request.device_id)
        if last is None:
            raise SyncError(403, "sync.device_not_registered", "this device is not registered")
        earliest = store.earliest_cursor()
        if request.cursor < earliest:
            raise SyncError(
                410, "sync.cursor_expired", "the cursor is older than the change log; resync from 0",
                earliest_cursor=earliest,
            )  # fmt: skip
        page = list(store.changes_since(actor, request.cursor, request.limit + 1))
        more = len(page) > request.limit
        changes = page[: request.limit]
        if any(a.version >= b.version for a, b in pairwise(changes)) or (
            changes and changes[0].version <= request.cursor
        ):
            raise RuntimeError("store returned changes out of order or at/below the cursor")
        cursor = changes[-1].version if changes else request.cursor
        return PullResponse(cursor=cursor, more=more, last_seq=last, changes=changes)

    def _check_batch(self, actor: Actor, request: PushRequest) -> None:
        if request.device_id != actor.device_id:
            raise SyncError(403, "sync.device_mismatch", "device_id is not the device of this token")
        if len(request.mutations) > self.max_batch:
            raise SyncError(
                413, "sync.batch_too_large", f"at most {self.max_batch} mutations per push",
                max_batch=self.max_batch,
            )  # fmt: skip
        seqs = [m.seq for m in request.mutations]
        if seqs != list(range(seqs[0], seqs[0] + len(seqs))):
            raise SyncError(422, "sync.batch_order", "mutations must have consecutive ascending seqs")
        if len({m.id for m in request.mutations}) != len(seqs):
            raise SyncError(422, "sync.id_reused", "the same mutation id appears twice in the batch")

    @staticmethod
    def _check_repeat(prior: AppliedRecord | None, device: UUID, last: int, m: Mutation) -> AppliedRecord | None:
        """``prior`` (the stored record of ``m.id``) if ``m`` is a faithful repeat, None if it is new; raises on
        id/seq misuse."""
        if prior is None and m.seq <= last:
            raise SyncError(
                409, "sync.seq_reused", f"seq {m.seq} was already consumed by another mutation",
                last_seq=last, mutation_id=str(m.id),
            )  # fmt: skip
        if prior is not None and (
            prior.device_id != device or prior.seq != m.seq or prior.fingerprint != m.fingerprint()
        ):
            raise SyncError(
                422, "sync.id_reused", "this mutation id was already used with other content",
                mutation_id=str(m.id),
            )  # fmt: skip
        return prior

    def _apply(self, store: Store, actor: Actor, m: Mutation) -> Outcome:
        registered = self.registry.lookup(m.name, m.v)
        if registered is None:
            return Outcome(outcome=Status.rejected, reason="unknown_mutation", detail=f"{m.name}@{m.v}")
        try:
            args = registered.args_model.model_validate(m.args)
        except ValidationError as exc:
            detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
            return Outcome(outcome=Status.rejected, reason="invalid", detail=detail)
        ctx = MutationContext(store, actor, m.id, m.seq, m.name, m.client_ts)
        try:
            with store.savepoint():
                return registered.fn(ctx, args)
        except Rejected as rej:
            return Outcome(outcome=Status.rejected, reason=rej.reason, detail=rej.detail, data=rej.data)


def _audit(actor: Actor, m: Mutation, status: Status, outcome: Outcome) -> AuditEntry:
    return AuditEntry(
        actor.user_id, actor.device_id, m.id, m.seq, m.name, status, outcome.reason, outcome.server_version,
        m.client_ts,
    )  # fmt: skip
