"""A complaint from intake to reply (triage, assignment, the inspection it triggers, outcome, reply), the reveal of
its complainant only with a grant and always audited, and the confidentiality search: a planted name and phone
number are in no serialised output — API answers, devices' pulls, the audit table, the statistical export, any
row of the database — on SQLite and PostgreSQL (C81 Art. 15(c))."""

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import SQLModel, col, select

import backend.models  # noqa: F401
from backend.audit.models import AuditEvent
from backend.complaints import identity
from backend.complaints import service as complaints
from backend.complaints.models import Complaint
from tests.backend.devices import Dev

NAME = "Plantedname Qiu"
PHONE = "13912345678"
TODAY = date.today()


def intake(api, world, **extra):
    body = {
        "establishment_id": str(world.factory.id),
        "summary": "Overtime unpaid since September; exits locked at night",
        "matters": ["wages", "working-time"],
        "received_on": TODAY.isoformat(),
        "channel": "phone",
        "complainant": {"name": NAME, "phone": PHONE},
    } | extra
    r = api.post("/complaints", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def grep(haystack: Any) -> list[str]:
    blob = haystack if isinstance(haystack, str) else json.dumps(haystack, ensure_ascii=False, default=str)
    return [s for s in (NAME, PHONE, "Plantedname", "12345678") if s in blob]


def test_from_intake_to_reply_nothing_reveals_the_complainant(as_, inspector, supervisor, admin, world, session):
    desk, handler, chief = as_(supervisor), as_(inspector), as_(admin)
    answers: list[Any] = []

    def said(r, status=200):
        assert r.status_code == status, r.text
        answers.append(r.text)
        return r.json()

    sup_dev, insp_dev = Dev(as_, supervisor), Dev(as_, inspector)
    complaint = intake(desk, world)
    answers.append(json.dumps(complaint))
    cid = complaint["id"]
    assert complaint["anonymous"] is False and complaint["status"] == "received"
    due = (TODAY + timedelta(days=14)).isoformat()
    t = said(desk.post(f"/complaints/{cid}/triage", json={"priority": "high", "due_on": due}))
    assert t["status"] == "triaged" and t["priority"] == "high" and t["due_on"] == due
    a = said(desk.post(f"/complaints/{cid}/assign", json={"assignee_id": str(inspector.id)}))
    assert a["status"] == "assigned" and a["assigned_to"] == str(inspector.id)
    insp = said(desk.post(f"/complaints/{cid}/inspection", json={}), 201)
    assert insp["type"] == "complaint" and insp["lead_inspector_id"] == str(inspector.id)
    assert sorted(c["key"] for c in insp["checklists"]) == ["wages", "working-time"]
    # The assignee reads the complaint (assigned to her) and finds the inspection on her tablet.
    said(handler.get(f"/complaints/{cid}"))
    pulled = insp_dev.pull_all()
    assert insp["id"] in pulled["inspection"]
    # Nothing the inspection carries names the complaint: not its id, not its text.
    for text_ in (said(handler.get(f"/inspections/{insp['id']}")), pulled["inspection"][insp["id"]]):
        blob = json.dumps(text_)
        assert cid not in blob and "Overtime unpaid" not in blob
    o = said(handler.post(f"/complaints/{cid}/outcome", json={"outcome": "upheld", "note": "overtime unpaid"}))
    assert o["status"] == "concluded" and o["outcome"] == "upheld"
    # The reply needs the contact: a grant, then the audited reveal.
    refused = desk.post(f"/complaints/{cid}/complainant/reveal", json={"reason": "to send the reply"})
    assert refused.status_code == 403 and refused.json()["code"] == "complaint.reveal_forbidden"
    g = said(chief.post("/complaints/reveal-grants", json={"user_id": str(supervisor.id)}), 201)
    revealed = desk.post(f"/complaints/{cid}/complainant/reveal", json={"reason": "to send the reply"})
    assert revealed.status_code == 200 and revealed.json()["name"] == NAME and revealed.json()["phone"] == PHONE
    r = said(desk.post(f"/complaints/{cid}/reply", json={"sent_on": TODAY.isoformat(), "channel": "phone"}))
    assert r["status"] == "closed" and r["reply_sent_on"] == TODAY.isoformat()
    said(chief.post(f"/complaints/reveal-grants/{g['id']}/revoke"))
    again = desk.post(f"/complaints/{cid}/complainant/reveal", json={"reason": "once more"})
    assert again.status_code == 403
    stats = said(desk.get("/complaints/statistical"))
    assert stats[0]["id"] == cid and stats[0]["inspected"] is True and stats[0]["replied"] is True
    assert "summary" not in stats[0] and "outcome_note" not in stats[0]
    said(desk.get("/complaints"))
    said(handler.get("/complaints"))
    said(chief.get("/audit/events", params={"limit": 500}))

    # The search: every answer but the reveal, both devices' pulls, the audit table, every database row.
    assert grep(answers) == []
    assert grep(sup_dev.pull_all()) == [] and grep(insp_dev.pull_all()) == []
    events = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))).all()
    assert grep([e.model_dump() for e in events]) == []
    (reveal,) = [e for e in events if e.action == "complainant.reveal"]
    assert reveal.actor_id == supervisor.id and reveal.details == {"reason": "to send the reply"}
    for table in SQLModel.metadata.sorted_tables:
        rows = session.connection().execute(text(f"SELECT * FROM {table.name}")).all()
        assert grep([list(map(str, row)) for row in rows]) == [], table.name
    stored = session.exec(select(Complaint)).one()
    assert stored.complainant_token and identity.unseal(stored.complainant_token).name == NAME


