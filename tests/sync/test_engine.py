"""The push/pull engine: ordering, idempotency, request-level errors and savepoints."""

import hashlib
import json
from typing import Any

import pytest

from sync.engine import Engine, parse_push, parse_push_json
from sync.errors import Rejected, SyncError
from sync.ids import uuid7
from sync.memory import MemoryStore
from sync.memory_handlers import memory_registry
from sync.protocol import Status
from sync.registry import Registry, applied

SHA = hashlib.sha256(b"photo").hexdigest()


def state(store: MemoryStore) -> tuple[Any, ...]:
    return store.snapshot(), len(store.applied_records()), store.current_version(), len(store.audit_log())


def test_mutations_apply_in_order_and_advance_last_seq(team, store) -> None:
    lead, _, _, iid = team
    response = lead.push(
        lead.m("finding.note", note_id=uuid7(), inspection_id=iid, item_id="a.1", text="x"),
        lead.m("finding.note", note_id=uuid7(), inspection_id=iid, item_id="a.1", text="y"),
    )
    assert [r.outcome for r in response.results] == [Status.applied, Status.applied]
    assert response.last_seq == 3 == store.device_last_seq(lead.id)
    versions = [r.server_version for r in response.results]
    assert versions == sorted(versions) and len(set(versions)) == 2


def test_repeat_returns_stored_outcome_and_changes_nothing(team, store) -> None:
    lead, _, _, iid = team
    m = lead.m("finding.record", inspection_id=iid, item_id="a.1", base_version=0, fields={"status": "compliant"})
    first = lead.push(m).results[0]
    before = state(store)[:3]
    again = lead.push(m).results[0]
    assert again.outcome == Status.duplicate and again.original == first.final()
    assert state(store)[:3] == before
    assert [a.outcome for a in store.audit_log()][-2:] == [Status.applied, Status.duplicate]


def test_seq_gap_is_refused_with_expected_seq_and_changes_nothing(team, store) -> None:
    lead, _, _, _ = team
    lead.seq += 2
    before = state(store)
    with pytest.raises(SyncError) as err:
        lead.do("complaint.create", complaint_id=uuid7(), establishment_id="e", summary="s", received_on="2026-01-02")
    assert (err.value.status, err.value.code, err.value.context) == (409, "sync.seq_gap", {"expected_seq": 2})
    assert state(store) == before


@pytest.mark.parametrize("change", ["args", "name", "device"])
def test_same_id_with_other_content_is_refused(team, store, change: str) -> None:
    lead, second, _, iid = team
    m = lead.m("finding.note", note_id=uuid7(), inspection_id=iid, item_id="a.1", text="x")
    lead.push(m)
    before = state(store)
    if change == "device":
        with pytest.raises(SyncError) as err:
            second.push({**m, "seq": 1})
    else:
        altered = {**m, "args": {**m["args"], "text": "y"}} if change == "args" else {**m, "name": "finding.notes"}
        with pytest.raises(SyncError) as err:
            lead.push(altered)
    assert err.value.code == "sync.id_reused" and err.value.status == 422
    assert state(store) == before


def test_reused_seq_with_new_id_is_an_alarm(team) -> None:
    lead, _, _, iid = team
    fresh = {**lead.m("finding.note", note_id=uuid7(), inspection_id=iid, item_id="a.1", text="x"), "seq": 1}
    with pytest.raises(SyncError) as err:
        lead.push(fresh)
    assert err.value.code == "sync.seq_reused"


def test_batch_rules(make_device, store) -> None:
    dev = make_device("u")
    a, b = dev.m("x.y"), dev.m("x.y")
    with pytest.raises(SyncError) as err:
        dev.push(b, a)
    assert err.value.code == "sync.batch_order"
    with pytest.raises(SyncError) as err:
        dev.push(a, {**b, "id": a["id"]})
    assert err.value.code == "sync.id_reused"
    small = Engine(memory_registry(), max_batch=1)
    with pytest.raises(SyncError) as err, store.transaction() as tx:
        small.push(tx, dev.actor, parse_push({"protocol": 1, "device_id": str(dev.id), "mutations": [a, b]}))
    assert (err.value.code, err.value.context) == ("sync.batch_too_large", {"max_batch": 1})


def test_protocol_and_device_checks(make_device, store, engine) -> None:
    dev, other = make_device("u"), make_device("v")
    with pytest.raises(SyncError) as err:
        parse_push({"protocol": 2, "device_id": str(dev.id), "mutations": []})
    assert (err.value.status, err.value.code) == (426, "sync.protocol_version")
    with pytest.raises(SyncError) as err:
        parse_push({"protocol": 1, "device_id": str(dev.id), "mutations": [dev.m("x.y")], "extra": 1})
    assert err.value.code == "sync.invalid_request"
    body = {"protocol": 1, "device_id": str(dev.id), "mutations": [dev.m("x.y")]}
    with pytest.raises(SyncError) as err:
        engine.push(store, other.actor, parse_push(body))
    assert err.value.code == "sync.device_mismatch"
    ghost = uuid7()
    with pytest.raises(SyncError) as err:
        engine.push(store, other.actor.__class__("g", "inspector", ghost),
                    parse_push({**body, "device_id": str(ghost)}))  # fmt: skip
    assert err.value.code == "sync.device_not_registered"


