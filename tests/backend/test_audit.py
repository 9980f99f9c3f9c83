"""The hash-chained audit trail: appends in the change's transaction, verification catches tampering."""

import hashlib
import itertools
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import col, select

from backend.audit import service as audit
from backend.audit.models import AuditEvent
from backend.db import AppSession
from sync.canonical import MAX_SAFE_INTEGER, canonical_json, json_equal


def chain_of(session, n=3):
    for i in range(n):
        audit.record(session, None, "test.event", "test", f"s{i}", value=i, text_zh="检查")
    session.flush()


def test_intact_chain_verifies(session):
    chain_of(session)
    assert audit.verify(session) == []


def test_events_link_to_their_predecessor(session):
    chain_of(session)
    events = session.exec(text("SELECT seq, prev_hash, hash FROM audit_event ORDER BY seq")).all()
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash and after.seq == before.seq + 1


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE audit_event SET details = '{\"value\": 99}' WHERE seq = (SELECT MAX(seq) - 1 FROM audit_event)",
        "UPDATE audit_event SET action = 'test.other' WHERE seq = (SELECT MAX(seq) - 1 FROM audit_event)",
        "DELETE FROM audit_event WHERE seq = (SELECT MAX(seq) - 1 FROM audit_event)",
        "DELETE FROM audit_event WHERE seq = (SELECT MAX(seq) FROM audit_event)",
    ],
    ids=["details-modified", "action-modified", "middle-deleted", "newest-deleted"],
)
def test_tampering_is_detected(session, tamper):
    chain_of(session)
    session.exec(text(tamper))
    session.expire_all()
    breaks = audit.verify(session)
    assert breaks, "tampering went unnoticed"


def test_failed_request_leaves_no_audit_event(as_, inspector, session, world):
    before = session.exec(text("SELECT COUNT(*) FROM audit_event")).one()[0]
    r = as_(inspector).post(
        "/establishments",
        json={
            "name": "X",
            "registration_number": "91350100M000100Y43",
            "district_id": str(world.other_district.id),
            "isic": "1410",
        },
    )
    assert r.status_code == 404
    # Only the security event of the refusal (issue 21), none of the refused write.
    assert session.exec(text("SELECT COUNT(*) FROM audit_event")).one()[0] == before + 1
    last = session.exec(text("SELECT action FROM audit_event ORDER BY seq DESC")).first()
    assert last is not None and last[0] == "access.refused"


def test_verify_endpoint_reports_breaks(as_, admin, inspector, session):
    chain_of(session)
    assert as_(admin).get("/audit/verify").json() == {"ok": True, "breaks": []}
    assert as_(inspector).get("/audit/verify").status_code == 403
    session.exec(text("UPDATE audit_event SET subject_id = 'forged' WHERE seq = 1"))
    session.expire_all()
    report = as_(admin).get("/audit/verify").json()
    assert report["ok"] is False and report["breaks"][0]["seq"] == 1


def test_event_shape(session):
    event = audit.record(session, None, "thing.make", "thing", 7, after={"a": 1})
    stored = session.get(AuditEvent, event.id)
    assert stored.action == "thing.make" and stored.subject_id == "7" and stored.details == {"after": {"a": 1}}


SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
DETAILS = st.dictionaries(
    st.text(max_size=6),
    st.recursive(
        SCALARS | st.uuids() | st.datetimes(timezones=st.just(UTC)),
        lambda inner: st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=4), inner, max_size=3)
        | st.dictionaries(st.integers(), inner, max_size=3),  # JSON turns integer keys into strings
        max_leaves=8,
    ),
    max_size=4,
)  # fmt: skip


@given(
    details=DETAILS, seq=st.integers(1, 10**12), actor=st.none() | st.uuids(), action=st.text(),
    subject_type=st.text(), subject_id=st.text(), at=st.datetimes(timezones=st.just(UTC)),
)  # fmt: skip
def test_deferred_events_hash_what_verification_recomputes(details, seq, actor, action, subject_type, subject_id, at):
    # A push chains its events from the details' canonical text; ``verify`` recomputes the hash from the details
    # read back. The two must agree for any details (UUIDs, times, integer keys, non-ASCII text).
    text_ = audit._details_text(details)
    stored = json.loads(text_)
    assert json_equal(stored, audit.jsonable(details))  # the same JSON values (a large float may read back as int)
    prev = hashlib.sha256(action.encode()).hexdigest()
    payload = audit._payload_text(seq, at, actor, action, subject_type, subject_id, text_, prev)
    assert hashlib.sha256(payload.encode()).hexdigest() == audit._hash(
        seq, at, actor, action, subject_type, subject_id, stored, prev
    )


def _sorted_keys(value):
    if isinstance(value, dict):
        return {k: _sorted_keys(value[k]) for k in sorted(value, key=lambda k: k.encode("utf-16-be"))}  # JCS order
    if isinstance(value, list):
        return [_sorted_keys(v) for v in value]
    return value


PLAIN_SCALARS = st.none() | st.booleans() | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER) | st.text()
PLAIN = st.recursive(
    PLAIN_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
).map(_sorted_keys)


@given(details=st.dictionaries(st.text(max_size=6), PLAIN, max_size=5).map(_sorted_keys))
def test_plain_details_are_queued_with_their_canonical_text(details):
    # ``record_plain`` takes pydantic-core's JSON of key-sorted details made of JSON types only (no floats, no
    # integer beyond 2**53) as their canonical text: it must be exactly ``canonical_json``'s, control characters
    # and non-ASCII included.
    session = AppSession()  # no database: a deferring session only queues
    audit.defer(session)
    audit.record_plain(session, None, "a.b", "t", "s", details)
    assert session.context.part(audit.Deferred).events[-1][-1] == canonical_json(details)


