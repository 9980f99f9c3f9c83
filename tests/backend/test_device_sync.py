"""Device sync over HTTP (PROTOCOL.md): exactly-once push, request errors, scope, field merge and conflicts,
submission with the content hash, and pull convergence. ``Dev`` is a test device with its own seq counter."""

import hashlib

from backend.db import uuid7
from backend.device_sync import routes
from sync.hashing import build_content, content_hash
from tests.backend.devices import CHECKLIST, Dev, answer, create, items, upload
from tests.images import jpeg

__all__ = ["CHECKLIST", "Dev", "answer", "create", "items", "upload"]  # used by the other sync test modules


def test_push_applies_once_and_a_repeat_returns_the_stored_outcomes(lead, world, checklist, as_, inspector):
    iid = str(uuid7())
    first = lead.mutation(
        "inspection.create", inspection_id=iid, establishment_id=str(world.factory.id),
        checklist=f"{CHECKLIST}@{checklist['version']}", team=[], header={"location": "Gate 2"},
    )  # fmt: skip
    second = lead.mutation("finding.record", inspection_id=iid, item_id="ga.est.01", base_version=0,
                           fields={"status": "compliant", "remark": "register shown"})  # fmt: skip
    r = lead.push(first, second)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["last_seq"] == 2 and [x["outcome"] for x in body["results"]] == ["applied", "applied"]
    again = lead.push(first, second).json()
    assert again["last_seq"] == 2
    assert [x["outcome"] for x in again["results"]] == ["duplicate", "duplicate"]
    assert [x["original"]["server_version"] for x in again["results"]] == [x["server_version"] for x in body["results"]]
    detail = as_(inspector).get(f"/inspections/{iid}").json()
    assert detail["status"] == "draft"
    assert [(f["item_id"], f["status"], f["note"]) for f in detail["findings"]] == [
        ("ga.est.01", "compliant", "register shown")
    ]


def test_request_level_errors(lead, second, world, checklist, as_, inspector, anon):
    create(lead, world, checklist)
    gap = lead.push({**lead.mutation("finding.note", note_id=str(uuid7()), inspection_id=str(uuid7()),
                                     item_id="ga.est.01", text="x"), "seq": 5})  # fmt: skip
    assert gap.status_code == 409 and gap.json()["code"] == "sync.seq_gap" and gap.json()["expected_seq"] == 2
    assert gap.headers["content-type"].startswith("application/problem+json")
    lead.seq = 1  # the refused mutation was never consumed
    m = lead.mutation("inspection.update", inspection_id=str(uuid7()), base_version=0, fields={"summary": "a"})
    assert lead.push(m).status_code == 200
    reused = lead.push({**m, "args": {**m["args"], "fields": {"summary": "b"}}})
    assert reused.status_code == 422 and reused.json()["code"] == "sync.id_reused"
    other = second.push(second.mutation("finding.note", note_id=str(uuid7()), inspection_id=str(uuid7()),
                                        item_id="ga.est.01", text="x"), device_id=lead.id)  # fmt: skip
    assert other.status_code == 403 and other.json()["code"] == "sync.device_mismatch"
    access = lead.api.post(
        "/sync/push",
        json={
            "protocol": 1,
            "device_id": lead.id,
            "mutations": [
                lead.mutation(
                    "finding.note", note_id=str(uuid7()), inspection_id=str(uuid7()), item_id="ga.est.01", text="x"
                )
            ],
        },
    )
    assert access.status_code == 403 and access.json()["code"] == "sync.device_mismatch"
    pull = lead.api.post("/sync/pull", json={"protocol": 1, "device_id": lead.id, "cursor": 0})
    assert pull.status_code == 403
    assert lead.pull().json()["last_seq"] == 2
    # The body is parsed before the request queues for the database, but a caller without a valid token learns
    # nothing about it: 401 first, then the body's errors.
    for body in ({"protocol": 2}, {"protocol": 1, "device_id": lead.id, "mutations": []}):
        anonymous = anon.post("/sync/push", json=body)
        assert anonymous.status_code == 401 and anonymous.json()["code"] == "auth.not_authenticated"
    assert (
        lead.api.post("/sync/push", json={"protocol": 2}, headers=lead.auth()).json()["code"] == "sync.protocol_version"
    )
    deep = b'{"protocol": 1, "mutations": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    anonymous = anon.post("/sync/push", content=deep, headers={"Content-Type": "application/json"})
    assert anonymous.status_code == 401  # not even parsed
    nested = lead.api.post("/sync/push", content=deep, headers={**lead.auth(), "Content-Type": "application/json"})
    assert nested.status_code == 422 and nested.json()["code"] == "sync.invalid_request", nested.text  # not a 500
    empty = {"protocol": 1, "device_id": lead.id, "mutations": []}
    assert lead.api.post("/sync/push", json=empty, headers=lead.auth()).json()["code"] == "sync.invalid_request"