def test_unknown_and_invalid_mutations_are_consumed_as_rejected(make_device, store) -> None:
    dev = make_device("u")
    response = dev.push(dev.m("nothing.here"), dev.m("finding.record", inspection_id="not-a-uuid"))
    assert [(r.outcome, r.reason) for r in response.results] == [
        (Status.rejected, "unknown_mutation"), (Status.rejected, "invalid"),
    ]  # fmt: skip
    assert response.last_seq == 2


INEXACT = ["NaN", "Infinity", "-1e400", "1" + "0" * 400, '"\\ud800 half an emoji"', '"nul \\u0000 inside"']


@pytest.mark.parametrize("value", INEXACT)
def test_args_canonical_json_cannot_carry_are_rejected_not_a_request_error(team, store, engine, value) -> None:
    # A JSON parser lets these through (the server's fallback parser does); the fingerprint cannot be taken of
    # them. Failing the request would block the device's queue for ever: the mutation is consumed as invalid.
    lead, _, _, iid = team
    bad = lead.m("finding.note", note_id=str(uuid7()), inspection_id=iid, item_id="a.1", text="@")
    good = lead.m("finding.note", note_id=str(uuid7()), inspection_id=iid, item_id="a.1", text="fine")
    body = json.dumps({"protocol": 1, "device_id": str(lead.id), "mutations": [bad, good]})
    raw = body.replace('"text": "@"', f'"text": {value}').encode()
    with store.transaction() as tx:
        first = engine.push(tx, lead.actor, parse_push_json(raw))
    assert [(r.outcome, r.reason) for r in first.results] == [(Status.rejected, "invalid"), (Status.applied, None)]
    assert first.last_seq == good["seq"] and "canonical" not in (first.results[0].detail or "")
    with store.transaction() as tx:  # the same bytes again: recognised by their fingerprint
        again = engine.push(tx, lead.actor, parse_push_json(raw))
    assert [r.outcome for r in again.results] == [Status.duplicate, Status.duplicate]
    assert again.results[0].original == first.results[0].final()
    changed = raw.replace(b'"item_id": "a.1"', b'"item_id": "a.2"', 1)  # in the first mutation
    with store.transaction() as tx, pytest.raises(SyncError) as err:  # other content under the same id
        engine.push(tx, lead.actor, parse_push_json(changed))
    assert err.value.code == "sync.id_reused"


def test_versions_and_sizes_stop_where_a_javascript_number_is_exact(team) -> None:
    lead, _, _, iid = team
    safe = 2**53 - 1
    photo = {"inspection_id": iid, "sha256": SHA, "mime": "image/jpeg"}
    finding = {"inspection_id": iid, "item_id": "a.1", "fields": {"status": "compliant"}}
    results = lead.push(
        lead.m("photo.attach", photo_id=uuid7(), **photo, bytes=safe + 1),
        lead.m("finding.record", **finding, base_version=safe + 1),
        lead.m("photo.attach", photo_id=uuid7(), **photo, bytes=safe),
        lead.m("finding.record", **finding, base_version=safe),
    ).results
    assert [(r.outcome, r.reason) for r in results] == [
        (Status.rejected, "invalid"), (Status.rejected, "invalid"), (Status.applied, None), (Status.applied, None),
    ]  # fmt: skip


def test_rejection_rolls_back_the_handlers_writes(make_device, store) -> None:
    registry = Registry()

    def half_then_reject(ctx, args) -> Any:
        ctx.store.put("note", "n", {"inspection_id": "i", "item_id": "a", "text": "t"}, "user:u")
        raise Rejected("nope", "changed my mind")

    registry.register("finding.note", half_then_reject)
    dev = make_device("u")
    dev.engine = Engine(registry)
    result = dev.do("finding.note", note_id=uuid7(), inspection_id=uuid7(), item_id="a.1", text="t")
    assert (result.outcome, result.reason, result.detail) == (Status.rejected, "nope", "changed my mind")
    assert store.snapshot() == {} and store.current_version() == 0
    assert store.device_last_seq(dev.id) == 1


def test_unexpected_handler_error_fails_the_request(make_device, store) -> None:
    registry = Registry()

    def boom(ctx, args) -> Any:
        ctx.store.put("note", "n", {}, "user:u")
        raise RuntimeError("bug")

    registry.register("finding.note", boom)
    registry.register("complaint.create", lambda ctx, args: applied())
    dev = make_device("u")
    dev.engine = Engine(registry)
    before = state(store)
    with pytest.raises(RuntimeError):
        dev.push(dev.m("complaint.create", complaint_id=uuid7(), establishment_id="e", summary="s",
                       received_on="2026-01-01"),
                 dev.m("finding.note", note_id=uuid7(), inspection_id=uuid7(), item_id="a.1", text="t"))  # fmt: skip
    assert state(store) == before, "the whole request rolled back, the first mutation included"
    assert ("action.record", 1) in registry.missing()


def test_registry_refuses_unknown_or_double_registration() -> None:
    registry = Registry()
    with pytest.raises(KeyError):
        registry.register("no.such", lambda c, a: applied())
    registry.register("finding.note", lambda c, a: applied())
    with pytest.raises(ValueError):
        registry.register("finding.note", lambda c, a: applied())
    assert memory_registry().missing() == []
