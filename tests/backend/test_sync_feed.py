"""Changes made outside device sync reach the devices that hold them: inspections assigned over REST, a
supervisor's return for correction or approval, establishments of the district with their inspection history,
and published checklists — each at a new global version, so a device pulling from its cursor sees them."""

import hashlib
import uuid

from backend import changes
from backend.db import uuid7
from backend.device_sync import feed
from backend.inspections import service as inspections_service
from backend.inspections.models import Inspection
from backend.inspections.workflow import Status
from sync.hashing import build_content, content_hash, inspection_content
from tests.backend.test_device_sync import CHECKLIST, Dev, answer, create, items, upload
from tests.images import jpeg


def cursor_of(dev: Dev) -> int:
    cursor, more = 0, True
    while more:
        page = dev.pull(cursor).json()
        cursor, more = page["cursor"], page["more"]
    return cursor


def changes_after(dev: Dev, cursor: int) -> list[dict]:
    page = dev.pull(cursor).json()
    assert not page["more"]
    return page["changes"]


def submit_all(dev: Dev, iid: str, checklist: dict, header: dict) -> dict:
    """Answer every item, attach one verified photo and submit with the device's content hash."""
    fields = {}
    for item in items(checklist):
        fields[item["id"]] = answer(item)
        dev.send("finding.record", inspection_id=iid, item_id=item["id"], base_version=0, fields=fields[item["id"]])
    photo = jpeg(600)
    sha = hashlib.sha256(photo).hexdigest()
    dev.send("photo.attach", photo_id=str(uuid7()), inspection_id=iid, item_id="ga.est.01", sha256=sha,
             bytes=len(photo), mime="image/jpeg")  # fmt: skip
    upload(dev.api, photo)
    claimed = content_hash(build_content(iid, f"{CHECKLIST}@{checklist['version']}", header, fields, {}, [sha]))
    return dev.send("inspection.submit", inspection_id=iid, content_hash=claimed)


def test_an_inspection_assigned_over_rest_reaches_the_lead_device(lead, world, checklist, as_, supervisor):
    start = cursor_of(lead)
    body = {"establishment_id": str(world.factory.id), "type": "follow_up", "lead_inspector_id": lead.user_id,
            "checklists": [{"key": CHECKLIST, "version": checklist["version"]}],
            "started_at": "2026-11-30T08:00:00+00:00"}  # fmt: skip
    r = as_(supervisor).post("/inspections", json=body)
    assert r.status_code == 201, r.text
    iid = r.json()["id"]
    new = [c for c in changes_after(lead, start) if c["entity"] == "inspection"]
    assert [c["id"] for c in new] == [iid]
    row = new[0]["data"]
    assert (row["status"], row["type"], row["lead"], row["checklist"]) == (
        "draft", "follow_up", lead.user_id, f"{CHECKLIST}@{checklist['version']}",
    )  # fmt: skip
    assert row["header"] == {"visit_date": "2026-11-30"}
    # The assigned inspection is worked on from the device like one it created.
    done = lead.send("finding.record", inspection_id=iid, item_id="ga.est.01", base_version=new[0]["version"],
                     fields={"status": "compliant"})  # fmt: skip
    assert done["outcome"] == "applied", done


def test_return_for_correction_reopens_the_record_on_the_device(lead, world, checklist, as_, supervisor):
    header = {"visit_date": "2026-11-02", "location": "Gate 2"}
    iid = create(lead, world, checklist, **header)
    assert submit_all(lead, iid, checklist, header)["outcome"] == "applied"
    start = cursor_of(lead)
    returned = as_(supervisor).post(f"/inspections/{iid}/review",
                                    json={"decision": "return", "comment": "Photograph the fire exits"})  # fmt: skip
    assert returned.status_code == 200, returned.text
    row = next(c["data"] for c in changes_after(lead, start) if c["entity"] == "inspection" and c["id"] == iid)
    assert row["status"] == "draft"
    assert row["review"]["decision"] == "return" and row["review"]["comment"] == "Photograph the fire exits"
    # Corrected on the device and submitted again: a second revision.
    fixed = lead.send("finding.note", note_id=str(uuid7()), inspection_id=iid, item_id="ga.est.01",
                      text="fire exits photographed")  # fmt: skip
    assert fixed["outcome"] == "applied", fixed
    tables = lead.pull_all()
    again = lead.send(
        "inspection.submit", inspection_id=iid, content_hash=content_hash(inspection_content(tables, iid))
    )
    assert again["outcome"] == "applied", again
    detail = as_(supervisor).get(f"/inspections/{iid}").json()
    assert detail["status"] == "submitted" and detail["revision"] == 2
    approved = as_(supervisor).post(f"/inspections/{iid}/review", json={"decision": "approve"})
    assert approved.status_code == 200, approved.text
    final = lead.pull_all()["inspection"][iid]
    assert final["status"] == "submitted" and final["review"]["decision"] == "approve"
    assert final["review"]["revision"] == 2


