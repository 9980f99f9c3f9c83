"""The supervisor's desk over HTTP (issue 16): the review queue (filters, counts, keyset paging), the desk view
of one inspection (team by name, GPS distance and far flag, findings by section with citations, revisions with
their differences), returns with finding comments that reach the device, approval, assignments, staff, the
dashboard and org units; and that an inspector gets nothing beyond their own scope."""

from datetime import date

import pytest

from tests.backend.devices import Dev
from tests.backend.test_inspections import answer_all, start

pytestmark = pytest.mark.usefixtures("world")


def submitted(api, establishment, checklist, status="compliant", **extra):
    inspection = start(api, establishment, checklist, **extra)
    answer_all(api, inspection, checklist, status=status)
    r = api.post(f"/inspections/{inspection['id']}/submit", json={})
    assert r.status_code == 200, r.text
    return inspection["id"]


def first_item(checklist):
    return checklist["definition"]["sections"][0]["items"][0]


def test_queue_oldest_first_with_filters_counts_and_keyset(as_, inspector, supervisor, world, checklist):
    api = as_(inspector)
    a = submitted(api, world.factory, checklist)
    b = submitted(api, world.building_site, checklist, status="non_compliant", type="complaint")
    c = submitted(api, world.factory, checklist)
    sup = as_(supervisor)
    page = sup.get("/review-queue").json()
    ids = [row["id"] for row in page["items"]]
    assert [i for i in ids if i in (a, b, c)] == [a, b, c]
    assert page["total"] >= 3 and sum(d["count"] for d in page["by_district"]) == page["total"]
    row_b = next(r for r in page["items"] if r["id"] == b)
    assert row_b["establishment"] == "Riverside Tower Site" and row_b["team"] == ["Inspector"]
    assert row_b["non_compliances"] > 0 and row_b["district"]["en"] == "Riverside"

    def only(**params):
        r = sup.get("/review-queue", params=params)
        assert r.status_code == 200, r.text
        return {row["id"] for row in r.json()["items"]} & {a, b, c}

    assert only(has_non_compliances="true") == {b}
    assert only(has_non_compliances="false") == {a, c}
    assert only(type="complaint") == {b}
    assert only(establishment="tower") == {b}
    assert only(sector="41") == {b}
    assert only(inspector="inspec") == {a, b, c}
    assert only(inspector="nobody-by-that-name") == set()
    assert only(district_id=str(world.other_district.id)) == set()
    assert only(date_from="2026-11-02", date_to="2026-11-02") == {a, b, c}
    assert only(date_from="2026-11-03") == set()
    severities = {i["severity"] for s in checklist["definition"]["sections"] for i in s["items"]}
    assert only(severity=sorted(severities)[0]) == {b}

    seen, after = [], None
    while True:
        params = {"limit": 1} | ({"after": after} if after else {})
        body = sup.get("/review-queue", params=params).json()
        seen += [r["id"] for r in body["items"]]
        after = body["next"]
        if after is None:
            break
    assert seen == ids
    bad = sup.get("/review-queue", params={"after": "notacursor"})
    assert bad.status_code == 422 and bad.json()["code"] == "desk.bad_cursor"


def test_inspector_gets_nothing_beyond_their_scope(as_, inspector, other_district_inspector, world, checklist):
    iid = submitted(as_(inspector), world.factory, checklist)
    other = as_(other_district_inspector)
    for url in ("/review-queue", "/dashboard", "/assignments", "/staff"):
        r = other.get(url)
        assert r.status_code == 403 and r.json()["code"] == "auth.role_required", url
    r = other.get(f"/inspections/{iid}/desk")
    assert r.status_code == 404 and r.json()["code"] == "inspection.not_found"
    r = other.post(f"/inspections/{iid}/decision", json={"decision": "approve"})
    assert r.status_code == 403
    r = other.post("/org-units", json={"code": "X1", "level": "district", "name_en": "X", "name_zh": "X",
                                        "parent_id": str(world.province.id)})  # fmt: skip
    assert r.status_code == 403
    assert as_(inspector).get(f"/inspections/{iid}/desk").status_code == 200  # their own record


