"""A push is applied batched (one savepoint, writes sent together) unless a mutation fails part-way; then the
whole batch is applied again with a savepoint per mutation. Either way each mutation is all-or-nothing, the
outcomes are the same, and the audit chain holds every event in order."""

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session, col, select

from backend.audit import service as audit
from backend.audit.models import AuditEvent
from backend.db import uuid7
from backend.device_sync.models import AppliedMutation, SyncRecord
from backend.device_sync.store import SqlStore
from backend.inspections.finding_batch import _public
from backend.inspections.models import Finding, FindingStatus, Inspection
from backend.inspections.schemas import FindingPublic
from tests.backend.devices import create, items
from tests.backend.test_sync_feed import submit_all


@contextmanager
def savepoints(session: Session) -> Iterator[list[str]]:
    """The SAVEPOINT statements sent while the block runs."""
    seen: list[str] = []
    conn = session.connection()

    def count(_c: Any, _cur: Any, sql: str, *_: Any) -> None:
        if sql.startswith("SAVEPOINT"):
            seen.append(sql)

    event.listen(conn, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(conn, "before_cursor_execute", count)


def record(dev: Any, iid: str, item_id: str, status: str = "compliant") -> dict[str, Any]:
    return dev.mutation("finding.record", inspection_id=iid, item_id=item_id, base_version=0,
                        fields={"status": status, "remark": f"on {item_id}"})  # fmt: skip


def events_since(session: Session, seq: int) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.seq > seq).order_by(col(AuditEvent.seq))))


def findings_of(session: Session, iid: str) -> list[Finding]:
    return list(session.exec(select(Finding).where(Finding.inspection_id == uuid.UUID(iid))))


def sync_rows(session: Session, iid: str) -> list[SyncRecord]:
    return list(session.exec(select(SyncRecord).where(SyncRecord.inspection_id == uuid.UUID(iid))))


def head(session: Session) -> int:
    return max((e.seq for e in session.exec(select(AuditEvent))), default=0)


def test_a_clean_batch_takes_one_savepoint_and_chains_its_audit_events_in_order(lead, world, checklist, session):
    iid = create(lead, world, checklist)
    ids = [i["id"] for i in items(checklist)[:12]]
    batch = [record(lead, iid, i) for i in ids]
    start = head(session)
    with savepoints(session) as seen:
        r = lead.push(*batch)
    assert r.status_code == 200, r.text
    assert [x["outcome"] for x in r.json()["results"]] == ["applied"] * 12
    assert len(seen) <= 2, seen  # the request's and the batch's, not one per mutation
    domain = {f.item_id: f for f in findings_of(session, iid)}
    assert sorted(domain) == sorted(ids) and all(f.note == f"on {f.item_id}" for f in domain.values())
    rows = session.exec(
        select(SyncRecord).where(SyncRecord.entity == "finding", SyncRecord.inspection_id == uuid.UUID(iid))
    )
    versions = sorted(row.version for row in rows)
    assert len(versions) == 12 and len(set(versions)) == 12
    # per mutation: the domain change, then the mutation's own event; in seq order; the chain verifies
    events = events_since(session, start)
    assert [e.action for e in events] == ["finding.record", "sync.mutation"] * 12
    assert [e.details["seq"] for e in events if e.action == "sync.mutation"] == [m["seq"] for m in batch]
    assert [e.seq for e in events] == list(range(start + 1, start + 25))
    assert audit.verify(session) == []


def test_a_rejection_mid_batch_replays_the_batch_with_savepoints_and_leaves_nothing_half_written(
    lead, world, checklist, session
):
    iid = create(lead, world, checklist)
    first, second = (i["id"] for i in items(checklist)[:2])
    note_id = str(uuid7())
    batch = [
        record(lead, iid, first),
        record(lead, iid, "no.such.item"),
        record(lead, iid, second, "non_compliant"),
        lead.mutation("finding.note", inspection_id=iid, item_id=second, note_id=note_id, text="seen at gate"),
    ]
    start = head(session)
    with savepoints(session) as seen:
        r = lead.push(*batch)
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["outcome"] for x in results] == ["applied", "rejected", "applied", "applied"]
    assert results[1]["reason"] == "invalid"
    assert len(seen) >= len(batch) + 1  # the batched attempt, then one savepoint per mutation
    domain = {
        f.item_id: f.status.value for f in session.exec(select(Finding).where(Finding.inspection_id == uuid.UUID(iid)))
    }
    assert domain == {first: "compliant", second: "non_compliant"}
    keys = {row.key for row in sync_rows(session, iid)}
    assert keys == {iid, f"{iid}/{first}", f"{iid}/{second}", note_id}
    applied = session.exec(select(AppliedMutation).where(AppliedMutation.device_id == uuid.UUID(lead.id))).all()
    assert sorted(a.seq for a in applied)[-4:] == [m["seq"] for m in batch]  # the rejected one is consumed too
    events = events_since(session, start)
    assert [e.action for e in events] == ["finding.record", "sync.mutation", "sync.mutation", "finding.record",
                                          "sync.mutation", "sync.mutation"]  # fmt: skip
    assert [e.details["outcome"] for e in events if e.action == "sync.mutation"] == [
        "applied", "rejected", "applied", "applied",
    ]  # fmt: skip
    assert audit.verify(session) == []
    # a repeat of the whole batch returns the stored outcomes and writes nothing but the duplicates' events
    again = lead.push(*batch).json()["results"]
    assert [x["outcome"] for x in again] == ["duplicate"] * 4
    assert [x["original"]["outcome"] for x in again] == ["applied", "rejected", "applied", "applied"]


