"""Recording and verifying audit events. ``record`` must be called inside the change's own transaction.

New events are hashed over the canonical JSON (RFC 8785) submissions use (``hash_version`` 2); events written
before that keep the sorted ``json.dumps`` encoding of version 1, which ``verify`` alone still recomputes."""

import functools
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic_core import to_json
from sqlalchemy import insert
from sqlmodel import Session, col, select

from backend.audit.models import AuditEvent, AuditHead
from backend.db import JSONText, context_of, table_of, utcnow
from sync.canonical import canonical_json

GENESIS = "0" * 64
HASH_VERSION = 2  # the encoding new events are hashed with


@dataclass
class Deferred:
    """The events ``defer`` queues in a transaction's context, and the chain head it was given (if any)."""

    events: list[Any] = field(default_factory=list)
    head: AuditHead | None = None


_V1_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _v1_text(value: Any) -> str:
    """Version 1's hashed form, for verifying the events written with it: ``json.dumps(value, sort_keys=True,
    separators=(",", ":"), ensure_ascii=False, default=str)``."""
    return _V1_ENCODER.encode(value)


_SAFE_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)  # what is not JSON (a UUID, a time) as str


def event_hash(event: AuditEvent) -> str:
    """The hash of an event's content in the encoding of its ``hash_version``."""
    return _hash(
        event.seq, event.at, event.actor_id, event.action, event.subject_type, event.subject_id, event.details,
        event.prev_hash, event.hash_version,
    )  # fmt: skip


def _hash(
    seq: int, at: datetime, actor_id: uuid.UUID | None, action: str, subject_type: str, subject_id: str,
    details: Any, prev_hash: str, version: int = HASH_VERSION,
) -> str:  # fmt: skip
    """Version 2 hashes the canonical JSON of the payload with ``hash_version`` in it (so that changing an event's
    version changes what is hashed); version 1 the payload without it, as it was hashed. ``ValueError`` for
    another version or details canonical JSON cannot carry."""
    payload: dict[str, Any] = {
        "seq": seq,
        "at": at.isoformat(),
        "actor_id": str(actor_id) if actor_id else None,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "details": details,
        "prev_hash": prev_hash,
    }
    if version == 1:
        return hashlib.sha256(_v1_text(payload).encode()).hexdigest()
    if version != 2:
        raise ValueError(f"unknown audit hash version {version}")
    payload["hash_version"] = version
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


def _payload_text(
    seq: int, at: datetime, actor_id: uuid.UUID | None, action: str, subject_type: str, subject_id: str,
    details_text: str, prev_hash: str,
) -> str:  # fmt: skip
    """The canonical JSON of the payload ``_hash`` builds (version 2), given the canonical text of the details (not
    encoded again; ``HASH_VERSION`` written as the literal 2). Keys in sorted order; a UUID, an ISO time and a hex
    digest need no escaping, nor a seq (a counter, never near 2**53)."""
    return (
        f'{{"action":{_name(action)},"actor_id":{_actor(actor_id)},"at":"{at.isoformat()}",'
        f'"details":{details_text},"hash_version":2,"prev_hash":"{prev_hash}","seq":{seq},'
        f'"subject_id":{_string(subject_id)},"subject_type":{_name(subject_type)}}}'
    )


@functools.lru_cache(maxsize=256)
def _name(value: str) -> str:
    """``_string`` of an action or subject type: a few dozen values, each encoded once."""
    return _string(value)


@functools.lru_cache(maxsize=1024)
def _actor(actor_id: uuid.UUID | None) -> str:
    return "null" if actor_id is None else f'"{actor_id}"'


def _string(value: str) -> str:
    """``canonical_json`` of a string; printable ASCII without quote or backslash (ids, action names) as it is."""
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'
    return canonical_json(value)


_SCALARS = frozenset({str, int, bool, float, type(None)})