def test_desk_view_gps_far_flag_sections_and_team(as_, inspector, supervisor, world, checklist):
    sup = as_(supervisor)
    r = sup.patch(f"/establishments/{world.factory.id}", json={"latitude": 39.9, "longitude": 116.4})
    assert r.status_code == 200, r.text
    near = submitted(as_(inspector), world.factory, checklist, team=[str(world.second_inspector.id)])
    far = submitted(
        as_(inspector), world.factory, checklist, gps={"latitude": 39.95, "longitude": 116.4, "accuracy_m": 20}
    )
    view = sup.get(f"/inspections/{near}/desk").json()
    assert view["gps"]["distance_m"] == 0 and view["gps"]["far"] is False
    assert [(m["name"], m["lead"]) for m in view["team"]] == [("Inspector", True), ("Second", False)]
    assert view["establishment"]["name"] == world.factory.name and view["district"]["en"] == "Riverside"
    item = view["sections"][0]["items"][0]
    assert item["finding"]["status"] == "compliant" and item["citations"][0]["line"]["zh"]
    assert item["text"]["en"] and item["text"]["zh"] and item["severity"]
    assert view["submissions"][0]["sha256"] == view["record"]["content_sha256"]
    assert view["submissions"][0]["submitted_by_name"] == "Inspector"
    away = sup.get(f"/inspections/{far}/desk").json()["gps"]
    assert 5500 < away["distance_m"] < 5600 and away["far"] is True and away["far_threshold_m"] == 1000


def test_return_with_finding_comments_reaches_the_device_and_the_resubmission_shows_changes(
    as_, inspector, supervisor, world, checklist
):
    device = Dev(as_, inspector)
    api = as_(inspector)
    iid = submitted(api, world.factory, checklist)
    item = first_item(checklist)
    sup = as_(supervisor)
    body = {
        "decision": "return",
        "comment": "Check the first item again",
        "finding_comments": [{"checklist_key": checklist["key"], "item_id": item["id"], "comment": "Which register?"}],
    }
    r = sup.post(f"/inspections/{iid}/decision", json=body)
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["record"]["status"] == "returned"
    assert view["reviews"][-1]["finding_comments"][0]["comment"] == "Which register?"
    assert view["reviews"][-1]["reviewer_name"] == "Supervisor"
    assert view["sections"][0]["items"][0]["comment"] == "Which register?"
    row = device.pull_all()["inspection"][iid]
    assert row["status"] == "draft" and row["review"]["comment"] == "Check the first item again"
    assert row["review"]["finding_comments"] == [
        {"checklist_key": checklist["key"], "item_id": item["id"], "comment": "Which register?"}
    ]
    unknown = sup.post(f"/inspections/{iid}/decision", json=body | {"decision": "approve", "finding_comments": []})
    assert unknown.status_code == 409  # returned: nothing to approve until resubmitted
    fix = {"checklist_key": checklist["key"], "item_id": item["id"], "status": "compliant", "note": "Register seen"}
    if item["answer_type"] == "number":
        fix["value"] = "1"
    assert api.put(f"/inspections/{iid}/findings", json=fix).status_code == 200
    assert api.post(f"/inspections/{iid}/submit", json={}).status_code == 200
    view = sup.get(f"/inspections/{iid}/desk").json()
    changes = view["submissions"][-1]["changes"]
    assert changes["items_changed"] == [f"{checklist['key']}/{item['id']}"]
    assert view["sections"][0]["items"][0]["changed"] is True
    queued = next(r for r in sup.get("/review-queue").json()["items"] if r["id"] == iid)
    assert queued["resubmission"] is True and queued["revision"] == 2
    approved = sup.post(f"/inspections/{iid}/decision", json={"decision": "approve"})
    assert approved.status_code == 200 and approved.json()["record"]["status"] == "approved"


def test_finding_comments_name_pinned_items_and_go_with_a_return(as_, inspector, supervisor, world, checklist):
    iid = submitted(as_(inspector), world.factory, checklist)
    sup = as_(supervisor)
    unknown = {"checklist_key": checklist["key"], "item_id": "no.such.item", "comment": "?"}
    bad = {"decision": "return", "comment": "x", "finding_comments": [unknown]}
    r = sup.post(f"/inspections/{iid}/decision", json=bad)
    assert r.status_code == 422 and r.json()["code"] == "finding.unknown_item"
    r = sup.post(f"/inspections/{iid}/decision", json=bad | {"decision": "approve"})
    assert r.status_code == 422 and r.json()["code"] == "request.invalid"


