"""One record of an inspection: a complete offline inspection, pushed as the previous app version queued it
(today's wire names, a week late), is whole in the domain — ``GET /inspections/{id}`` and the submission
snapshot hold the GPS fix, the signature with its signer, photos with their metadata, notes, interviews and
measures — and the visit date is the local date of its start."""

import hashlib
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlmodel import select

from backend.config import settings
from backend.db import uuid7
from backend.inspections.models import InspectionSubmission
from sync.canonical import canonical_bytes
from sync.hashing import build_content, content_hash
from tests.backend.devices import CHECKLIST, Dev, answer, items, upload
from tests.images import jpeg


def _week_old_start() -> datetime:
    """07:30 in Beijing a week ago: 23:30 UTC the day before."""
    day = (datetime.now(UTC) - timedelta(days=7)).date()
    return datetime(day.year, day.month, day.day, 23, 30, tzinfo=UTC)


def _queued(dev: Dev, at: datetime, name: str, **args):
    mutation = dev.mutation(name, **args)
    mutation["client_ts"] = (at + timedelta(minutes=mutation["seq"] - 1)).isoformat().replace("+00:00", "Z")
    return mutation


def _offline_inspection(lead, second, world, checklist):
    """Everything an inspector records on site, queued offline by the previous app version and pushed in one
    batch a week later (blobs uploaded first, as the app does before it pushes a submission)."""
    start = _week_old_start()
    iid = str(uuid7())
    listed = items(checklist)
    first, second_item = listed[0]["id"], listed[1]["id"]
    fields = {item["id"]: answer(item) for item in listed}
    fields[first] = {"status": "non_compliant", "remark": "register missing",
                     "workers_affected": {"men": 3, "women": 2, "under_18": 1}}  # fmt: skip
    fields[second_item] = {"status": "not_checked", "remark": "office locked"}
    fix = {"lat": 31.2304, "lon": 121.4737, "accuracy_m": 8.5}
    header = {"visit_date": start.date().isoformat(), "location": fix}  # the old app: the UTC date
    photo, preview, signature = jpeg(900), jpeg(300), jpeg(400)
    sha, preview_sha, signature_sha = (upload(lead.api, b) for b in (photo, preview, signature))
    note_id = str(uuid7())
    batch = [
        _queued(lead, start, "inspection.create", inspection_id=iid, establishment_id=str(world.factory.id),
                checklist=f"{CHECKLIST}@{checklist['version']}", type="planned", team=[second.user_id],
                header=header),
        *(_queued(lead, start, "finding.record", inspection_id=iid, item_id=i, base_version=0, fields=f)
          for i, f in fields.items()),
        _queued(lead, start, "finding.note", note_id=note_id, inspection_id=iid, item_id=first, text="seen twice"),
        _queued(lead, start, "photo.attach", photo_id=str(uuid7()), inspection_id=iid, item_id=first, sha256=sha,
                bytes=len(photo), mime="image/jpeg", geo=fix,
                preview={"sha256": preview_sha, "bytes": len(preview), "mime": "image/jpeg"}),
        _queued(lead, start, "signature.attach", signature_id=str(uuid7()), inspection_id=iid,
                signer_name="Wang Fang", signer_role="employer", sha256=signature_sha),
        _queued(lead, start, "inspection.update", inspection_id=iid, base_version=0,
                fields={"employer_representative": "Wang Fang"}),
        _queued(lead, start, "interview.record", interview_id=str(uuid7()), inspection_id=iid, men=2, women=1,
                under_18=0, note="overtime unpaid"),
        _queued(lead, start, "action.record", action_id=str(uuid7()), inspection_id=iid, item_id=first,
                measure="order_to_rectify", deadline_days=14, text="keep a register"),
    ]  # fmt: skip
    header["employer_representative"] = "Wang Fang"
    claimed = content_hash(build_content(iid, f"{CHECKLIST}@{checklist['version']}", header, fields,
                                         {first: [(note_id, "seen twice")]}, [sha, signature_sha]))  # fmt: skip
    batch.append(_queued(lead, start, "inspection.submit", inspection_id=iid, content_hash=claimed))
    r = lead.push(*batch)
    assert r.status_code == 200, r.text
    assert [x["outcome"] for x in r.json()["results"]] == ["applied"] * len(batch), r.json()["results"]
    return iid, start, first, second_item, sha, preview_sha, signature_sha, claimed


