"""Enforcement actions over HTTP: recorded by the team (also after submission, while the record stays sealed),
deadlines from the visit date, an establishment's open orders, closing, scope, audit, and bad input."""

from sqlmodel import col, select

from backend.audit.models import AuditEvent
from tests.backend.test_inspections import CHECKLIST, start, submitted


def audit_actions(session, subject_id):
    stmt = select(AuditEvent.action).where(AuditEvent.subject_id == str(subject_id))
    return list(session.exec(stmt.order_by(col(AuditEvent.seq))).all())


def test_an_order_after_submission_is_recorded_and_the_record_stays_sealed(as_, inspector, world, checklist, session):
    api = as_(inspector)
    insp = submitted(api, world, checklist)
    r = api.post(f"/inspections/{insp['id']}/actions",
                 json={"measure": "order_to_rectify", "item_id": "ga.est.01", "deadline_days": 14,
                       "text": "Keep the wage register on site"})  # fmt: skip
    assert r.status_code == 201, r.text
    action = r.json()
    assert action["status"] == "open" and action["deadline"] == "2026-11-16"  # 14 days after the 2 Nov visit
    assert action["establishment_id"] == str(world.factory.id) and action["created_by"] == str(inspector.id)
    assert action["overdue"] is True  # derived: open and past its deadline
    assert audit_actions(session, action["id"]) == ["action.record"]
    item = checklist["definition"]["sections"][0]["items"][0]
    locked = api.put(f"/inspections/{insp['id']}/findings",
                     json={"checklist_key": CHECKLIST, "item_id": item["id"], "status": "non_compliant"})  # fmt: skip
    assert locked.status_code == 409 and locked.json()["code"] == "inspection.locked"
    detail = api.get(f"/inspections/{insp['id']}").json()
    assert detail["status"] == "submitted" and detail["content_sha256"] == insp["content_sha256"]
    assert [a["id"] for a in api.get(f"/inspections/{insp['id']}/actions").json()] == [action["id"]]


def test_open_orders_of_an_establishment_and_closing(as_, inspector, supervisor, world, checklist, session):
    api = as_(inspector)
    insp = start(api, world.factory, checklist, team=[str(world.second_inspector.id)])
    url = f"/inspections/{insp['id']}/actions"
    advice = api.post(url, json={"measure": "advice", "text": "Post the OSH policy"}).json()
    order = api.post(url, json={"measure": "stop_work", "deadline_days": 0}).json()
    assert advice["deadline"] is None and order["deadline"] == "2026-11-02"
    orders = f"/establishments/{world.factory.id}/orders"
    held = as_(world.second_inspector).get(orders, params={"open": True}).json()
    assert {a["id"] for a in held} == {advice["id"], order["id"]}
    # Only the lead inspector or a supervisor closes; a team member does not.
    close = f"/actions/{order['id']}/close"
    denied = as_(world.second_inspector).post(close, json={"status": "complied", "note": "fixed"})
    assert denied.status_code == 403 and denied.json()["code"] == "action.close_forbidden"
    done = as_(supervisor).post(close, json={"status": "complied", "note": "Guard rails fitted, seen 20 Nov"})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "complied" and done.json()["closed_by"] == str(supervisor.id)
    assert done.json()["overdue"] is False
    again = api.post(close, json={"status": "withdrawn", "note": "x"})
    assert again.status_code == 409 and again.json()["code"] == "action.closed" and again.json()["status"] == "complied"
    assert [a["id"] for a in api.get(orders, params={"open": True}).json()] == [advice["id"]]
    assert len(api.get(orders).json()) == 2
    assert audit_actions(session, order["id"]) == ["action.record", "action.close"]
    withdrawn = api.post(f"/actions/{advice['id']}/close", json={"status": "withdrawn", "note": "duplicate"})
    assert withdrawn.json()["status"] == "withdrawn"


def test_scope_and_who_records(as_, inspector, supervisor, admin, world, checklist):
    insp = start(as_(inspector), world.factory, checklist)
    url = f"/inspections/{insp['id']}/actions"
    outsider = as_(world.other_district_inspector)
    r = outsider.post(url, json={"measure": "warning"})
    assert r.status_code == 404 and r.json()["code"] == "inspection.not_found"
    assert outsider.get(url).status_code == 404
    orders = outsider.get(f"/establishments/{world.factory.id}/orders")
    assert orders.status_code == 404 and orders.json()["code"] == "establishment.not_found"
    r = as_(world.second_inspector).post(url, json={"measure": "warning"})  # same district, not on the team
    assert r.status_code == 403 and r.json()["code"] == "inspection.not_team_member"
    by_supervisor = as_(supervisor).post(url, json={"measure": "penalty", "text": "Fine under Art. 12"})
    assert by_supervisor.status_code == 201 and by_supervisor.json()["created_by"] == str(supervisor.id)
    closed = outsider.post(f"/actions/{by_supervisor.json()['id']}/close", json={"status": "complied", "note": "n"})
    assert closed.status_code == 404 and closed.json()["code"] == "action.not_found"
    assert len(as_(admin).get(url).json()) == 1


def test_bad_input_is_a_problem_and_nothing_is_written(as_, inspector, world, checklist, session):
    api = as_(inspector)
    insp = start(api, world.factory, checklist)
    url = f"/inspections/{insp['id']}/actions"
    cases = [
        ({"measure": "prison"}, "request.invalid"),
        ({"measure": "warning", "deadline_days": 400}, "request.invalid"),
        ({"measure": "warning", "deadline_days": -1}, "request.invalid"),
        ({"measure": "warning", "colour": "red"}, "request.invalid"),
        ({"measure": "warning", "item_id": "no.such.item"}, "finding.unknown_item"),
    ]
    for payload, code in cases:
        r = api.post(url, json=payload)
        assert r.status_code == 422 and r.json()["code"] == code, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
    assert api.get(url).json() == []
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "action.record")).all() == []
    action = api.post(url, json={"measure": "warning"}).json()
    bad_close = api.post(f"/actions/{action['id']}/close", json={"status": "open", "note": "x"})
    assert bad_close.status_code == 422 and bad_close.json()["code"] == "request.invalid"
    no_note = api.post(f"/actions/{action['id']}/close", json={"status": "complied"})
    assert no_note.status_code == 422
    assert api.get(url).json()[0]["status"] == "open"