def test_an_anonymous_complaint_closes_at_its_outcome_and_has_no_one_to_reveal(as_, supervisor, admin, world):
    desk = as_(supervisor)
    c = intake(desk, world, complainant=None)
    assert c["anonymous"] is True
    as_(admin).post("/complaints/reveal-grants", json={"user_id": str(supervisor.id)})
    r = desk.post(f"/complaints/{c['id']}/complainant/reveal", json={"reason": "curious"})
    assert r.status_code == 409 and r.json()["code"] == "complaint.anonymous"
    desk.post(f"/complaints/{c['id']}/triage", json={"priority": "low", "due_on": TODAY.isoformat()})
    done = desk.post(f"/complaints/{c['id']}/outcome", json={"outcome": "outside_remit"}).json()
    assert done["status"] == "closed"
    reply = desk.post(f"/complaints/{c['id']}/reply", json={"sent_on": TODAY.isoformat(), "channel": "letter"})
    assert reply.status_code == 409 and reply.json()["code"] == "complaint.anonymous"


def test_an_unregistered_workplace_is_found_before_its_inspection(as_, supervisor, inspector, world):
    desk = as_(supervisor)
    c = intake(desk, world, establishment_id=None, district_id=str(world.district.id),
               workplace_name="Back-street workshop", workplace_address="behind the market")  # fmt: skip
    assert c["establishment_id"] is None and c["district_id"] == str(world.district.id)
    cid = c["id"]
    desk.post(f"/complaints/{cid}/triage", json={"priority": "urgent", "due_on": TODAY.isoformat()})
    desk.post(f"/complaints/{cid}/assign", json={"assignee_id": str(inspector.id)})
    r = desk.post(f"/complaints/{cid}/inspection", json={})
    assert r.status_code == 422 and r.json()["code"] == "complaint.establishment_required"
    found = {"priority": "urgent", "due_on": TODAY.isoformat(), "establishment_id": str(world.building_site.id)}
    assert desk.post(f"/complaints/{cid}/triage", json=found).json()["establishment_id"] == str(world.building_site.id)
    assert desk.post(f"/complaints/{cid}/inspection", json={}).status_code == 201


def test_who_may_do_what_and_bad_steps(as_, inspector, supervisor, world):
    desk, field = as_(supervisor), as_(inspector)
    c = intake(field, world)
    cid = c["id"]
    r = field.post(f"/complaints/{cid}/triage", json={"priority": "high", "due_on": TODAY.isoformat()})
    assert r.status_code == 403 and r.json()["code"] == "complaint.supervisor_only"
    r = desk.post(f"/complaints/{cid}/assign", json={"assignee_id": str(inspector.id)})
    assert r.status_code == 409 and r.json()["code"] == "complaint.invalid_transition"
    r = desk.post(f"/complaints/{cid}/triage", json={"priority": "high", "due_on": "2000-01-01"})
    assert r.status_code == 422 and r.json()["code"] == "complaint.due_before_received"
    desk.post(f"/complaints/{cid}/triage", json={"priority": "high", "due_on": TODAY.isoformat()})
    r = desk.post(f"/complaints/{cid}/assign", json={"assignee_id": str(world.other_district_inspector.id)})
    assert r.status_code == 422 and r.json()["code"] == "complaint.assignee_invalid"
    r = desk.post("/complaints", json={"establishment_id": str(world.factory.id), "summary": "x",
                                      "received_on": TODAY.isoformat(), "matters": ["no-such-area"]})  # fmt: skip
    assert r.status_code == 422 and r.json()["code"] == "complaint.unknown_matter"
    r = desk.post("/complaints", json={"summary": "x", "received_on": TODAY.isoformat()})
    assert r.status_code == 422 and r.json()["code"] == "request.invalid"


def test_key_rotation_reencrypts_every_identity(as_, supervisor, world, session):
    old, new = identity.new_key(), identity.new_key()
    row = session.get(Complaint, __import__("uuid").UUID(intake(as_(supervisor), world)["id"]))
    assert row is not None and row.complainant_token
    row.complainant_token = identity.seal(identity.Complainant(name=NAME, phone=PHONE), old)
    session.add(row)
    session.flush()
    assert complaints.unreadable_identities(session, new) == 1  # the new key alone does not open it yet
    assert complaints.rotate_keys(session, f"{new},{old}") == 1
    assert complaints.unreadable_identities(session, new) == 0
    session.refresh(row)
    assert row.complainant_token is not None
    assert identity.unseal(row.complainant_token, new).phone == PHONE  # the old key can be removed now
    try:
        identity.unseal(row.complainant_token, old)
        raise AssertionError("the old key still opens the identity")
    except identity.IdentityUnreadable:
        pass
    (event,) = session.exec(select(AuditEvent).where(AuditEvent.action == "complainant.rotate_keys")).all()
    assert event.details == {"rotated": 1}