def _json_safe(value: Any) -> bool:
    """Made of JSON types only, with string keys: its JSON round trip (``jsonable``) is itself."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is dict:
        for k, v in value.items():  # noqa: SIM110 -- a loop, not all(): this runs for every audited change
            if type(k) is not str or (type(v) not in _SCALARS and not _json_safe(v)):
                return False
        return True
    if kind is list:
        for v in value:  # noqa: SIM110
            if type(v) not in _SCALARS and not _json_safe(v):
                return False
        return True
    return False


def _details_text(details: dict[str, Any]) -> str:
    """The canonical text of ``jsonable(details)``, as verification will recompute it from the stored details."""
    return canonical_json(details if _json_safe(details) else jsonable(details))


def jsonable(value: Any) -> Any:
    """A JSON round trip (what is not JSON written as ``str``), so stored details compare equal to what
    verification re-reads."""
    return json.loads(_SAFE_ENCODER.encode(value))


def lock_head(session: Session) -> AuditHead:
    # Appends are serialised: PostgreSQL by a row lock on the head; SQLite by BEGIN IMMEDIATE.
    head = session.exec(select(AuditHead).where(AuditHead.id == 1).with_for_update()).first()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        session.add(head)
        session.flush()
    return head


def record(
    session: Session,
    actor_id: uuid.UUID | None,
    action: str,
    subject_type: str,
    subject_id: Any,
    **details: Any,
) -> AuditEvent | None:
    """Append one event (``action`` is ``noun.verb``) to the chain in the caller's transaction. While the session
    defers (``defer``) the event is queued and chained at ``write_deferred``, and None is returned."""
    deferred = context_of(session).peek(Deferred)
    if deferred is not None:
        _queue(deferred.events, actor_id, action, subject_type, subject_id, _details_text(details))
        return None
    head = lock_head(session)
    event = AuditEvent(
        seq=head.seq + 1,
        at=utcnow(),
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        details=jsonable(details),
        prev_hash=head.hash,
        hash="",  # set next, from the other fields
        hash_version=HASH_VERSION,
    )
    event.hash = event_hash(event)
    head.seq, head.hash = event.seq, event.hash
    session.add(event)
    session.add(head)
    session.flush()
    return event


def record_plain(
    session: Session, actor_id: uuid.UUID | None, action: str, subject_type: str, subject_id: Any,
    details: dict[str, Any],
) -> None:  # fmt: skip
    """``record`` of details the caller builds from JSON types only — strings, integers within ±(2**53 - 1),
    booleans, None, lists and dicts of them, no floats — with every dict's keys in sorted order (UTF-16 code
    units, as canonical JSON sorts; code point order for keys without characters beyond U+FFFF): their
    ``canonical_json`` is then byte for byte pydantic-core's compact JSON of them as they are (0.8 µs against
    4.7 µs for a finding's details, measured here; a push records two events per finding). Nothing checks this at
    run time: other values (a datetime, an enum) would be written as pydantic writes them, not as ``record``
    stores them, and keys out of order, a float or a larger integer (which canonical JSON writes as the nearest
    double) would show as a break at the next ``verify``. The backend tests assert the equality on every call;
    anything else: ``record``."""
    deferred = context_of(session).peek(Deferred)
    if deferred is None:
        record(session, actor_id, action, subject_type, subject_id, **details)
    else:
        _queue(deferred.events, actor_id, action, subject_type, subject_id, to_json(details).decode())


def _queue(
    pending: list[Any], actor_id: uuid.UUID | None, action: str, subject_type: str, subject_id: Any, details: str
) -> None:
    """Queue one event for ``write_deferred``, with the canonical text of its details."""
    pending.append((utcnow(), actor_id, action, subject_type, str(subject_id), details))


def defer(session: Session, head: AuditHead | None = None) -> None:
    """Queue this session's events until ``write_deferred``: a batch of many changes (a device's push) then
    takes the chain head once and inserts its events in one statement, in the order they were recorded.
    ``head``: the head the caller has locked already (``lock_head``), used then rather than read again."""
    context_of(session).part(Deferred).head = head


def discard_deferred(session: Session) -> None:
    """Forget queued events and stop deferring (their changes were rolled back)."""
    context_of(session).take(Deferred)


def write_deferred(session: Session) -> None:
    """Chain and insert the queued events, and stop deferring (no-op when not deferring)."""
    deferred = context_of(session).take(Deferred)
    if deferred is None or not deferred.events:
        return
    pending = deferred.events
    head = deferred.head if deferred.head is not None else lock_head(session)
    seq, prev = head.seq, head.hash
    rows = []
    for at, actor_id, action, subject_type, subject_id, details in pending:
        seq += 1
        payload = _payload_text(seq, at, actor_id, action, subject_type, subject_id, details, prev)
        digest = hashlib.sha256(payload.encode()).hexdigest()
        rows.append({
            "seq": seq, "at": at, "actor_id": actor_id, "action": action, "subject_type": subject_type,
            "subject_id": subject_id, "details": JSONText(details), "prev_hash": prev, "hash": digest,
            "hash_version": HASH_VERSION,
        })  # fmt: skip
        prev = digest
    session.connection().execute(insert(table_of(AuditEvent)), rows)
    head.seq, head.hash = seq, prev
    session.add(head)
    session.flush()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify(session: Session, batch: int = 2000) -> list[ChainBreak]:
    """Walk the whole chain; every modified, inserted, reordered or deleted event shows up as a break."""
    breaks: list[ChainBreak] = []
    expected_seq, prev = 1, GENESIS
    last_id = 0
    while True:
        rows = session.exec(
            select(AuditEvent).where(col(AuditEvent.id) > last_id).order_by(col(AuditEvent.id)).limit(batch)
        ).all()
        if not rows:
            break
        for event in rows:
            if event.seq != expected_seq:
                breaks.append(ChainBreak(expected_seq, f"event missing (next stored seq is {event.seq})"))
            if event.prev_hash != prev:
                breaks.append(ChainBreak(event.seq, "prev_hash does not match the preceding event"))
            try:
                intact = event_hash(event) == event.hash
            except ValueError:  # an unknown hash_version, or details canonical JSON cannot carry
                intact = False
            if not intact:
                breaks.append(ChainBreak(event.seq, "content does not match its hash (modified)"))
            expected_seq, prev = event.seq + 1, event.hash
            last_id = event.id or last_id
    head = session.get(AuditHead, 1)
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != expected_seq - 1 or head_hash != prev:
        breaks.append(ChainBreak(head_seq, "chain head does not match the newest event (tail deleted?)"))
    return breaks
