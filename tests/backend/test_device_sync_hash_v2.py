"""``hash_version: 2`` (PROTOCOL.md §7.2): a whole offline inspection — GPS, notes, photos with their metadata, a
signature, an interview, a measure — submitted with the device's v2 hash, which is the SHA-256 of the snapshot the
server stores; an old app's v1 hash is still accepted beside today's snapshot."""

import copy
import hashlib
import uuid

import pytest
from sqlmodel import select

from backend.db import uuid7
from backend.inspections.models import InspectionSubmission
from sync.attested import content_hash_v2, document_v2
from sync.hashing import content_hash, finding_key, inspection_content
from tests.backend.devices import answer, items, upload
from tests.images import jpeg

HEADER = {
    "visit_date": "2026-11-02", "employer_representative": "Ms Zhou (HR)", "workers_present": 41,
    "summary": "Night shift \u811a\u624b\u67b6 \U0001f600",
    "location": {"lat": 31.2304, "lon": 121.4737, "accuracy_m": 12},
}  # fmt: skip


def offline_inspection(lead, world, checklist) -> tuple[str, list[bytes]]:
    """Everything recorded offline and pushed in one request; then the files uploaded."""
    iid = str(uuid7())
    blobs = [jpeg(600), jpeg(700), jpeg(300)]
    photo_a, photo_b, ink = (hashlib.sha256(b).hexdigest() for b in blobs)
    mutations = [
        lead.mutation("inspection.create", inspection_id=iid, establishment_id=str(world.factory.id),
                      checklist=f"{checklist['key']}@{checklist['version']}", team=[], header=HEADER),
    ]  # fmt: skip
    for item in items(checklist):
        fields = answer(item)
        if item["id"] == "ga.est.01":
            fields = {"status": "non_compliant", "remark": "Register missing \"3\" pages",
                      "workers_affected": {"men": 5, "women": 3, "under_18": 1}}  # fmt: skip
        mutations.append(lead.mutation("finding.record", inspection_id=iid, item_id=item["id"], base_version=0,
                                       fields=fields))  # fmt: skip
    mutations += [
        lead.mutation("finding.note", note_id=str(uuid7()), inspection_id=iid, item_id="ga.est.01", text="seen"),
        lead.mutation("finding.note", note_id=str(uuid7()), inspection_id=iid, item_id="ga.est.01", text="asked"),
        lead.mutation("photo.attach", photo_id=str(uuid7()), inspection_id=iid, item_id="ga.est.01", sha256=photo_a,
                      bytes=600, mime="image/jpeg", geo={"lat": 31.23, "lon": 121.47, "accuracy_m": 8.5},
                      preview={"sha256": "ab" * 32, "bytes": 90, "mime": "image/webp"}),
        lead.mutation("photo.attach", photo_id=str(uuid7()), inspection_id=iid, sha256=photo_b, bytes=700,
                      mime="image/jpeg"),
        lead.mutation("signature.attach", signature_id=str(uuid7()), inspection_id=iid, signer_name="Zhou Li",
                      signer_role="employer", sha256=ink),
        lead.mutation("interview.record", interview_id=str(uuid7()), inspection_id=iid, men=2, women=1, under_18=0,
                      note="Paid late"),
        lead.mutation("action.record", action_id=str(uuid7()), inspection_id=iid, item_id="ga.est.01",
                      measure="order_to_rectify", deadline_days=14, text="Complete the register"),
    ]  # fmt: skip
    r = lead.push(*mutations)
    assert r.status_code == 200, r.text
    assert {x["outcome"] for x in r.json()["results"]} == {"applied"}, r.json()
    for blob in blobs:
        upload(lead.api, blob)
    return iid, blobs


def submission(session, iid: str) -> InspectionSubmission:
    stmt = select(InspectionSubmission).where(InspectionSubmission.inspection_id == uuid.UUID(iid))
    return session.exec(stmt).one()