def test_establishments_of_the_district_and_their_history_reach_its_devices(
    lead, world, checklist, as_, inspector, other_district_inspector
):
    outsider = Dev(as_, other_district_inspector)
    mine, theirs = cursor_of(lead), cursor_of(outsider)
    r = as_(inspector).patch(f"/establishments/{world.factory.id}", json={"workers_total": 321})
    assert r.status_code == 200, r.text
    changed = [c for c in changes_after(lead, mine) if c["entity"] == "establishment"]
    assert [(c["id"], c["data"]["workers_total"]) for c in changed] == [(str(world.factory.id), 321)]
    assert [c for c in changes_after(outsider, theirs) if c["entity"] == "establishment"] == []
    mine = cursor_of(lead)
    attributes = {"uses_hazardous_chemicals": True, "has_underground_work": True, "union_members": 30}
    assert as_(inspector).patch(f"/establishments/{world.factory.id}", json=attributes).status_code == 200
    pulled = [c["data"] for c in changes_after(lead, mine) if c["entity"] == "establishment"]
    assert [{k: d[k] for k in attributes} for d in pulled] == [attributes]

    header = {"visit_date": "2026-11-02"}
    iid = create(lead, world, checklist, **header)
    assert submit_all(lead, iid, checklist, header)["outcome"] == "applied"
    history = lead.pull_all()["establishment"][str(world.factory.id)]["history"]
    assert [(h["inspection_id"], h["status"], h["visited_on"]) for h in history] == [(iid, "submitted", "2026-11-02")]


def test_unchanged_reference_data_is_not_sent_again(lead, world, checklist, as_, inspector):
    start = cursor_of(lead)
    r = as_(inspector).patch(f"/establishments/{world.factory.id}", json={"workers_total": world.factory.workers_total})
    assert r.status_code == 200
    assert changes_after(lead, start) == []


def test_every_device_holds_the_published_checklists(lead, checklist, as_, world):
    published = {f"{c['key']}@{c['version']}" for c in as_(world.admin).get("/checklists").json()}
    held = lead.pull_all()["checklist"]
    assert set(held) == published
    definition = held[f"{CHECKLIST}@{checklist['version']}"]["definition"]
    assert definition == checklist["definition"]  # the same served form as REST: citations and offered measure
    assert all("citations" in i and "offered_measure" in i for s in definition["sections"] for i in s["items"])


def test_a_team_change_reaches_the_rows_and_rights_of_devices(lead, second, world, checklist, as_, inspector):
    iid = create(lead, world, checklist)
    lead.send("finding.record", inspection_id=iid, item_id="ga.est.01", base_version=0, fields={"status": "compliant"})
    start = cursor_of(second)
    refused = second.send("finding.note", note_id=str(uuid7()), inspection_id=iid, item_id="ga.est.01", text="x")
    assert refused["reason"] == "forbidden"
    r = as_(inspector).patch(f"/inspections/{iid}", json={"team": [second.user_id]})
    assert r.status_code == 200, r.text
    # The new member's device gets the whole record from its own cursor, not only what changes from now on.
    got = {(c["entity"], c["id"]) for c in changes_after(second, start)}
    assert ("inspection", iid) in got and ("finding", f"{iid}/ga.est.01") in got
    joined = second.send("finding.note", note_id=str(uuid7()), inspection_id=iid, item_id="ga.est.01", text="seen")
    assert joined["outcome"] == "applied", joined
    before = cursor_of(second)
    as_(inspector).patch(f"/inspections/{iid}", json={"team": []})
    revoked = [(c["op"], c["entity"], c["id"]) for c in changes_after(second, before)]
    assert revoked == [("delete", "inspection", iid)]  # the removed member's devices drop the record
    assert iid not in second.pull_all().get("inspection", {})
    assert not [c for c in changes_after(lead, before) if c["op"] == "delete"]  # nobody else's
    left = second.send("finding.note", note_id=str(uuid7()), inspection_id=iid, item_id="ga.est.01", text="late")
    assert left["outcome"] == "rejected" and left["reason"] == "forbidden"