def test_scope_and_immutability_give_rejected_outcomes(lead, world, checklist, as_, other_district_inspector):
    outsider = Dev(as_, other_district_inspector)
    iid = create(lead, world, checklist)
    result = outsider.send("finding.record", inspection_id=iid, item_id="ga.est.01", base_version=0,
                           fields={"status": "compliant"})  # fmt: skip
    assert result["outcome"] == "rejected" and result["reason"] == "forbidden"
    result = lead.send(
        "inspection.create", inspection_id=str(uuid7()), establishment_id=str(world.other_factory.id),
        checklist=f"{CHECKLIST}@{checklist['version']}", team=[], header={},
    )  # fmt: skip
    assert result["outcome"] == "rejected" and result["reason"] == "not_found"
    result = lead.send("finding.record", inspection_id=iid, item_id="no.such.item", base_version=0,
                       fields={"status": "compliant"})  # fmt: skip
    assert result["outcome"] == "rejected" and result["reason"] == "invalid"
    result = lead.send("inspection.create", inspection_id=iid, establishment_id=str(world.factory.id),
                       checklist=f"{CHECKLIST}@{checklist['version']}")  # fmt: skip
    assert result["outcome"] == "rejected" and result["reason"] == "exists"
    assert lead.send("amendment.create", amendment_id=str(uuid7()), inspection_id=iid, amends=str(uuid7()),
                     reason="r", content_hash="sha256:" + "0" * 64)["reason"] == "not_submitted"  # fmt: skip
    held = outsider.pull_all()
    assert set(held) == {"checklist", "establishment"}  # reference data only: nothing of the lead's inspection
    assert str(world.other_factory.id) in held["establishment"] and str(world.factory.id) not in held["establishment"]


def test_field_merge_conflicts_and_resolution(lead, second, world, checklist):
    iid = create(lead, world, checklist, team=[second.user_id])
    base = {"inspection_id": iid, "item_id": "ga.reg.03", "base_version": 0}
    assert (
        lead.send("finding.record", **base, fields={"status": "non_compliant", "remark": "r"})["outcome"] == "applied"
    )
    same = second.send("finding.record", **base, fields={"status": "non_compliant"})
    assert same["outcome"] == "applied" and same["conflict_ids"] == []
    clash = second.send("finding.record", **base, fields={"status": "compliant", "value": 3})
    assert clash["outcome"] == "conflict" and clash["reason"] == "field_conflict" and len(clash["conflict_ids"]) == 1
    header = second.send("inspection.update", inspection_id=iid, base_version=0, fields={"summary": "ok"})
    assert header["outcome"] == "applied"
    tables = lead.pull_all()
    row = tables["finding"][f"{iid}/ga.reg.03"]
    assert row["fields"] == {"status": "non_compliant", "remark": "r", "value": 3}
    assert row["fields_conflicts"] == {"status": clash["conflict_ids"][0]}
    assert tables["inspection"][iid]["header"]["summary"] == "ok"
    waiting = lead.send("inspection.submit", inspection_id=iid, content_hash="sha256:" + "0" * 64)
    assert waiting["outcome"] == "conflict" and waiting["reason"] == "open_conflicts"
    conflict = tables["conflict"][clash["conflict_ids"][0]]
    chosen = conflict["candidates"][1]["mutation_id"]
    assert second.send("conflict.resolve", conflict_id=conflict_id(clash), choose=chosen)["reason"] == "forbidden"
    assert lead.send("conflict.resolve", conflict_id=conflict_id(clash), choose=chosen)["outcome"] == "applied"
    again = lead.send("conflict.resolve", conflict_id=conflict_id(clash), choose=chosen)
    assert again["reason"] == "already_resolved"
    assert lead.pull_all()["finding"][f"{iid}/ga.reg.03"]["fields"]["status"] == "compliant"


