"""What the inspector records on site beyond answers, carried by sync: the inspection type, workers affected
per item, worker interviews (counts and an anonymous note), and a photo's downscaled preview."""

import pytest

from backend.db import uuid7
from tests.backend.test_device_sync import CHECKLIST, Dev, create, upload
from tests.images import jpeg


def test_inspection_type_reaches_the_domain_and_the_pull(lead, world, checklist, as_, inspector):
    iid = str(uuid7())
    result = lead.send(
        "inspection.create", inspection_id=iid, establishment_id=str(world.factory.id),
        checklist=f"{CHECKLIST}@{checklist['version']}", type="complaint", header={"visit_date": "2026-11-02"},
    )  # fmt: skip
    assert result["outcome"] == "applied", result
    assert as_(inspector).get(f"/inspections/{iid}").json()["type"] == "complaint"
    assert lead.pull_all()["inspection"][iid]["type"] == "complaint"


def test_an_unknown_inspection_type_is_refused_and_nothing_is_written(lead, world, checklist, as_, inspector):
    iid = str(uuid7())
    result = lead.send(
        "inspection.create", inspection_id=iid, establishment_id=str(world.factory.id),
        checklist=f"{CHECKLIST}@{checklist['version']}", type="social_visit",
    )  # fmt: skip
    assert result["outcome"] == "rejected" and result["reason"] == "invalid", result
    assert as_(inspector).get(f"/inspections/{iid}").status_code == 404


def test_workers_affected_merge_as_one_field_and_reach_the_finding(lead, world, checklist, as_, inspector):
    iid = create(lead, world, checklist)
    workers = {"men": 7, "women": 4, "under_18": 2}
    result = lead.send("finding.record", inspection_id=iid, item_id="ga.est.01", base_version=0,
                       fields={"status": "non_compliant", "workers_affected": workers})  # fmt: skip
    assert result["outcome"] == "applied", result
    finding = as_(inspector).get(f"/inspections/{iid}").json()["findings"][0]
    assert (finding["workers_men"], finding["workers_women"], finding["workers_under_18"]) == (7, 4, 2)
    pulled = lead.pull_all()["finding"][f"{iid}/ga.est.01"]
    assert pulled["fields"]["workers_affected"] == workers


@pytest.mark.parametrize(
    "workers",
    [
        {"men": -1, "women": 0, "under_18": 0},
        {"men": 1, "women": 0},
        {"men": 1, "women": 0, "under_18": 2},
        {"men": "3", "women": 0, "under_18": 0},
        {"men": True, "women": 0, "under_18": 0},
        [1, 2, 3],
    ],
)
def test_malformed_workers_affected_is_rejected_without_a_trace(lead, world, checklist, as_, inspector, workers):
    iid = create(lead, world, checklist)
    result = lead.send("finding.record", inspection_id=iid, item_id="ga.est.01", base_version=0,
                       fields={"status": "non_compliant", "workers_affected": workers})  # fmt: skip
    assert result["outcome"] == "rejected" and result["reason"] == "invalid", result
    assert as_(inspector).get(f"/inspections/{iid}").json()["findings"] == []
    assert f"{iid}/ga.est.01" not in lead.pull_all().get("finding", {})


def test_interviews_are_recorded_once_anonymously_and_only_on_drafts(lead, world, checklist, as_, inspector):
    iid = create(lead, world, checklist)
    interview = {"interview_id": str(uuid7()), "inspection_id": iid, "men": 3, "women": 2, "under_18": 1,
                 "note": "Overtime unpaid since August, say the loaders."}  # fmt: skip
    mutation = lead.mutation("interview.record", **interview)
    assert lead.push(mutation).json()["results"][0]["outcome"] == "applied"
    assert lead.push(mutation).json()["results"][0]["outcome"] == "duplicate"
    listed = as_(inspector).get(f"/inspections/{iid}/interviews").json()
    assert [(i["men"], i["women"], i["under_18"], i["note"]) for i in listed] == [
        (3, 2, 1, "Overtime unpaid since August, say the loaders.")
    ]
    assert lead.pull_all()["interview"][interview["interview_id"]]["men"] == 3
    trail = as_(world.admin).get("/audit/events", params={"subject_id": iid, "limit": 1000}).json()
    assert [e["details"]["after"]["men"] for e in trail if e["action"] == "interview.record"] == [3]

    nobody = lead.send("interview.record", interview_id=str(uuid7()), inspection_id=iid, men=0, women=0, under_18=0)
    assert nobody["outcome"] == "rejected" and nobody["reason"] == "invalid"
    named = lead.send("interview.record", interview_id=str(uuid7()), inspection_id=iid, men=1, women=0,
                      under_18=0, worker_name="Li Wei")  # fmt: skip
    assert named["outcome"] == "rejected" and named["reason"] == "invalid"
    assert len(as_(inspector).get(f"/inspections/{iid}/interviews").json()) == 1


def test_an_interview_on_another_teams_inspection_is_refused(lead, world, checklist, as_):
    iid = create(lead, world, checklist)
    other = Dev(as_, world.second_inspector)
    result = other.send("interview.record", interview_id=str(uuid7()), inspection_id=iid, men=1, women=1, under_18=0)
    assert result["outcome"] == "rejected" and result["reason"] in {"forbidden", "not_found"}, result


def test_a_photo_carries_its_preview_and_only_the_original_is_evidence(lead, world, checklist, as_, inspector):
    iid = create(lead, world, checklist)
    original = upload(lead.api, jpeg(4400))
    preview = {"sha256": "ab" * 32, "bytes": 4000, "mime": "image/jpeg"}
    photo_id = str(uuid7())
    result = lead.send("photo.attach", photo_id=photo_id, inspection_id=iid, item_id="ga.est.01", sha256=original,
                       bytes=4400, mime="image/jpeg", preview=preview)  # fmt: skip
    assert result["outcome"] == "applied", result
    assert lead.pull_all()["photo"][photo_id]["preview"] == preview
    bad = lead.send("photo.attach", photo_id=str(uuid7()), inspection_id=iid, sha256=original, bytes=4400,
                    mime="image/jpeg", preview={**preview, "mime": "application/pdf"})  # fmt: skip
    assert bad["outcome"] == "rejected" and bad["reason"] == "invalid"