def test_a_week_old_queue_in_todays_wire_format_makes_a_complete_record(lead, second, world, checklist, as_,
                                                                       inspector, session):  # fmt: skip
    iid, start, first, second_item, sha, preview_sha, signature_sha, claimed = _offline_inspection(
        lead, second, world, checklist
    )
    record = as_(inspector).get(f"/inspections/{iid}").json()
    assert record["status"] == "submitted"
    assert datetime.fromisoformat(record["started_at"]) == start  # the real start, not midnight
    assert record["visit_date"] == (start + timedelta(days=1)).date().isoformat()  # Beijing's date
    assert (record["gps_status"], record["gps_latitude"], record["gps_longitude"], record["gps_accuracy_m"]) == (
        "fix",
        31.2304,
        121.4737,
        8.5,
    )
    assert datetime.fromisoformat(record["gps_at"]) == start  # the fix came with the create
    assert record["employer_representative"] == "Wang Fang"
    by_item = {f["item_id"]: f for f in record["findings"]}
    assert (by_item[first]["status"], by_item[first]["note"], by_item[first]["evidence"]) == (
        "non_compliant",
        "register missing",
        [sha],
    )
    assert (by_item[first]["workers_men"], by_item[first]["workers_women"], by_item[first]["workers_under_18"]) == (
        3,
        2,
        1,
    )
    assert (by_item[second_item]["status"], by_item[second_item]["note"]) == ("not_verified", "office locked")
    assert [(n["item_id"], n["text"]) for n in record["notes"]] == [(first, "seen twice")]
    [photo] = record["photos"]
    assert (photo["sha256"], photo["preview_sha256"], photo["item_id"]) == (sha, preview_sha, first)
    assert (photo["latitude"], photo["longitude"], photo["accuracy_m"], photo["mime"]) == (
        31.2304,
        121.4737,
        8.5,
        "image/jpeg",
    )
    assert photo["taken_at"] is not None
    [signature] = record["signatures"]
    assert (signature["signer_name"], signature["signer_role"], signature["sha256"]) == (
        "Wang Fang",
        "employer",
        signature_sha,
    )
    assert signature["signed_at"] is not None
    [interview] = record["interviews"]
    assert (interview["men"], interview["women"], interview["note"]) == (2, 1, "overtime unpaid")
    [measure] = record["measures"]
    assert (measure["measure"], measure["item_ids"], measure["deadline_days"]) == ("order_to_rectify", [first], 14)

    stmt = select(InspectionSubmission).where(InspectionSubmission.inspection_id == UUID(iid))
    [submission] = session.exec(stmt).all()
    content = submission.content
    assert submission.sha256 == hashlib.sha256(canonical_bytes(content)).hexdigest()
    assert content["device_content_hash"] == submission.device_content_hash == claimed
    assert content["header"]["gps_status"] == "fix" and content["header"]["gps_latitude"] == 31.2304
    assert content["header"]["employer_representative"] == "Wang Fang"
    assert content["header"]["visit_date"] == record["visit_date"]
    assert [p["preview_sha256"] for p in content["photos"]] == [preview_sha]
    assert [(s["signer_name"], s["sha256"]) for s in content["signatures"]] == [("Wang Fang", signature_sha)]
    assert [i["note"] for i in content["interviews"]] == ["overtime unpaid"]
    assert [m["item_ids"] for m in content["measures"]] == [[first]]
    assert [n["text"] for n in content["notes"]] == ["seen twice"]


def test_photos_pulled_by_a_supervisor_or_team_member_can_be_fetched(lead, second, world, checklist, as_,
                                                                     supervisor, other_district_inspector):  # fmt: skip
    iid, *_, sha, preview_sha, signature_sha, _claimed = _offline_inspection(lead, second, world, checklist)
    for reader in (Dev(as_, supervisor), second):
        [photo] = [p for p in reader.pull_all()["photo"].values() if p["inspection_id"] == iid]
        assert (photo["sha256"], photo["preview"]["sha256"]) == (sha, preview_sha)
        for digest in (photo["preview"]["sha256"], photo["sha256"], signature_sha):
            r = reader.api.get(f"/inspections/{iid}/evidence/{digest}")
            assert r.status_code == 200, r.text
            assert hashlib.sha256(r.content).hexdigest() == digest
    outsider = as_(other_district_inspector).get(f"/inspections/{iid}/evidence/{preview_sha}")
    assert outsider.status_code == 404
    unknown = as_(supervisor).get(f"/inspections/{iid}/evidence/{'a' * 64}")
    assert unknown.status_code == 404


def test_the_visit_date_is_the_local_date_of_the_start(lead, world, checklist, as_, inspector, monkeypatch):
    start = _week_old_start()
    created = as_(inspector).post("/inspections", json={
        "establishment_id": str(world.factory.id), "type": "planned",
        "checklists": [{"key": CHECKLIST, "version": checklist["version"]}], "started_at": start.isoformat(),
    })  # fmt: skip
    assert created.status_code == 201, created.text
    assert datetime.fromisoformat(created.json()["started_at"]) == start
    assert created.json()["visit_date"] == (start + timedelta(days=1)).date().isoformat()

    iid = str(uuid7())  # by sync, without a visit date: the start's local date
    pinned = f"{CHECKLIST}@{checklist['version']}"
    pushed = lead.push(_queued(lead, start - timedelta(minutes=1), "inspection.create", inspection_id=iid,
                               establishment_id=str(world.factory.id), checklist=pinned))  # fmt: skip
    assert pushed.json()["results"][0]["outcome"] == "applied", pushed.text
    assert as_(inspector).get(f"/inspections/{iid}").json()["visit_date"] == created.json()["visit_date"]

    chosen = str(uuid7())  # a date the inspector chose stands
    lead.push(_queued(lead, start, "inspection.create", inspection_id=chosen, establishment_id=str(world.factory.id),
                      checklist=pinned, header={"visit_date": "2026-01-15"}))  # fmt: skip
    assert as_(inspector).get(f"/inspections/{chosen}").json()["visit_date"] == "2026-01-15"

    monkeypatch.setattr(settings, "default_timezone", "UTC")
    utc = as_(inspector).post("/inspections", json={
        "establishment_id": str(world.factory.id), "type": "planned",
        "checklists": [{"key": CHECKLIST, "version": checklist["version"]}], "started_at": start.isoformat(),
    })  # fmt: skip
    assert utc.json()["visit_date"] == start.date().isoformat()


def test_an_unknown_time_zone_setting_is_refused(monkeypatch):
    import pytest

    from backend.config import Settings

    with pytest.raises(ValueError, match="LI_DEFAULT_TIMEZONE"):
        Settings(default_timezone="Mars/Olympus")