def conflict_id(result):
    return result["conflict_ids"][0]


def test_pull_pages_converge_and_are_scoped(lead, second, world, checklist, as_, supervisor, other_district_inspector):
    iid = create(lead, world, checklist, team=[second.user_id])
    for item in items(checklist)[:4]:
        lead.send("finding.record", inspection_id=iid, item_id=item["id"], base_version=0, fields=answer(item))
    lead.send("finding.note", note_id=str(uuid7()), inspection_id=iid, item_id="ga.est.01", text="seen")
    second.send("inspection.update", inspection_id=iid, base_version=0, fields={"employer_representative": "Ms Li"})
    one, fifty = lead.pull_all(limit=1), lead.pull_all(limit=50)
    assert (
        one == fifty
        and len(one["finding"]) == 4
        and one["inspection"][iid]["header"]["employer_representative"] == "Ms Li"
    )
    assert second.pull_all(limit=2) == one
    area = Dev(as_, supervisor).pull_all()
    assert {k: v for k, v in area.items() if k != "establishment"} == {
        k: v for k, v in one.items() if k != "establishment"
    }
    assert set(one["establishment"]) <= set(area["establishment"])  # the supervisor's area holds the district
    outsider = Dev(as_, other_district_inspector).pull_all()
    assert "inspection" not in outsider and "finding" not in outsider
    assert not set(outsider["establishment"]) & set(one["establishment"])
    page = lead.pull(0, 3).json()
    assert page["more"] and page["cursor"] == page["changes"][-1]["version"]
    assert [c["version"] for c in page["changes"]] == sorted(c["version"] for c in page["changes"])


def test_full_inspection_is_submitted_with_the_device_hash(lead, world, checklist, as_, inspector):
    header = {"visit_date": "2026-11-02", "location": "Gate 2", "summary": "Routine visit"}
    iid = create(lead, world, checklist, **header)
    fields = {}
    for item in items(checklist):
        fields[item["id"]] = answer(item)
        result = lead.send("finding.record", inspection_id=iid, item_id=item["id"], base_version=0,
                           fields=fields[item["id"]])  # fmt: skip
        assert result["outcome"] == "applied", result
    note_id = str(uuid7())
    lead.send("finding.note", note_id=note_id, inspection_id=iid, item_id="ga.est.01", text="register seen")
    photo = jpeg(700)
    sha = hashlib.sha256(photo).hexdigest()
    attached = lead.send("photo.attach", photo_id=str(uuid7()), inspection_id=iid, item_id="ga.est.01", sha256=sha,
                         bytes=len(photo), mime="image/jpeg")  # fmt: skip
    assert attached["outcome"] == "applied"
    claimed = content_hash(
        build_content(iid, f"{CHECKLIST}@{checklist['version']}", header, fields,
                      {"ga.est.01": [(note_id, "register seen")]}, [sha])
    )  # fmt: skip
    early = lead.send("inspection.submit", inspection_id=iid, content_hash=claimed)
    assert early["outcome"] == "rejected" and early["reason"] == "missing_attachments"
    assert early["data"]["missing"] == [sha]
    upload(lead.api, photo)
    wrong = lead.send("inspection.submit", inspection_id=iid, content_hash="sha256:" + "0" * 64)
    assert wrong["reason"] == "hash_mismatch" and wrong["data"]["server_hash"] == claimed
    done = lead.send("inspection.submit", inspection_id=iid, content_hash=claimed)
    assert done["outcome"] == "applied", done
    assert done["data"]["server_hash"] == claimed
    detail = as_(inspector).get(f"/inspections/{iid}").json()
    assert detail["status"] == "submitted"
    assert [s["device_content_hash"] for s in detail["submissions"]] == [claimed]  # both attestations kept
    assert {f["item_id"]: f["evidence"] for f in detail["findings"]}["ga.est.01"] == [sha]
    pulled = lead.pull_all()["inspection"][iid]
    assert pulled["status"] == "submitted" and pulled["submitted_hash"] == claimed
    late = lead.send("finding.record", inspection_id=iid, item_id="ga.est.01", base_version=0,
                     fields={"remark": "late"})  # fmt: skip
    assert late["outcome"] == "rejected" and late["reason"] == "immutable"