def test_a_finding_recorded_over_rest_reaches_the_device_and_a_stale_device_edit_conflicts(
    lead, world, checklist, as_, inspector
):
    iid = create(lead, world, checklist)
    first = lead.send("finding.record", inspection_id=iid, item_id="ga.est.01", base_version=0,
                      fields={"status": "compliant"})  # fmt: skip
    body = {"checklist_key": CHECKLIST, "item_id": "ga.est.01", "status": "non_compliant", "note": "seen at desk",
            "workers_men": 2}  # fmt: skip
    r = as_(inspector).put(f"/inspections/{iid}/findings", json=body)
    assert r.status_code in (200, 201), r.text
    row = lead.pull_all()["finding"][f"{iid}/ga.est.01"]
    assert row["fields"]["status"] == "non_compliant" and row["fields"]["remark"] == "seen at desk"
    assert row["fields"]["workers_affected"] == {"men": 2, "women": 0, "under_18": 0}
    stale = lead.send("finding.record", inspection_id=iid, item_id="ga.est.01", base_version=first["server_version"],
                      fields={"status": "not_applicable"})  # fmt: skip
    assert stale["outcome"] == "conflict", stale  # the desk's answer is not silently overwritten


def test_only_a_recorded_change_event_is_projected(lead, world, checklist, session):
    # Recording a finding bumps the inspection's version and update time (``inspections.touch``): no pulled row
    # shows either, and no change event is recorded (a push records hundreds of findings). A domain service that
    # changes what devices hold records ``InspectionChanged``; the projection writes that row at commit.
    iid = create(lead, world, checklist)
    cursor = cursor_of(lead)
    inspection = session.get(Inspection, uuid.UUID(iid))
    inspections_service.touch(inspection)
    session.flush()
    assert changes.changes_of(session).events == {}
    feed.publish(session)
    assert changes_after(lead, cursor) == []
    inspection.status = Status.submitted
    changes.record(session, changes.InspectionChanged(inspection.id))
    feed.publish(session)
    (change,) = changes_after(lead, cursor)
    assert change["entity"] == "inspection" and change["id"] == iid and change["data"]["status"] == "submitted"


def test_published_checklists_are_served_again_when_the_inspectorates_powers_change(
    lead, world, as_, session, monkeypatch
):
    """What the server adds to a definition (the measure offered) follows ``LI_INSPECTORATE_AUTHORITIES``: the next
    start-up's publishing rewrites the devices' rows that differ, and only those."""
    from backend.checklists import service as checklists
    from backend.config import settings

    key = "osh-management"
    before = lead.pull_all()["checklist"]
    (name,) = [n for n in before if n.startswith(f"{key}@") and n.endswith(f"@{max_version(before, key)}")]
    checklists.publish_dir(session, settings.checklists_dir, actor_id=None)
    feed.publish(session)
    cursor = cursor_of(lead)
    checklists.publish_dir(session, settings.checklists_dir, actor_id=None)
    feed.publish(session)
    assert changes_after(lead, cursor) == []  # nothing changed: nothing is sent again
    monkeypatch.setattr(settings, "inspectorate_authorities", "labour_inspection,work_safety")
    checklists.publish_dir(session, settings.checklists_dir, actor_id=None)
    feed.publish(session)
    after = lead.pull_all()["checklist"]
    offered = [i["offered_measure"] for s in after[name]["definition"]["sections"] for i in s["items"]]
    assert offered != [i["offered_measure"] for s in before[name]["definition"]["sections"] for i in s["items"]]
    rest = as_(world.admin).get(f"/checklists/{name.replace('@', '/')}").json()["definition"]
    assert after[name]["definition"] == rest  # the tablet offers what the desk offers


def max_version(rows, key):
    return max(int(n.split("@")[1]) for n in rows if n.startswith(f"{key}@"))