def test_a_supervisor_never_reviews_what_they_submitted(as_, supervisor, world, checklist):
    iid = submitted(as_(supervisor), world.factory, checklist, lead_inspector_id=str(supervisor.id))
    r = as_(supervisor).post(f"/inspections/{iid}/decision", json={"decision": "approve"})
    assert r.status_code == 403 and r.json()["code"] == "inspection.self_review"


def test_assign_reassign_and_who_has_what(as_, supervisor, world, checklist):
    sup = as_(supervisor)
    staff = {s["name"]: s for s in sup.get("/staff").json()}
    assert {"Inspector", "Second", "Other"} <= set(staff)
    body = {
        "establishment_id": str(world.factory.id),
        "lead_inspector_id": staff["Inspector"]["id"],
        "team": [staff["Second"]["id"]],
        "checklists": [{"key": checklist["key"], "version": checklist["version"]}],
        "visit_date": "2026-12-10",
    }
    r = sup.post("/assignments", json=body)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["lead"] == "Inspector" and made["team"] == ["Inspector", "Second"] and made["status"] == "draft"
    assert made["visit_date"] == "2026-12-10"
    draft = sup.get(f"/inspections/{made['id']}/desk")  # a draft: no submission yet
    assert draft.status_code == 200 and draft.json()["submissions"] == [], draft.text
    held = {s["name"]: s["open_assignments"] for s in sup.get("/staff").json()}
    assert held["Second"] >= 1
    r = sup.post(f"/assignments/{made['id']}/reassign", json={"lead_inspector_id": staff["Second"]["id"]})
    assert r.status_code == 200, r.text
    assert r.json()["lead"] == "Second" and r.json()["team"] == ["Second"]
    mine = sup.get("/assignments", params={"inspector_id": staff["Second"]["id"]}).json()
    assert made["id"] in {a["id"] for a in mine}
    r = sup.post(f"/assignments/{made['id']}/reassign", json={"lead_inspector_id": staff["Other"]["id"]})
    assert r.status_code == 422 and r.json()["code"] == "inspection.inspector_out_of_area"


def test_dashboard_counts_done_non_compliances_and_months(as_, inspector, supervisor, world, checklist):
    sup = as_(supervisor)
    before = sup.get("/dashboard", params={"date_from": "2026-11-01", "date_to": "2026-11-30"}).json()
    submitted(as_(inspector), world.factory, checklist, status="non_compliant")
    after = sup.get("/dashboard", params={"date_from": "2026-11-01", "date_to": "2026-11-30"}).json()

    def done(rows, key):
        return next((r["done"] for r in rows if r["key"] == key), 0)

    assert done(after["by_district"], str(world.district.id)) == done(before["by_district"], str(world.district.id)) + 1
    assert done(after["by_inspector"], str(inspector.id)) == done(before["by_inspector"], str(inspector.id)) + 1
    assert done(after["months"], "2026-11") == done(before["months"], "2026-11") + 1
    total = sum(r["count"] for r in after["by_severity"]) - sum(r["count"] for r in before["by_severity"])
    assert total == sum(len(s["items"]) for s in checklist["definition"]["sections"])
    assert sum(r["count"] for r in after["by_area"]) >= total
    assert after["measures_open"] >= after["measures_overdue"] >= 0
    assert after["date_from"] == "2026-11-01" and date.fromisoformat(after["date_to"])


def test_admin_creates_and_renames_org_units(as_, admin, supervisor, world):
    api = as_(admin)
    body = {"code": "110199", "level": "district", "name_en": "Lakeside", "name_zh": "湖滨区",
            "parent_id": str(world.province.id)}  # fmt: skip
    r = api.post("/org-units", json=body)
    assert r.status_code == 201, r.text
    unit = r.json()
    assert api.post("/org-units", json=body).json()["code"] == "org_unit.code_taken"
    wrong = api.post("/org-units", json=body | {"code": "110198", "parent_id": str(world.district.id)})
    assert wrong.status_code == 422 and wrong.json()["code"] == "org_unit.invalid_parent"
    r = api.patch(f"/org-units/{unit['id']}", json={"name_en": "Lakeside District"})
    assert r.status_code == 200 and r.json()["name_en"] == "Lakeside District" and r.json()["name_zh"] == "湖滨区"
    assert as_(supervisor).post("/org-units", json=body | {"code": "110197"}).status_code == 403
