"""Complaints over HTTP: recording, scope, confidentiality of the complaint and its source (C81 Art. 15(c)),
the audit trail, and bad input refused with nothing written."""

from datetime import date, timedelta

from sqlmodel import col, select

from backend.audit.models import AuditEvent
from backend.db import uuid7


def body(establishment, **extra):
    return {
        "establishment_id": str(establishment.id),
        "summary": "Wages unpaid for two months",
        "received_on": "2026-11-20",
        "channel": "phone",
        "complainant": {"name": "Worker W., line 3", "phone": "138-0000-0000"},
    } | extra


def audit_events(session, action, subject_id=None):
    stmt = select(AuditEvent).where(AuditEvent.action == action)
    if subject_id is not None:
        stmt = stmt.where(AuditEvent.subject_id == str(subject_id))
    return list(session.exec(stmt.order_by(col(AuditEvent.seq))).all())


def test_record_and_read_a_confidential_complaint(as_, inspector, supervisor, admin, world, session):
    r = as_(inspector).post("/complaints", json=body(world.factory))
    assert r.status_code == 201, r.text
    complaint = r.json()
    assert complaint["confidential"] is True and complaint["status"] == "received"
    assert complaint["district_id"] == str(world.district.id) and complaint["created_by"] == str(inspector.id)
    cid = complaint["id"]
    for reader in (inspector, supervisor, admin):
        got = as_(reader).get(f"/complaints/{cid}")
        assert got.status_code == 200 and got.json()["anonymous"] is False, reader.email
        assert "Worker W." not in got.text and "138-0000" not in got.text
    for outsider in (world.second_inspector, world.other_district_inspector):
        got = as_(outsider).get(f"/complaints/{cid}")
        assert got.status_code == 404 and got.json()["code"] == "complaint.not_found"
        assert as_(outsider).get("/complaints").json()["total"] == 0
    assert [c["id"] for c in as_(supervisor).get("/complaints").json()["items"]] == [cid]
    (event,) = audit_events(session, "complaint.create", cid)
    assert event.actor_id == inspector.id and event.details["after"]["summary"] == "Wages unpaid for two months"
    assert "complainant_token" not in event.details["after"] and event.details["after"]["anonymous"] is False
    assert "138-0000" not in str(event.details)


def test_an_open_complaint_is_read_by_the_districts_staff_only(as_, inspector, world):
    r = as_(inspector).post("/complaints", json=body(world.factory, confidential=False))
    cid = r.json()["id"]
    assert as_(world.second_inspector).get(f"/complaints/{cid}").status_code == 200
    assert as_(world.second_inspector).get("/complaints").json()["total"] == 1
    assert as_(world.other_district_inspector).get(f"/complaints/{cid}").status_code == 404


def test_a_complaint_about_an_establishment_outside_the_area_is_refused(as_, inspector, world, session):
    r = as_(inspector).post("/complaints", json=body(world.other_factory))
    assert r.status_code == 404 and r.json()["code"] == "establishment.not_found"
    assert as_(inspector).get("/complaints").json()["total"] == 0 and audit_events(session, "complaint.create") == []


def test_bad_input_is_a_problem_and_nothing_is_written(as_, inspector, world, session):
    api = as_(inspector)
    future = (date.today() + timedelta(days=5)).isoformat()
    cases = [
        (body(world.factory, received_on=future), "complaint.received_in_future"),
        (body(world.factory, summary="   "), "request.invalid"),
        (body(world.factory, channel="pigeon"), "request.invalid"),
        (body(world.factory, complainant="x"), "request.invalid"),
        ({"summary": "no establishment", "received_on": "2026-11-20"}, "request.invalid"),
    ]
    for payload, code in cases:
        r = api.post("/complaints", json=payload)
        assert r.status_code == 422 and r.json()["code"] == code, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
    assert api.get("/complaints").json()["total"] == 0 and audit_events(session, "complaint.create") == []


def test_client_ids_are_used_once_and_lists_page(as_, inspector, world):
    api = as_(inspector)
    cid = str(uuid7())
    assert api.post("/complaints", json=body(world.factory, id=cid)).json()["id"] == cid
    again = api.post("/complaints", json=body(world.factory, id=cid))
    assert again.status_code == 409 and again.json()["code"] == "complaint.id_taken"
    for day in ("2026-11-21", "2026-11-22"):
        api.post("/complaints", json=body(world.building_site, received_on=day))
    page = api.get("/complaints", params={"limit": 2, "offset": 0}).json()
    assert page["total"] == 3 and [c["received_on"] for c in page["items"]] == ["2026-11-22", "2026-11-21"]
    rest = api.get("/complaints", params={"limit": 2, "offset": 2}).json()
    assert [c["id"] for c in rest["items"]] == [cid]
    only = api.get("/complaints", params={"establishment_id": str(world.building_site.id)}).json()
    assert only["total"] == 2