def test_a_failure_after_writes_leaves_no_trace_of_the_failed_mutation(lead, world, checklist, session, as_):
    """An amendment whose content hash is wrong fails after the domain copied the record: the copy, its
    findings and the original's supersession must all vanish with it; the batch's other mutation stands."""
    header = {"visit_date": "2026-11-02"}
    iid = create(lead, world, checklist, **header)
    ids = [i["id"] for i in items(checklist)]
    submitted = submit_all(lead, iid, checklist, header)
    assert submitted["outcome"] == "applied", submitted
    status = session.get(SyncRecord, ("finding", f"{iid}/{ids[0]}")).data["fields"]["status"]
    before = session.exec(select(Inspection).where(col(Inspection.amends_id).is_not(None))).all()
    amendment = lead.mutation(
        "amendment.create", inspection_id=iid, amendment_id=str(uuid7()), amends=submitted["data"]["submission_id"],
        reason="typo", header={}, findings={ids[0]: {"status": "not_applicable"}},
        content_hash="sha256:" + "0" * 64,
    )  # fmt: skip
    note = lead.mutation("finding.note", inspection_id=iid, item_id=ids[0], note_id=str(uuid7()), text="x")
    r = lead.push(amendment, note)
    results = r.json()["results"]
    assert results[0]["outcome"] == "rejected" and results[0]["reason"] == "hash_mismatch", results
    assert results[1]["outcome"] == "rejected" and results[1]["reason"] == "immutable"  # still submitted
    after = session.exec(select(Inspection).where(col(Inspection.amends_id).is_not(None))).all()
    assert len(after) == len(before)
    original = session.get(Inspection, uuid.UUID(iid))
    assert original is not None and original.status.value == "submitted"
    row = session.get(SyncRecord, ("inspection", iid))
    assert row is not None and "record_id" not in row.data
    assert session.get(SyncRecord, ("finding", f"{iid}/{ids[0]}")).data["fields"]["status"] == status
    assert audit.verify(session) == []


def test_a_replay_does_not_see_rows_the_failed_attempt_wrote_and_read_back(lead, world, checklist, session):
    """The batched attempt stores a photo row early (its item's finding reads the inspection's photos) and reads it
    back; when a later mutation fails, the replay must not find that rolled-back row and call the photo a repeat."""
    iid = create(lead, world, checklist)
    first = items(checklist)[0]["id"]
    assert lead.push(record(lead, iid, first)).status_code == 200  # a finding: attaching to it reads the photos
    photo_id = str(uuid7())
    photo = {"photo_id": photo_id, "inspection_id": iid, "item_id": first, "sha256": "ab" * 32, "bytes": 10,
             "mime": "image/jpeg"}  # fmt: skip
    r = lead.push(lead.mutation("photo.attach", **photo), record(lead, iid, "no.such.item"))
    assert [x["outcome"] for x in r.json()["results"]] == ["applied", "rejected"], r.json()
    assert session.get(SyncRecord, ("photo", photo_id)) is not None
    assert [f.evidence for f in findings_of(session, iid)] == [["ab" * 32]]


def test_a_batch_audits_a_finding_as_the_domain_shows_it_before_and_after(lead, world, checklist, session):
    """The batch writes the audited form of a finding itself (not through ``FindingPublic``): it must be what
    ``findings.record`` would have written, for a new finding and for one read back from the database."""
    iid = create(lead, world, checklist)
    item = items(checklist)[0]["id"]
    first = lead.push(record(lead, iid, item))
    assert first.json()["results"][0]["outcome"] == "applied", first.text
    (before,) = findings_of(session, iid)
    shown_before = FindingPublic.model_validate(before).model_dump(mode="json")
    version = first.json()["results"][0]["server_version"]
    workers = {"men": 2, "women": 1, "under_18": 0}
    fields = {"status": "non_compliant", "remark": "guard missing", "workers_affected": workers}
    again = lead.mutation("finding.record", inspection_id=iid, item_id=item, base_version=version, fields=fields)
    second = lead.push(again)
    assert second.json()["results"][0]["outcome"] == "applied", second.text
    session.expire_all()
    (after,) = findings_of(session, iid)
    events = [e for e in events_since(session, 0) if e.action == "finding.record" and e.subject_id == iid]
    assert [e.details["before"] for e in events] == [None, shown_before]
    assert events[-1].details["after"] == FindingPublic.model_validate(after).model_dump(mode="json")
    assert events[-1].details["after"]["status"] == "non_compliant" and events[-1].details["after"]["version"] == 2
    assert audit.verify(session) == []


