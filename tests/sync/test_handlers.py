"""The reference handlers: field conflicts, resolution, submission, immutability, scoped pulls."""

import hashlib
from typing import Any
from uuid import UUID

import pytest

from sync.errors import SyncError
from sync.hashing import content_hash, finding_key, inspection_content
from sync.ids import uuid7
from sync.memory import MemoryStore
from sync.protocol import Status

SHA = hashlib.sha256(b"photo").hexdigest()


def record(dev, iid: str, base: int = 0, item: str = "ppe.helmets", **fields: Any):
    return dev.do("finding.record", inspection_id=iid, item_id=item, base_version=base, fields=fields)


# --- conflicts -------------------------------------------------------------------------------------------
def test_same_field_different_values_keeps_both_candidates(team, store) -> None:
    lead, second, _, iid = team
    a = record(lead, iid, status="non_compliant")
    b = record(second, iid, status="compliant")
    assert a.outcome == Status.applied and b.outcome == Status.conflict and b.reason == "field_conflict"
    finding = store.get("finding", finding_key(iid, "ppe.helmets"))
    conflict = store.get("conflict", str(b.conflict_ids[0]))
    assert finding["fields"]["status"] == "non_compliant", "exactly one applied value"
    assert finding["fields_conflicts"] == {"status": str(b.conflict_ids[0])}
    assert conflict["status"] == "open"
    assert [(c["value"], c["author"]) for c in conflict["candidates"]] == [
        ("non_compliant", "u-lead"), ("compliant", "u-two")
    ]  # fmt: skip


def test_same_value_is_no_conflict_and_different_fields_merge(team, store) -> None:
    lead, second, _, iid = team
    record(lead, iid, status="non_compliant")
    same = record(second, iid, status="non_compliant", remark="seen")
    assert same.outcome == Status.applied and same.conflict_ids == []
    assert store.get("finding", finding_key(iid, "ppe.helmets"))["fields"] == {
        "status": "non_compliant", "remark": "seen"
    }  # fmt: skip
    assert store.rows("conflict") == {}


def test_up_to_date_base_overwrites(team, store) -> None:
    lead, second, _, iid = team
    first = record(lead, iid, status="non_compliant")
    later = record(second, iid, base=first.server_version, status="compliant")
    assert later.outcome == Status.applied
    assert store.get("finding", finding_key(iid, "ppe.helmets"))["fields"]["status"] == "compliant"


def test_third_value_joins_open_conflict(team, store) -> None:
    lead, second, sup, iid = team
    record(lead, iid, status="non_compliant")
    b = record(second, iid, status="compliant")
    c = record(sup, iid, base=10**6, status="not_checked")
    assert c.outcome == Status.rejected and c.reason == "forbidden"  # supervisors resolve, never answer items
    c = record(lead, iid, base=10**6, status="not_checked")  # an up-to-date base cannot close an open conflict
    assert c.outcome == Status.conflict and c.conflict_ids == b.conflict_ids
    candidates = store.get("conflict", str(b.conflict_ids[0]))["candidates"]
    assert [x["value"] for x in candidates] == ["non_compliant", "compliant", "not_checked"]


def test_only_lead_or_supervisor_resolves_and_submit_waits(team, store) -> None:
    lead, second, sup, iid = team
    first = record(lead, iid, status="non_compliant")
    b = record(second, iid, status="compliant")
    cid = b.conflict_ids[0]
    assert lead.do("inspection.submit", inspection_id=iid, content_hash="sha256:" + "0" * 64).reason == "open_conflicts"
    denied = second.do("conflict.resolve", conflict_id=cid, choose=b.id)
    assert (denied.outcome, denied.reason) == (Status.rejected, "forbidden")
    bad = sup.do("conflict.resolve", conflict_id=cid, choose=uuid7())
    assert bad.reason == "invalid"
    ok = sup.do("conflict.resolve", conflict_id=cid, choose=b.id, note="checked")
    assert ok.outcome == Status.applied
    assert store.get("finding", finding_key(iid, "ppe.helmets"))["fields"]["status"] == "compliant"
    assert store.get("conflict", str(cid))["status"] == "resolved"
    assert lead.do("conflict.resolve", conflict_id=cid, choose=first.id).reason == "already_resolved"


# --- submission and immutability ---------------------------------------------------------------------------
def submit(dev, store: MemoryStore, iid: str):
    return dev.do(
        "inspection.submit", inspection_id=iid, content_hash=content_hash(inspection_content(store.snapshot(), iid))
    )


def test_submit_checks_attachments_and_hash_then_freezes(team, store) -> None:
    lead, second, _, iid = team
    record(lead, iid, status="non_compliant")
    lead.do("photo.attach", photo_id=uuid7(), inspection_id=iid, sha256=SHA, bytes=5, mime="image/jpeg")
    missing = submit(lead, store, iid)
    assert (missing.reason, missing.data) == ("missing_attachments", {"missing": [SHA]})
    store.verify_blob(SHA)
    wrong = lead.do("inspection.submit", inspection_id=iid, content_hash="sha256:" + "1" * 64)
    assert wrong.reason == "hash_mismatch"
    assert wrong.data["server_hash"] == content_hash(inspection_content(store.snapshot(), iid))
    assert submit(second, store, iid).reason == "forbidden"
    ok = submit(lead, store, iid)
    assert ok.outcome == Status.applied and ok.data["server_hash"] == store.get("inspection", iid)["submitted_hash"]
    frozen = store.snapshot()
    for result in [
        record(lead, iid, base=10**6, status="compliant"),
        lead.do("finding.note", note_id=uuid7(), inspection_id=iid, item_id="a.1", text="late"),
        lead.do("inspection.update", inspection_id=iid, base_version=10**6, fields={"summary": "late"}),
        submit(lead, store, iid),
    ]:
        assert (result.outcome, result.reason) == (Status.rejected, "immutable")
    assert store.snapshot() == frozen
    assert content_hash(inspection_content(store.snapshot(), iid)) == ok.data["server_hash"], "stable hash"
    action = lead.do("action.record", action_id=uuid7(), inspection_id=iid, measure="warning")
    assert action.outcome == Status.applied