def test_plain_details_hash_as_verification_recomputes(session):
    audit.defer(session)
    details = {"after": {"n": [1, None, True], "note": '扶手\n"rail"\u2028'}, "before": None}
    audit.record_plain(session, None, "test.plain", "test", "s", details)
    audit.write_deferred(session)
    assert audit.verify(session) == []
    audit.defer(session)  # what record_plain would queue for a caller breaking its contract: keys out of order
    queued = session.context.part(audit.Deferred).events
    audit._queue(queued, None, "test.plain", "test", "s", audit.to_json({"b": 1, "a": 2}).decode())
    audit.write_deferred(session)
    assert [b.reason for b in audit.verify(session)] == ["content does not match its hash (modified)"]


def test_deferred_events_are_stored_as_chained_and_verify(session):
    audit.defer(session)
    for i in range(3):
        audit.record(session, None, "test.event", "test", f"s{i}", value=i, when=datetime(2026, 1, 2, tzinfo=UTC),
                     nested={"b": [1, 2.5, "检查"], "a": None})  # fmt: skip
    audit.write_deferred(session)
    rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))).all()
    assert [r.details["value"] for r in rows[-3:]] == [0, 1, 2]
    assert rows[-1].details["nested"] == {"a": None, "b": [1, 2.5, "检查"]}
    assert audit.verify(session) == []


# Details whose two encodings differ: a float in exponent form ("1e-07" against "1e-7"), an integer beyond
# 2**53 (exact against the nearest double), keys that code points and UTF-16 units order differently.
DIVERGENT = {"small": 1e-7, "big": 2**60 + 1, "keys": {"\uff01": 1, "\U0001f600": 2}}


def _old_hash(event):
    """The hash the code before hash versions wrote, written out here as it was (not taken from the service)."""
    payload = {
        "seq": event["seq"], "at": event["at"].isoformat(), "actor_id": None, "action": event["action"],
        "subject_type": "test", "subject_id": event["subject_id"], "details": event["details"],
        "prev_hash": event["prev_hash"],
    }  # fmt: skip
    text_ = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text_.encode()).hexdigest()


def _v1_chain(session, n=3):
    """Events as the code before hash versions wrote them (the migration marks them version 1)."""
    head = audit.lock_head(session)
    prev = head.hash
    for i in range(n):
        event = {
            "seq": head.seq + 1 + i, "at": datetime(2026, 11, 30, 8, i, tzinfo=UTC), "action": "old.event",
            "subject_id": f"v1-{i}", "details": {**DIVERGENT, "i": i}, "prev_hash": prev,
        }  # fmt: skip
        prev = _old_hash(event)
        session.add(AuditEvent(**event, subject_type="test", hash=prev, hash_version=1))
    head.seq, head.hash = head.seq + n, prev
    session.add(head)
    session.flush()


def _v1_then_v2(session):
    _v1_chain(session)
    audit.record(session, None, "new.event", "test", "v2-0", **DIVERGENT)
    audit.defer(session)
    audit.record(session, None, "new.event", "test", "v2-1", **DIVERGENT)
    audit.record_plain(session, None, "new.plain", "test", "v2-2", {"a": "检查", "b": [1, None]})
    audit.write_deferred(session)
    session.expire_all()


def test_the_old_encoding_differs_on_these_details():
    assert audit._v1_text(DIVERGENT) != canonical_json(DIVERGENT)


def test_a_chain_of_v1_events_then_v2_events_verifies(session):
    _v1_then_v2(session)
    rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))).all()
    assert [r.hash_version for r in rows[-6:]] == [1, 1, 1, 2, 2, 2]
    assert audit.verify(session) == []


@pytest.mark.parametrize(
    ("subject", "change"),
    [
        ("v1-1", "details = '{\"small\": 1e-7}'"),
        ("v1-2", "action = 'old.other'"),
        ("v1-1", "hash_version = 2"),
        ("v2-0", "details = '{\"small\": 1e-7}'"),
        ("v2-1", "subject_type = 'other'"),
        ("v2-0", "hash_version = 1"),
        ("v2-2", "hash_version = 1"),  # both encodings agree on these details: the hashed version tells them apart
        ("v2-1", "hash_version = 3"),
        ("v2-1", "details = '{\"x\": NaN}'"),
    ],
)  # fmt: skip
def test_tampering_with_v1_or_v2_events_is_detected(session, subject, change):
    _v1_then_v2(session)
    if "NaN" in change and session.get_bind().dialect.name != "sqlite":
        change = 'details = \'{"x": "NaN"}\''  # PostgreSQL's json type refuses NaN
    session.exec(text(f"UPDATE audit_event SET {change} WHERE subject_id = '{subject}'"))
    session.expire_all()
    assert [b.reason for b in audit.verify(session)] == ["content does not match its hash (modified)"]


def test_v2_events_verify_from_their_values_not_their_stored_text(session):
    _v1_then_v2(session)
    session.exec(text('UPDATE audit_event SET details = \'{"b": [1, null], "a": "检查"}\' WHERE subject_id = \'v2-2\''))
    session.expire_all()
    assert audit.verify(session) == []


@pytest.mark.parametrize("value", [float("inf"), float("nan"), "\ud800"], ids=["infinity", "nan", "lone-surrogate"])
def test_details_canonical_json_cannot_carry_are_refused_and_nothing_is_chained(session, value):
    chain_of(session)
    with pytest.raises(ValueError):
        audit.record(session, None, "test.event", "test", "s", value=value)
    audit.defer(session)
    with pytest.raises(ValueError):
        audit.record(session, None, "test.event", "test", "s", value=value)
    audit.discard_deferred(session)
    assert audit.verify(session) == []
