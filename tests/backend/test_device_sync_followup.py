"""``complaint.create`` and ``action.record`` over /sync/push, and their pull: complaints reach only their
author and supervisors; actions (also after submission) reach the team and the staff of the district."""

from datetime import date, timedelta

from sqlmodel import select

from backend.audit.models import AuditEvent
from backend.db import uuid7
from tests.backend.test_device_sync import Dev, answer, create, items


def audit_count(session, action, subject_id):
    stmt = select(AuditEvent).where(AuditEvent.action == action, AuditEvent.subject_id == str(subject_id))
    return len(session.exec(stmt).all())


def complaint(world, establishment=None, **extra):
    return {
        "complaint_id": str(uuid7()), "establishment_id": str((establishment or world.factory).id),
        "summary": "Night shifts without overtime pay", "received_on": "2026-11-25",
    } | extra  # fmt: skip


def test_a_complaint_is_applied_once_and_pulled_by_its_author_and_supervisors(
    lead, second, world, as_, inspector, supervisor, session
):
    args = complaint(world)
    cid = args["complaint_id"]
    mutation = lead.mutation("complaint.create", **args)
    first = lead.push(mutation).json()["results"][0]
    assert first["outcome"] == "applied", first
    repeat = lead.push(mutation).json()["results"][0]
    assert repeat["outcome"] == "duplicate" and repeat["original"]["server_version"] == first["server_version"]
    assert lead.send("complaint.create", **args)["reason"] == "exists"
    row = as_(inspector).get(f"/complaints/{cid}").json()
    assert row["confidential"] is True and row["created_by"] == str(inspector.id) and row["channel"] == "field"
    assert audit_count(session, "complaint.create", cid) == 1
    pulled = lead.pull_all()["complaint"][cid]
    assert pulled["summary"] == args["summary"] and pulled["author"] == lead.user_id and "source" not in pulled
    assert cid in Dev(as_, supervisor).pull_all()["complaint"]
    assert "complaint" not in second.pull_all()  # same district, not the author: never on their tablet
    assert "complaint" not in Dev(as_, world.other_district_inspector).pull_all()
    assert as_(world.second_inspector).get(f"/complaints/{cid}").status_code == 404


def test_a_complaint_out_of_scope_or_invalid_is_rejected_and_nothing_is_written(lead, world, as_, inspector, session):
    outside = lead.send("complaint.create", **complaint(world, world.other_factory))
    assert outside["outcome"] == "rejected" and outside["reason"] == "not_found"
    future = (date.today() + timedelta(days=10)).isoformat()
    late = lead.send("complaint.create", **complaint(world, received_on=future))
    assert late["reason"] == "invalid" and late["data"]["code"] == "complaint.received_in_future"
    bad_id = lead.send("complaint.create", **complaint(world) | {"establishment_id": "nope"})
    assert bad_id["reason"] == "invalid"
    assert as_(inspector).get("/complaints").json()["total"] == 0
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "complaint.create")).all() == []
    assert "complaint" not in lead.pull_all()


def test_a_tablet_complaint_carries_matters_channel_and_an_unregistered_workplace(
    lead, world, as_, inspector, checklist
):
    """Stored as the desk intake stores them (the same ``ComplaintCreate`` and service): anonymous, the matters
    checked against the published checklists, the workplace to find in the district named."""
    args = {
        "complaint_id": str(uuid7()), "district_id": str(world.district.id), "workplace_name": "Back-street workshop",
        "workplace_address": "Lane 4, behind the market", "workplace_description": "Blue door, second floor",
        "summary": "Children work at the sewing machines", "received_on": "2026-11-25",
        "matters": [checklist["key"], checklist["key"]], "channel": "phone", "confidential": False,
    }  # fmt: skip
    assert lead.send("complaint.create", **args)["outcome"] == "applied"
    row = as_(inspector).get(f"/complaints/{args['complaint_id']}").json()
    assert row["establishment_id"] is None and row["district_id"] == str(world.district.id)
    assert (row["workplace_name"], row["workplace_address"], row["workplace_description"]) == (
        "Back-street workshop", "Lane 4, behind the market", "Blue door, second floor",
    )  # fmt: skip
    assert row["matters"] == [checklist["key"]] and row["channel"] == "phone" and row["confidential"] is False
    assert row["anonymous"] is True and row["status"] == "received"
    desk = as_(inspector).post("/complaints", json={
        "district_id": str(world.district.id), "workplace_name": "Back-street workshop",
        "workplace_address": "Lane 4, behind the market", "workplace_description": "Blue door, second floor",
        "summary": "Children work at the sewing machines", "received_on": "2026-11-25",
        "matters": [checklist["key"]], "channel": "phone", "confidential": False,
    }).json()  # fmt: skip
    same = ("establishment_id", "district_id", "workplace_name", "workplace_address", "workplace_description",
            "matters", "channel", "confidential", "anonymous", "status", "received_on")  # fmt: skip
    assert {k: desk[k] for k in same} == {k: row[k] for k in same}