def test_a_devices_second_offline_edit_corrects_its_first(lead, second, world, checklist):
    """Both edits were made offline on base 0; the later one from the same device wins, another device's clashes."""
    iid = create(lead, world, checklist, team=[second.user_id])
    base = {"inspection_id": iid, "item_id": "ga.reg.03", "base_version": 0}
    first = lead.mutation("finding.record", **base, fields={"status": "non_compliant"})
    fix = lead.mutation("finding.record", **base, fields={"status": "compliant"})
    r = lead.push(first, fix)
    assert r.status_code == 200, r.text
    assert [x["outcome"] for x in r.json()["results"]] == ["applied", "applied"]
    row = next(f for f in lead.pull_all()["finding"].values() if f["inspection_id"] == iid)
    assert row["fields"]["status"] == "compliant" and row["fields_conflicts"] == {}
    clash = second.send("finding.record", **base, fields={"status": "not_applicable"})
    assert clash["outcome"] == "conflict"


def test_a_supervisor_submits_or_resolves_but_never_writes_the_teams_evidence(lead, world, checklist, as_, supervisor):
    sup = Dev(as_, supervisor)
    header = {"visit_date": "2026-11-02"}
    iid = create(lead, world, checklist, **header)
    for name, args in [
        ("finding.record", {"item_id": "ga.est.01", "base_version": 0, "fields": {"status": "compliant"}}),
        ("finding.note", {"note_id": str(uuid7()), "item_id": "ga.est.01", "text": "seen"}),
        ("interview.record", {"interview_id": str(uuid7()), "men": 1, "women": 0, "under_18": 0}),
        ("inspection.update", {"base_version": 0, "fields": {"summary": "written by the supervisor"}}),
    ]:
        result = sup.send(name, inspection_id=iid, **args)
        assert result["outcome"] == "rejected" and result["reason"] == "forbidden", (name, result)
    assert as_(supervisor).get(f"/inspections/{iid}").json()["findings"] == []
    fields = {}
    for item in items(checklist):
        fields[item["id"]] = answer(item)
        lead.send("finding.record", inspection_id=iid, item_id=item["id"], base_version=0, fields=fields[item["id"]])
    claimed = content_hash(build_content(iid, f"{CHECKLIST}@{checklist['version']}", header, fields, {}, []))
    done = sup.send("inspection.submit", inspection_id=iid, content_hash=claimed)
    assert done["outcome"] == "applied", done
    detail = as_(supervisor).get(f"/inspections/{iid}").json()
    assert [s["submitted_by"] for s in detail["submissions"]] == [str(supervisor.id)]  # who really submitted
    assert {f["recorded_by"] for f in detail["findings"]} == {lead.user_id}
    own = as_(supervisor).post(f"/inspections/{iid}/review", json={"decision": "approve"})
    assert own.status_code == 403 and own.json()["code"] == "inspection.self_review"


def test_a_body_over_the_limit_is_refused_before_it_is_read(lead, world, checklist, monkeypatch):
    create(lead, world, checklist)
    monkeypatch.setattr(routes, "MAX_BODY", 2000)
    note = lead.mutation("finding.note", note_id=str(uuid7()), inspection_id=str(uuid7()), item_id="ga.est.01",
                         text="x" * 3000)  # fmt: skip
    refused = lead.push(note)
    assert refused.status_code == 413 and refused.json()["code"] == "sync.body_too_large", refused.text
    assert refused.json()["max_bytes"] == 2000
    pull = lead.api.post("/sync/pull", json={"protocol": 1, "device_id": lead.id, "cursor": 0, "pad": "x" * 3000},
                         headers=lead.auth())  # fmt: skip
    assert pull.status_code == 413
    lead.seq -= 1  # the refused mutation was never consumed
    assert (
        lead.send("finding.note", note_id=str(uuid7()), inspection_id=str(uuid7()), item_id="ga.est.01", text="short")[
            "outcome"
        ]
        == "rejected"
    )  # fmt: skip  (an unknown inspection: not_found)