def test_a_push_the_engine_refuses_reads_nothing_ahead(lead, world, checklist, session):
    """A seq gap is refused before any mutation runs: the read-ahead of the batch's rows is skipped too."""
    iid = create(lead, world, checklist)
    batch = [record(lead, iid, i["id"]) for i in items(checklist)[:5]]
    for m in batch:
        m["seq"] += 1  # one seq skipped
    conn = session.connection()
    reads: list[str] = []

    def note(_c: Any, _cur: Any, sql: str, *_: Any) -> None:
        if "sync_record" in sql or "applied_mutation" in sql:
            reads.append(sql)

    event.listen(conn, "before_cursor_execute", note)
    try:
        r = lead.push(*batch)
    finally:
        event.remove(conn, "before_cursor_execute", note)
    assert r.status_code == 409 and r.json()["code"] == "sync.seq_gap", r.text
    assert reads == []


@pytest.mark.parametrize("micro", [0, 1, 999_999])
@pytest.mark.parametrize("zone", [UTC, timezone(timedelta(hours=8)), None])
@pytest.mark.parametrize("status", [FindingStatus.non_compliant, "not_applicable"])
def test_the_audited_form_of_a_finding_is_what_its_public_model_writes(micro, status, zone):
    at = datetime(2026, 11, 29, 9, 5, 7, micro, tzinfo=zone)
    row = {"id": uuid7(), "inspection_id": uuid7(), "checklist_key": "osh-general", "item_id": "osh-07",
           "status": status, "value": None if micro else "12 m", "note": "扶手缺失 \"rail\"\n", "workers_men": 3,
           "workers_women": 0, "workers_under_18": 1, "evidence": ["ab" * 32] if micro else [], "version": 4,
           "recorded_by": uuid7(), "recorded_at": at}  # fmt: skip
    public = _public(row)
    assert public == FindingPublic.model_validate(row).model_dump(mode="json")
    assert list(public) == sorted(public), "audit.record_plain takes dicts with their keys in sorted order"


@pytest.mark.parametrize("batched", [False, True])
def test_an_inspections_held_rows_follow_a_row_that_moves(session, batched):
    """A ``put`` keeps the rows read for an inspection current: the row joins the new inspection's and leaves
    the one it was in (and any when it leaves inspections altogether)."""
    a, b = str(uuid7()), str(uuid7())
    store = SqlStore(session, batched=batched)
    first = store.put_in("note", "n1", {"text": "x"}, a)
    assert store.peek_rows("note", a) == {"n1": {"text": "x", "version": first}}
    assert store.peek_rows("note", b) == {}
    second = store.put_in("note", "n1", {"text": "y"}, b)
    assert store.peek_rows("note", a) == {}
    assert store.peek_rows("note", b) == {"n1": {"text": "y", "version": second}}
    store.put("note", "n1", {"text": "z"}, None)
    assert store.peek_rows("note", a) == store.peek_rows("note", b) == {}


@pytest.mark.parametrize("text", [float("nan"), float("inf"), 10**400, "\ud83d half an emoji"])
def test_a_value_canonical_json_cannot_carry_is_rejected_and_the_queue_moves_on(lead, world, checklist, text):
    """Such a value reaches the server through its fallback JSON parser; it must not make every push of the
    device fail (its queue would be stuck behind it): the mutation is consumed as invalid, the next applied."""
    iid = create(lead, world, checklist)
    item = items(checklist)[0]["id"]
    bad = lead.mutation("finding.note", inspection_id=iid, item_id=item, note_id=str(uuid7()), text=text)
    good = lead.mutation("finding.note", inspection_id=iid, item_id=item, note_id=str(uuid7()), text="fine")
    body = json.dumps({"protocol": 1, "device_id": lead.id, "mutations": [bad, good]})  # NaN, \ud83d as written
    headers = {**lead.auth(), "Content-Type": "application/json"}
    first = lead.api.post("/sync/push", content=body, headers=headers)
    assert first.status_code == 200, first.text
    results = [(r["outcome"], r["reason"]) for r in first.json()["results"]]
    assert results == [("rejected", "invalid"), ("applied", None)]
    again = lead.api.post("/sync/push", content=body, headers=headers)
    assert [r["outcome"] for r in again.json()["results"]] == ["duplicate", "duplicate"], again.text
