"""Inspections over HTTP: creation, scope, findings, submission, review, immutability and amendments."""

import hashlib
from datetime import UTC, datetime

import pytest

from backend.attachments import storage
from tests.images import jpeg

CHECKLIST = "general-administration"


@pytest.fixture
def checklist(as_, inspector):
    summary = next(c for c in as_(inspector).get("/checklists").json() if c["key"] == CHECKLIST)
    return as_(inspector).get(f"/checklists/{CHECKLIST}/{summary['version']}").json()


def start(api, establishment, checklist, **extra):
    body = {
        "establishment_id": str(establishment.id),
        "type": "planned",
        "checklists": [{"key": checklist["key"], "version": checklist["version"]}],
        "started_at": datetime(2026, 11, 2, 9, 0, tzinfo=UTC).isoformat(),
        "gps": {"latitude": 39.9, "longitude": 116.4, "accuracy_m": 8.5},
    } | extra
    r = api.post("/inspections", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def upload_photo(api) -> str:
    data = jpeg(2048)
    digest = hashlib.sha256(data).hexdigest()
    api.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": "image/jpeg"})
    r = api.patch(f"/blobs/{digest}", content=data,
                  headers={"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})  # fmt: skip
    assert r.status_code == 200 and r.json()["verified"], r.text
    return digest


def answer_all(api, inspection, checklist, status="compliant"):
    photo = upload_photo(api) if status == "non_compliant" else None
    for section in checklist["definition"]["sections"]:
        for item in section["items"]:
            value = "1" if item["answer_type"] == "number" else None
            if item["answer_type"] == "choice":
                value = item["choices"][0]["en"]
            body = {
                "checklist_key": checklist["key"],
                "item_id": item["id"],
                "status": status,
                "value": value,
            }
            if status == "non_compliant" and item["evidence_required"]:
                body["evidence"] = [photo]
            r = api.put(f"/inspections/{inspection['id']}/findings", json=body)
            assert r.status_code == 200, r.text


def test_create_pins_checklists_and_records_gps(as_, inspector, world, checklist):
    body = start(as_(inspector), world.factory, checklist, team=[str(world.second_inspector.id)])
    assert body["status"] == "draft"
    assert body["lead_inspector_id"] == str(inspector.id)
    assert set(body["team"]) == {str(inspector.id), str(world.second_inspector.id)}
    assert body["checklists"] == [{"key": CHECKLIST, "version": checklist["version"]}]
    assert body["gps_status"] == "fix" and body["gps_accuracy_m"] == 8.5
    assert body["district_id"] == str(world.district.id)


def test_cannot_inspect_outside_scope_or_with_unknown_checklist(as_, inspector, world, checklist):
    r = as_(inspector).post(
        "/inspections",
        json={
            "establishment_id": str(world.other_factory.id),
            "type": "planned",
            "checklists": [{"key": CHECKLIST, "version": checklist["version"]}],
        },
    )
    assert r.status_code == 404 and r.json()["code"] == "establishment.not_found"
    r = as_(inspector).post(
        "/inspections",
        json={
            "establishment_id": str(world.factory.id),
            "type": "planned",
            "checklists": [{"key": CHECKLIST, "version": 999}],
        },
    )
    assert r.status_code == 404 and r.json()["code"] == "checklist.not_found"
    r = as_(inspector).post(
        "/inspections",
        json={
            "establishment_id": str(world.factory.id),
            "type": "planned",
            "checklists": [{"key": CHECKLIST, "version": checklist["version"]}],
            "team": [str(world.other_district_inspector.id)],
        },
    )
    assert r.status_code == 422 and r.json()["code"] == "inspection.inspector_out_of_area"


def test_scope_on_inspection_list_and_detail(as_, inspector, other_district_inspector, supervisor, world, checklist):
    mine = start(as_(inspector), world.factory, checklist)
    theirs = start(as_(other_district_inspector), world.other_factory, checklist)
    ids = lambda user, **p: {i["id"] for i in as_(user).get("/inspections", params=p).json()["items"]}  # noqa: E731
    assert ids(inspector) == {mine["id"]}
    assert ids(other_district_inspector) == {theirs["id"]}
    assert ids(supervisor) == {mine["id"], theirs["id"]}
    assert ids(supervisor, district_id=str(world.district.id)) == {mine["id"]}
    assert ids(supervisor, inspector_id=str(other_district_inspector.id)) == {theirs["id"]}
    assert ids(supervisor, establishment_id=str(world.factory.id)) == {mine["id"]}
    assert ids(supervisor, status="submitted") == set()
    assert ids(supervisor, date_from="2026-11-03T00:00:00Z") == set()
    assert ids(supervisor, date_from="2026-11-02T00:00:00Z", date_to="2026-11-03T00:00:00Z") == {
        mine["id"],
        theirs["id"],
    }
    r = as_(inspector).get(f"/inspections/{theirs['id']}")
    assert r.status_code == 404 and r.json()["code"] == "inspection.not_found"
    r = as_(inspector).put(
        f"/inspections/{theirs['id']}/findings",
        json={"checklist_key": CHECKLIST, "item_id": "x", "status": "compliant"},
    )
    assert r.status_code == 404


def test_findings_validate_items_and_versions(as_, inspector, world, checklist):
    api = as_(inspector)
    insp = start(api, world.factory, checklist)
    item = checklist["definition"]["sections"][0]["items"][0]
    url = f"/inspections/{insp['id']}/findings"
    unknown = api.put(url, json={"checklist_key": CHECKLIST, "item_id": "nope.01", "status": "compliant"})
    assert unknown.json()["code"] == "finding.unknown_item"
    first = api.put(
        url,
        json={
            "checklist_key": CHECKLIST,
            "item_id": item["id"],
            "status": "non_compliant",
            "workers_women": 3,
            "note": "no register",
            "base_version": 0,
        },
    )
    assert first.status_code == 200 and first.json()["version"] == 1
    second = api.put(
        url,
        json={"checklist_key": CHECKLIST, "item_id": item["id"], "status": "compliant", "base_version": 1},
    )
    assert second.json()["version"] == 2
    stale = api.put(
        url,
        json={
            "checklist_key": CHECKLIST,
            "item_id": item["id"],
            "status": "non_compliant",
            "base_version": 1,
        },
    )
    assert stale.status_code == 409 and stale.json()["code"] == "finding.version_conflict"
    assert stale.json()["current_version"] == 2
    outsider = as_(world.supervisor).put(
        url, json={"checklist_key": CHECKLIST, "item_id": item["id"], "status": "compliant"}
    )
    assert outsider.status_code == 403 and outsider.json()["code"] == "inspection.not_team_member"


def test_submit_needs_every_applicable_item_and_evidence(as_, inspector, world, checklist):
    api = as_(inspector)
    insp = start(api, world.factory, checklist)
    r = api.post(f"/inspections/{insp['id']}/submit", json={})
    assert r.status_code == 422 and r.json()["code"] == "inspection.incomplete"
    assert len(r.json()["missing"]) > 0
    answer_all(api, insp, checklist, status="non_compliant")
    for section in checklist["definition"]["sections"]:
        for item in section["items"]:
            if item["evidence_required"]:
                api.put(
                    f"/inspections/{insp['id']}/findings",
                    json={"checklist_key": CHECKLIST, "item_id": item["id"], "status": "non_compliant"},
                )
                r = api.post(f"/inspections/{insp['id']}/submit", json={})
                assert r.json()["missing"] == [
                    {"checklist_key": CHECKLIST, "item_id": item["id"], "reason": "evidence_required"}
                ]
                return
    raise AssertionError("the checklist has no item that requires evidence")


def submitted(api, world, checklist):
    insp = start(api, world.factory, checklist)
    answer_all(api, insp, checklist)
    r = api.post(f"/inspections/{insp['id']}/submit", json={})
    assert r.status_code == 200, r.text
    return r.json()


def test_submit_locks_and_review_workflow(as_, inspector, supervisor, world, checklist):
    api = as_(inspector)
    insp = submitted(api, world, checklist)
    assert insp["status"] == "submitted" and insp["revision"] == 1
    assert len(insp["content_sha256"]) == 64 and insp["submissions"][0]["sha256"] == insp["content_sha256"]
    item = checklist["definition"]["sections"][0]["items"][0]
    locked = api.put(
        f"/inspections/{insp['id']}/findings",
        json={"checklist_key": CHECKLIST, "item_id": item["id"], "status": "non_compliant"},
    )
    assert locked.status_code == 409 and locked.json()["code"] == "inspection.locked"
    assert api.patch(f"/inspections/{insp['id']}", json={"summary": "x"}).json()["code"] == "inspection.locked"
    assert api.post(f"/inspections/{insp['id']}/submit", json={}).json()["code"] == "inspection.invalid_transition"
    # Only a supervisor reviews; a return needs a comment.
    review = f"/inspections/{insp['id']}/review"
    assert api.post(review, json={"decision": "approve"}).status_code == 403
    assert as_(supervisor).post(review, json={"decision": "return"}).status_code == 422
    returned = as_(supervisor).post(review, json={"decision": "return", "comment": "Photo missing for 3.2"})
    assert returned.json()["status"] == "returned"
    fixed = api.put(
        f"/inspections/{insp['id']}/findings",
        json={"checklist_key": CHECKLIST, "item_id": item["id"], "status": "compliant", "note": "seen"},
    )
    assert fixed.status_code == 200
    again = api.post(f"/inspections/{insp['id']}/submit", json={}).json()
    assert again["status"] == "submitted" and again["revision"] == 2
    assert [s["revision"] for s in again["submissions"]] == [1, 2]
    assert again["submissions"][0]["sha256"] != again["submissions"][1]["sha256"]
    approved = as_(supervisor).post(review, json={"decision": "approve", "comment": "ok"}).json()
    assert approved["status"] == "approved"
    assert [r["decision"] for r in approved["reviews"]] == ["return", "approve"]
    assert as_(supervisor).post(review, json={"decision": "return", "comment": "x"}).status_code == 409


def test_device_hash_must_match_server_content(as_, inspector, world, checklist):
    api = as_(inspector)
    insp = start(api, world.factory, checklist)
    answer_all(api, insp, checklist)
    end = {"ended_at": "2026-11-02T11:30:00Z"}
    r = api.post(f"/inspections/{insp['id']}/submit", json=end | {"content_sha256": "0" * 64})
    assert r.status_code == 409 and r.json()["code"] == "inspection.content_mismatch"
    assert api.get(f"/inspections/{insp['id']}").json()["status"] == "draft"
    good = r.json()["server_sha256"]
    r = api.post(f"/inspections/{insp['id']}/submit", json=end | {"content_sha256": good})
    assert r.status_code == 200 and r.json()["content_sha256"] == good


def test_amendment_is_a_new_version_referencing_the_old(as_, inspector, supervisor, world, checklist):
    api = as_(inspector)
    original = submitted(api, world, checklist)
    r = api.post(f"/inspections/{original['id']}/amendments", json={"reason": "Wrong worker count in 1.2"})
    assert r.status_code == 201, r.text
    amendment = r.json()
    assert amendment["amends_id"] == original["id"] and amendment["status"] == "draft"
    assert len(amendment["findings"]) == len(original["findings"])
    again = api.post(f"/inspections/{original['id']}/amendments", json={"reason": "second try"})
    assert again.json()["code"] == "inspection.already_amended"
    unchanged = api.get(f"/inspections/{original['id']}").json()
    assert unchanged["status"] == "submitted" and unchanged["content_sha256"] == original["content_sha256"]
    draft = start(api, world.factory, checklist)
    r = api.post(f"/inspections/{draft['id']}/amendments", json={"reason": "nothing to amend"})
    assert r.status_code == 409 and r.json()["code"] == "inspection.not_amendable"


def test_reviewer_cannot_review_own_inspection(as_, supervisor, world, checklist):
    api = as_(supervisor)
    insp = submitted(api, world, checklist)
    r = api.post(f"/inspections/{insp['id']}/review", json={"decision": "approve"})
    assert r.status_code == 403 and r.json()["code"] == "inspection.self_review"


def test_every_write_is_audited(as_, inspector, admin, world, checklist):
    insp = submitted(as_(inspector), world, checklist)
    events = as_(admin).get("/audit/events", params={"subject_id": insp["id"], "limit": 1000}).json()
    actions = [e["action"] for e in events]
    n_items = sum(len(s["items"]) for s in checklist["definition"]["sections"])
    assert actions == ["inspection.create"] + ["finding.record"] * n_items + ["inspection.submit"]
    assert all(e["actor_id"] == str(inspector.id) for e in events)


def test_submit_waits_for_every_cited_photo(as_, inspector, world, checklist):
    api = as_(inspector)
    insp = start(api, world.factory, checklist)
    answer_all(api, insp, checklist)
    item = checklist["definition"]["sections"][0]["items"][0]
    pending = "cd" * 32
    api.put(
        f"/inspections/{insp['id']}/findings",
        json={"checklist_key": CHECKLIST, "item_id": item["id"], "status": "non_compliant", "evidence": [pending]},
    )
    r = api.post(f"/inspections/{insp['id']}/submit", json={})
    assert r.status_code == 409 and r.json()["code"] == "inspection.missing_attachments"
    assert r.json()["missing"] == [pending]


def test_supervisor_reads_evidence_through_the_inspection(as_, inspector, supervisor, world, checklist):
    api = as_(inspector)
    insp = start(api, world.factory, checklist)
    photo = upload_photo(api)
    item = checklist["definition"]["sections"][0]["items"][0]
    api.put(
        f"/inspections/{insp['id']}/findings",
        json={"checklist_key": CHECKLIST, "item_id": item["id"], "status": "non_compliant", "evidence": [photo]},
    )
    r = as_(supervisor).get(f"/inspections/{insp['id']}/evidence/{photo}")
    assert r.status_code == 200 and hashlib.sha256(r.content).hexdigest() == photo
    assert as_(supervisor).get(f"/blobs/{photo}").status_code == 404  # not the uploader
    assert as_(supervisor).get(f"/inspections/{insp['id']}/evidence/{'0' * 64}").status_code == 404
    assert as_(world.other_district_inspector).get(f"/inspections/{insp['id']}/evidence/{photo}").status_code == 404


def test_times_without_a_timezone_are_a_clear_422(as_, inspector, world, checklist):
    r = as_(inspector).get("/inspections", params={"date_from": "2026-01-01T00:00:00"})
    assert r.status_code == 422 and r.json()["code"] == "request.invalid"
    r = as_(inspector).post(
        "/inspections",
        json={
            "establishment_id": str(world.factory.id),
            "type": "planned",
            "started_at": "2026-11-02T09:00:00",
            "checklists": [{"key": CHECKLIST, "version": checklist["version"]}],
        },
    )
    assert r.status_code == 422 and r.json()["code"] == "request.invalid"


def test_explicit_null_for_a_required_header_field_is_a_422_and_nothing_changes(as_, inspector, world, checklist):
    api = as_(inspector)
    insp = start(api, world.factory, checklist)
    for field in ("summary", "type", "gps_status", "team"):
        r = api.patch(f"/inspections/{insp['id']}", json={field: None})
        assert r.status_code == 422 and r.json()["code"] == "request.invalid", (field, r.text)
    assert api.get(f"/inspections/{insp['id']}").json() == insp
    cleared = api.patch(f"/inspections/{insp['id']}", json={"ended_at": None, "summary": "ok"})
    assert cleared.status_code == 200 and cleared.json()["summary"] == "ok"


def test_an_amended_submission_is_superseded_and_never_reopened(as_, inspector, supervisor, world, checklist):
    api = as_(inspector)
    original = submitted(api, world, checklist)
    amendment = api.post(f"/inspections/{original['id']}/amendments", json={"reason": "Wrong count"}).json()
    review = f"/inspections/{original['id']}/review"
    for decision in ({"decision": "return", "comment": "fix 1.2"}, {"decision": "approve"}):
        r = as_(supervisor).post(review, json=decision)
        assert r.status_code == 409 and r.json()["code"] == "inspection.superseded", r.text
        assert r.json()["amendment_id"] == amendment["id"]
    after = api.get(f"/inspections/{original['id']}").json()
    assert after["status"] == "submitted" and after["content_sha256"] == original["content_sha256"]
    assert after["reviews"] == []
    assert api.patch(f"/inspections/{original['id']}", json={"summary": "x"}).json()["code"] == "inspection.locked"
    # The amendment is what gets reviewed.
    assert api.post(f"/inspections/{amendment['id']}/submit", json={}).status_code == 200
    r = as_(supervisor).post(f"/inspections/{amendment['id']}/review", json={"decision": "approve"})
    assert r.status_code == 200 and r.json()["status"] == "approved"


def test_damaged_evidence_is_refused_and_audited_as_an_integrity_event(as_, inspector, supervisor, admin, world,
                                                                         checklist):  # fmt: skip
    api = as_(inspector)
    insp = start(api, world.factory, checklist)
    photo = upload_photo(api)
    item = checklist["definition"]["sections"][0]["items"][0]
    api.put(
        f"/inspections/{insp['id']}/findings",
        json={"checklist_key": CHECKLIST, "item_id": item["id"], "status": "non_compliant", "evidence": [photo]},
    )
    storage.final_path(photo).write_bytes(b"tampered")
    r = as_(supervisor).get(f"/inspections/{insp['id']}/evidence/{photo}")
    assert r.status_code == 500 and r.json()["code"] == "blob.integrity_failed"
    events = as_(admin).get("/audit/events", params={"subject_id": photo}).json()
    assert [e["action"] for e in events][-1] == "blob.integrity_failure"
    assert events[-1]["actor_id"] == str(supervisor.id)