def test_amendment_must_reference_the_current_submission(team, store) -> None:
    lead, _, _, iid = team
    record(lead, iid, status="non_compliant")
    first = submit(lead, store, iid).data["submission_id"]
    amended = inspection_content(store.snapshot(), iid).model_copy(deep=True)
    amended.findings[0].fields["remark"] = "typo fixed"
    args = dict(inspection_id=iid, reason="typo", findings={"ppe.helmets": {"remark": "typo fixed"}},
                content_hash=content_hash(amended))  # fmt: skip
    ok = lead.do("amendment.create", amendment_id=uuid7(), amends=first, **args)
    assert ok.outcome == Status.applied, ok
    assert store.get("inspection", iid)["submission_id"] == ok.data["submission_id"] != first
    stale = lead.do("amendment.create", amendment_id=uuid7(), amends=first, **args)
    assert (stale.outcome, stale.reason) == (Status.conflict, "stale_amendment")
    assert store.get("submission", ok.data["submission_id"])["amends"] == first


def test_creates_are_not_repeated_under_new_ids(team) -> None:
    lead, _, _, iid = team
    again = lead.do("inspection.create", inspection_id=iid, establishment_id="e", checklist="construction@1")
    assert (again.outcome, again.reason) == (Status.rejected, "exists")


# --- pull --------------------------------------------------------------------------------------------------
def test_pull_is_scoped_to_the_user(team, make_device, store) -> None:
    lead, _, sup, iid = team
    outsider = make_device("u-out")
    record(lead, iid, status="compliant")
    outsider.do("complaint.create", complaint_id=uuid7(), establishment_id="e", summary="s", received_on="2026-01-01")
    mine, _ = outsider.pull_all()
    assert {c.entity for c in mine} == {"complaint"}
    theirs, _ = lead.pull_all()
    assert {c.entity for c in theirs} == {"inspection", "finding"}
    everything, cursor = sup.pull_all()
    assert len(everything) == store.current_version() == cursor


@pytest.mark.parametrize("limit", [1, 2, 3, 1000])
def test_pull_pages_cover_every_change_once(team, store, limit: int) -> None:
    lead, second, _, iid = team
    for i in range(4):
        record(lead, iid, item=f"a.{i}", status="compliant")
    record(second, iid, item="a.0", status="not_checked")
    changes, cursor = second.pull_all(limit=limit)
    versions = [c.version for c in changes]
    assert versions == sorted(set(versions)) and cursor == versions[-1] == store.current_version()
    tail, _ = second.pull_all(cursor=versions[2], limit=limit)
    assert [c.version for c in tail] == versions[3:]


def test_expired_cursor(make_device, store, engine) -> None:
    class Compacted(MemoryStore):
        def earliest_cursor(self) -> int:
            return 5

    compacted = Compacted()
    dev_id = uuid7()
    actor = compacted.register_device(dev_id, "u")
    from sync.engine import parse_pull

    with pytest.raises(SyncError) as err:
        engine.pull(compacted, actor, parse_pull({"protocol": 1, "device_id": str(dev_id), "cursor": 2}))
    assert (err.value.status, err.value.code, err.value.context) == (410, "sync.cursor_expired", {"earliest_cursor": 5})
    assert (
        engine.pull(compacted, actor, parse_pull({"protocol": 1, "device_id": str(dev_id), "cursor": 5})).more is False
    )


def test_ids_are_uuids(team) -> None:
    _, _, _, iid = team
    assert UUID(iid).version == 7


def test_a_detached_photo_leaves_the_content_and_stays_as_a_tombstone(team, store) -> None:
    lead, second, _, iid = team
    record(lead, iid, status="non_compliant")
    photo_id = uuid7()
    lead.do("photo.attach", photo_id=photo_id, inspection_id=iid, item_id="ppe.helmets", sha256=SHA, bytes=5,
            mime="image/jpeg")  # fmt: skip
    assert inspection_content(store.snapshot(), iid).attachments == [SHA]
    done = lead.do("photo.detach", photo_id=photo_id, inspection_id=iid)
    assert done.outcome == Status.applied
    row = store.get("photo", str(photo_id))
    assert row["detached"] is True and row["sha256"] == SHA and row["version"] == done.server_version
    assert inspection_content(store.snapshot(), iid).attachments == []
    again = second.do("photo.detach", photo_id=photo_id, inspection_id=iid)
    assert (again.outcome, again.server_version) == (Status.applied, done.server_version), "a no-op"
    other = lead.do("photo.detach", photo_id=uuid7(), inspection_id=iid)
    assert (other.outcome, other.reason) == (Status.rejected, "not_found")
    assert submit(lead, store, iid).outcome == Status.applied, "the detached photo's bytes are not needed"
    late = lead.do("photo.detach", photo_id=photo_id, inspection_id=iid)
    assert (late.outcome, late.reason) == (Status.rejected, "immutable")
