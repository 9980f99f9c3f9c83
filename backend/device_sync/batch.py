"""Applying one device push: batched first (no savepoint per mutation; the writes go out together at the end),
and only when a mutation fails part-way, the whole batch again with a savepoint per mutation."""

from sqlmodel import Session

from backend.audit import service as audit_log
from backend.changes import changes_of
from backend.db import context_of
from backend.device_sync import prefetch
from backend.device_sync.held import Replay
from backend.device_sync.store import SqlStore
from backend.inspections.finding_batch import Pending as PendingFindings
from sync.engine import Engine
from sync.protocol import PushRequest, PushResponse
from sync.store import Actor


def push(engine: Engine, session: Session, actor: Actor, request: PushRequest) -> PushResponse:
    """``engine.push`` over ``SqlStore`` in the caller's transaction, with the same outcome either way.

    Every mutation is all-or-nothing: in the batched attempt nothing fails (a failure rolls the attempt back to
    its one savepoint and raises ``Replay``), so no mutation is left half-applied; the replay gives each its own
    savepoint, as the engine always does."""
    # Row locks in one order on PostgreSQL, as every other writer takes them: the device, the audit chain head
    # (any audited change), then the change counter (the feed, at commit). Taken out of order, a push and a
    # REST change could each hold the lock the other waits for.
    store = SqlStore(session, batched=True)
    head, last = None, None
    if request.device_id == actor.device_id:  # otherwise the engine refuses the request
        last = store.device_last_seq(request.device_id)  # None: revoked or unknown, refused too
        head = audit_log.lock_head(session)
    changes = changes_of(session)
    changes.in_mutation += 1  # the projection waits for the request's commit
    audit_log.defer(session, head)
    try:
        with session.begin_nested():
            if last is not None and request.mutations[0].seq <= last + 1:  # not a request the engine refuses
                prefetch.warm(store, request.mutations)
            response = engine.push(store, actor, request)
            store.write_behind()
        return response
    except Replay:
        # Rows the attempt read into the identity map after writing them itself are gone with its savepoint.
        session.expire_all()
    finally:
        audit_log.discard_deferred(session)
        context_of(session).take(PendingFindings)
        changes.in_mutation -= 1
    return engine.push(SqlStore(session), actor, request)