def test_the_snapshot_is_the_v2_document_the_device_hashed(lead, world, checklist, as_, inspector, session):
    iid, _ = offline_inspection(lead, world, checklist)
    replica = lead.pull_all()
    claimed = content_hash_v2(replica, iid)
    done = lead.send("inspection.submit", inspection_id=iid, content_hash=claimed)
    assert done["outcome"] == "applied", done
    assert done["data"]["server_hash"] == claimed
    stored = submission(session, iid)
    assert "sha256:" + stored.sha256 == claimed == stored.device_content_hash
    assert stored.content == document_v2(replica, iid)
    content = stored.content
    assert content["header"]["gps"] == {"lat": 31.2304, "lon": 121.4737, "accuracy_m": 12}
    assert content["header"]["employer_representative"] == "Ms Zhou (HR)"
    assert [n["text"] for n in content["notes"]] == ["asked", "seen"]
    assert {p["preview_sha256"] for p in content["photos"]} == {"ab" * 32, None}
    assert [(s["signer_name"], s["signer_role"]) for s in content["signatures"]] == [("Zhou Li", "employer")]
    assert [(i["men"], i["note"]) for i in content["interviews"]] == [(2, "Paid late")]
    assert [(m["measure"], m["item_ids"]) for m in content["measures"]] == [("order_to_rectify", ["ga.est.01"])]
    detail = as_(inspector).get(f"/inspections/{iid}").json()
    assert detail["status"] == "submitted" and detail["submissions"][0]["sha256"] == claimed.removeprefix("sha256:")


def test_an_old_apps_v1_hash_is_still_accepted(lead, world, checklist, session):
    iid, _ = offline_inspection(lead, world, checklist)
    claimed = content_hash(inspection_content(lead.pull_all(), iid))
    done = lead.send("inspection.submit", inspection_id=iid, content_hash=claimed)
    assert done["outcome"] == "applied", done
    stored = submission(session, iid)
    assert stored.device_content_hash == claimed and stored.content["device_content_hash"] == claimed
    assert {"header", "team", "photos", "signatures"} <= set(stored.content)  # today's whole-record shape


@pytest.mark.parametrize("claimed", ["sha256:" + "0" * 64])
def test_a_wrong_hash_names_both_server_hashes(lead, world, checklist, claimed):
    iid, _ = offline_inspection(lead, world, checklist)
    replica = lead.pull_all()
    wrong = lead.send("inspection.submit", inspection_id=iid, content_hash=claimed)
    assert wrong["outcome"] == "rejected" and wrong["reason"] == "hash_mismatch"
    assert wrong["data"] == {
        "server_hash": content_hash(inspection_content(replica, iid)),
        "server_hash_v2": content_hash_v2(replica, iid),
    }


def test_an_amendment_is_sealed_with_its_v2_hash(lead, world, checklist, session):
    """The amendment's copies of notes, photos, signature and interview get new ids; its measures are the
    original's: the v2 document is the same for the device's one record and the server's new version."""
    iid, _ = offline_inspection(lead, world, checklist)
    first = lead.send("inspection.submit", inspection_id=iid, content_hash=content_hash_v2(lead.pull_all(), iid))
    assert first["outcome"] == "applied", first
    change = {"ga.est.01": {"remark": "Register completed on the spot", "value": [1, 2.5]}}
    replica = copy.deepcopy(lead.pull_all())
    replica["finding"][finding_key(iid, "ga.est.01")]["fields"].update(change["ga.est.01"])
    claimed = content_hash_v2(replica, iid)
    amended = lead.send("amendment.create", amendment_id=str(uuid7()), inspection_id=iid,
                        amends=first["data"]["submission_id"], reason="remark", findings=change,
                        content_hash=claimed)  # fmt: skip
    assert amended["outcome"] == "applied", amended
    stored = session.exec(select(InspectionSubmission).where(InspectionSubmission.device_content_hash == claimed)).one()
    assert "sha256:" + stored.sha256 == claimed and str(stored.inspection_id) != iid
    assert stored.content == document_v2(replica, iid)
    assert {f["item_id"]: f["value"] for f in stored.content["findings"]}["ga.est.01"] == "[1,2.5]"
