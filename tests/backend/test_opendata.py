"""Open enforcement data (issue 19): inspections, violations and penalties keyed by inspection number, the newest
version of each visit once, personal data removed (no inspector, complainant, contact or free text; no party that
may be a natural person), never the inspection type; scoped to the caller's area."""

import csv
import io
from typing import Any

import pytest

from backend.auth import service as auth
from backend.auth.models import Role, Sex, UserCreate
from backend.orgs.models import Establishment
from backend.orgs.uscc import check_character
from tests.backend.test_inspection_documents import NON_COMPLIANT, new_company, visit
from tests.backend.world import PASSWORD, uscc

SECRET_NOTE = "张三 13800138000"
SECRET_MEASURE = "联系人李四 13900139000"


@pytest.fixture
def company(session, world) -> Establishment:
    return new_company(session, world)


def table(api, name: str, **params: str) -> list[dict[str, str]]:
    r = api.get(f"/opendata/{name}.csv", params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv") and r.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))


def individual(session, world) -> Establishment:
    first17 = f"92{world.district.code}{5:09d}"
    row = Establishment(name="=王五小吃店", registration_number=first17 + check_character(first17),
                        district_id=world.district.id, isic="5610", workers_total=3)  # fmt: skip
    session.add(row)
    session.flush()
    return row


def test_open_data_is_keyed_by_inspection_number_without_personal_data(
    as_, inspector, supervisor, admin, session, world, checklist, company
):
    api = as_(inspector)
    insp = visit(api, company, checklist, type="complaint")
    item = NON_COMPLIANT[0]
    recorded = next(f for f in api.get(f"/inspections/{insp['id']}").json()["findings"] if f["item_id"] == item)
    body = {"checklist_key": checklist["key"], "item_id": item, "status": "non_compliant", "note": SECRET_NOTE}
    body["workers_women"] = 3
    r = api.put(f"/inspections/{insp['id']}/findings", json=body | {"evidence": recorded["evidence"]})
    assert r.status_code == 200, r.text
    ordered = {"measure": "order_to_rectify", "item_id": item, "deadline_days": 14, "text": SECRET_MEASURE}
    order = api.post(f"/inspections/{insp['id']}/actions", json=ordered)
    penalty = api.post(f"/inspections/{insp['id']}/actions",
                       json={"measure": "penalty", "item_id": NON_COMPLIANT[1], "penalty_minor": 200050,
                             "currency": "CNY", "penalty_article": "《中华人民共和国劳动合同法实施条例》第三十三条",
                             "decision_number": "河劳监罚〔2026〕1号"})  # fmt: skip
    assert order.status_code == 201 and penalty.status_code == 201, (order.text, penalty.text)
    sub = api.post(f"/inspections/{insp['id']}/submit", json={})
    assert sub.status_code == 200, sub.text
    # An amendment finds the second item compliant after all: the visit is published once, as it now stands.
    amendment = api.post(f"/inspections/{insp['id']}/amendments", json={"reason": "roster found"}).json()
    found = {"checklist_key": checklist["key"], "item_id": NON_COMPLIANT[1], "status": "compliant"}
    r = api.put(f"/inspections/{amendment['id']}/findings", json=found)
    assert r.status_code == 200, r.text
    assert api.post(f"/inspections/{amendment['id']}/submit", json={}).status_code == 200
    # A further amendment still a draft replaces nothing yet: the submitted amendment stays the one published.
    pending = api.post(f"/inspections/{amendment['id']}/amendments", json={"reason": "second look"})
    assert pending.status_code == 201, pending.text
    small = visit(api, individual(session, world), checklist)
    assert api.post(f"/inspections/{small['id']}/submit", json={}).status_code == 200
    draft = visit(api, company, checklist)  # never submitted: not published

    reader = as_(supervisor)
    inspections = table(reader, "inspections")
    mine = {r["inspection_number"]: r for r in inspections}
    assert insp["id"] in mine and amendment["id"] not in mine and draft["id"] not in mine
    assert pending.json()["id"] not in mine
    row = mine[insp["id"]]
    assert row["establishment_name"] == "河畔制衣有限公司" and row["registration_number"] == uscc(77)
    assert row["items_non_compliant"] == "1" and row["violations_active"] == "1" and row["revision"] == "1"
    assert row["district_code"] == world.district.code and row["visit_date"] == "2026-11-02"
    assert int(row["items_checked"]) == len(checklist["definition"]["sections"][0]["items"]) + sum(
        len(s["items"]) for s in checklist["definition"]["sections"][1:]
    )
    withheld = mine[small["id"]]
    assert withheld["establishment_name"] == "" and withheld["registration_number"] == ""  # an individual business

    violations = [v for v in table(reader, "violations") if v["inspection_number"] == insp["id"]]
    by_item = {v["item_id"]: v for v in violations}
    assert by_item[item]["status"] == "active" and by_item[NON_COMPLIANT[1]]["status"] == "superseded"
    assert by_item[item]["provisions_zh"].startswith("《") and "Art." in by_item[item]["provisions_en"]
    assert by_item[item]["measures"] == "order_to_rectify" and by_item[item]["workers_women"] == "3"

    def penalties():
        return [p for p in table(reader, "penalties") if p["inspection_number"] == insp["id"]]

    assert penalties() == []  # a decision is published once disclosed (Administrative Penalty Law Art. 48)
    disclosed = reader.post(f"/actions/{penalty.json()['id']}/disclosure")
    assert disclosed.status_code == 201, disclosed.text
    penalties = penalties()
    assert [(p["amount"], p["currency"], p["decision_number"], p["status"]) for p in penalties] == [
        ("2000.50", "CNY", "河劳监罚〔2026〕1号", "open")
    ]
    assert penalties[0]["action_id"] == penalty.json()["id"]

    everything = "".join(reader.get(f"/opendata/{t}.csv").text for t in ("inspections", "violations", "penalties"))
    for secret in (SECRET_NOTE, SECRET_MEASURE, "无书面劳动合同", "王五", "Inspector", "Second", "inspector@",
                   "complaint", "投诉", "type"):  # fmt: skip
        assert secret not in everything, secret
    assert as_(admin).get("/opendata/inspections.csv").status_code == 200


def test_open_data_is_scoped_and_refused_to_inspectors(as_, inspector, session, world, checklist, company):
    api = as_(inspector)
    insp = visit(api, company, checklist)
    assert api.post(f"/inspections/{insp['id']}/submit", json={}).status_code == 200
    r = api.get("/opendata/inspections.csv")
    assert r.status_code == 403 and r.json()["code"] == "auth.role_required"
    far: Any = auth.create_user(
        session,
        UserCreate(email="far.stat@test.example", name="Far", sex=Sex.male, role=Role.statistician,
                   password=PASSWORD, org_unit_ids=[world.other_province.id]),
        actor_id=None,
    )  # fmt: skip
    assert all(r["inspection_number"] != insp["id"] for r in table(as_(far), "inspections"))
    assert as_(far).get("/opendata/inspections.csv?since=2026-01-01&until=2026-12-31").status_code == 200
    bad = as_(far).get("/opendata/accidents.csv")
    assert bad.status_code == 422 and bad.json()["code"] == "request.invalid"