def test_a_tablet_complaint_is_refused_as_the_desk_refuses_it(lead, world, as_, inspector):
    base = {"summary": "Unsafe scaffolding", "received_on": "2026-11-25"}
    unknown = lead.send("complaint.create", complaint_id=str(uuid7()), establishment_id=str(world.factory.id),
                        matters=["no-such-checklist"], **base)  # fmt: skip
    assert unknown["reason"] == "invalid" and unknown["data"]["code"] == "complaint.unknown_matter"
    no_district = lead.send("complaint.create", complaint_id=str(uuid7()), workplace_name="Yard", **base)
    assert no_district["outcome"] == "rejected" and no_district["reason"] == "invalid"
    far = lead.send("complaint.create", complaint_id=str(uuid7()), workplace_name="Yard",
                    district_id=str(world.far_district.id), **base)  # fmt: skip
    assert far["reason"] == "not_found" and far["data"]["code"] == "org_unit.not_found"
    nowhere = lead.send("complaint.create", complaint_id=str(uuid7()), **base)
    assert nowhere["outcome"] == "rejected" and nowhere["reason"] == "invalid"
    channel = lead.send("complaint.create", **complaint(world, channel="pigeon"))
    assert channel["outcome"] == "rejected" and channel["reason"] == "invalid"
    assert as_(inspector).get("/complaints").json()["total"] == 0


def submitted_by_sync(lead, world, checklist, as_, inspector, team=()):
    iid = create(lead, world, checklist, team=team)
    for item in items(checklist):
        result = lead.send("finding.record", inspection_id=iid, item_id=item["id"], base_version=0,
                           fields=answer(item))  # fmt: skip
        assert result["outcome"] == "applied", result
    r = as_(inspector).post(f"/inspections/{iid}/submit", json={})
    assert r.status_code == 200, r.text
    return iid


def test_an_action_after_submission_is_applied_once_and_reaches_the_district(
    lead, second, world, checklist, as_, inspector, supervisor, session
):
    iid = submitted_by_sync(lead, world, checklist, as_, inspector)
    late = lead.send("finding.record", inspection_id=iid, item_id="ga.est.01", base_version=0,
                     fields={"remark": "late"})  # fmt: skip
    assert late["outcome"] == "rejected" and late["reason"] == "immutable"
    aid = str(uuid7())
    args = {"action_id": aid, "inspection_id": iid, "item_id": "ga.est.01", "measure": "order_to_rectify",
            "deadline_days": 30, "text": "Show the wage register"}  # fmt: skip
    mutation = lead.mutation("action.record", **args)
    first = lead.push(mutation).json()["results"][0]
    assert first["outcome"] == "applied", first
    assert lead.push(mutation).json()["results"][0]["outcome"] == "duplicate"
    assert lead.send("action.record", **args)["reason"] == "exists"
    (action,) = as_(inspector).get(f"/inspections/{iid}/actions").json()
    assert action["id"] == aid and action["deadline"] == "2026-12-02" and action["status"] == "open"
    assert audit_count(session, "action.record", aid) == 1
    assert as_(inspector).get(f"/inspections/{iid}").json()["status"] == "submitted"
    pulled = lead.pull_all()["action"][aid]
    assert pulled["measure"] == "order_to_rectify" and pulled["status"] == "open"
    assert pulled["deadline"] == "2026-12-02" and pulled["establishment_id"] == str(world.factory.id)
    # The district's other inspector (not on the team) holds the establishment's open orders too.
    assert second.pull_all()["action"][aid]["status"] == "open"
    assert "action" not in Dev(as_, world.other_district_inspector).pull_all()
    # Closed over REST: devices see it complied.
    closed = as_(supervisor).post(f"/actions/{aid}/close", json={"status": "complied", "note": "Register shown"})
    assert closed.status_code == 200, closed.text
    assert second.pull_all()["action"][aid]["status"] == "complied"


def test_who_may_record_an_action(lead, second, world, checklist, as_, inspector, supervisor):
    iid = create(lead, world, checklist)
    measure = {"inspection_id": iid, "measure": "warning"}
    assert second.send("action.record", action_id=str(uuid7()), **measure)["reason"] == "forbidden"
    outsider = Dev(as_, world.other_district_inspector)
    assert outsider.send("action.record", action_id=str(uuid7()), **measure)["reason"] == "forbidden"
    unknown = lead.send("action.record", action_id=str(uuid7()), inspection_id=str(uuid7()), measure="warning")
    assert unknown["reason"] == "not_found"
    bad_item = lead.send("action.record", action_id=str(uuid7()), item_id="no.such.item", **measure)
    assert bad_item["reason"] == "invalid" and bad_item["data"]["code"] == "finding.unknown_item"
    by_supervisor = Dev(as_, supervisor).send("action.record", action_id=str(uuid7()), **measure)
    assert by_supervisor["outcome"] == "applied"
    assert [a["created_by"] for a in as_(inspector).get(f"/inspections/{iid}/actions").json()] == [str(supervisor.id)]


def test_an_action_recorded_over_rest_reaches_the_team(lead, world, checklist, as_, inspector):
    iid = create(lead, world, checklist)
    r = as_(inspector).post(f"/inspections/{iid}/actions", json={"measure": "stop_work", "deadline_days": 0})
    assert r.status_code == 201, r.text
    pulled = lead.pull_all()["action"][r.json()["id"]]
    assert pulled["measure"] == "stop_work" and pulled["deadline"] == "2026-11-02" and pulled["author"] == lead.user_id
