"""Device sync over HTTP (PROTOCOL.md): exactly-once push, request errors, scope, field merge and conflicts,
submission with the content hash, and pull convergence. ``Dev`` is a test device with its own seq counter."""

import hashlib
import os
from typing import Any

import pytest

from backend.db import uuid7
from sync.hashing import build_content, content_hash


class Dev:
    """A registered device of ``user``."""

    def __init__(self, as_: Any, user: Any) -> None:
        self.api = as_(user)
        registered = self.api.post("/devices", json={"name": "T"}).json()
        self.token, self.id, self.user_id = registered["token"], registered["id"], str(user.id)
        self.seq = 0

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}

    def mutation(self, name: str, **args: Any) -> dict[str, Any]:
        self.seq += 1
        return {"id": str(uuid7()), "seq": self.seq, "name": name, "v": 1, "args": args}

    def push(self, *mutations: dict[str, Any], device_id: str | None = None, token: str | None = None) -> Any:
        body = {"protocol": 1, "device_id": device_id or self.id, "mutations": list(mutations)}
        return self.api.post("/sync/push", json=body, headers=self.auth(token))

    def send(self, name: str, **args: Any) -> dict[str, Any]:
        r = self.push(self.mutation(name, **args))
        assert r.status_code == 200, r.text
        return r.json()["results"][0]

    def pull(self, cursor: int = 0, limit: int = 500) -> Any:
        body = {"protocol": 1, "device_id": self.id, "cursor": cursor, "limit": limit}
        return self.api.post("/sync/pull", json=body, headers=self.auth())

    def pull_all(self, limit: int = 500) -> dict[str, dict[str, dict[str, Any]]]:
        """Pull from 0 until ``more`` is false, applying each change as a device does."""
        tables: dict[str, dict[str, dict[str, Any]]] = {}
        cursor, more = 0, True
        while more:
            r = self.pull(cursor, limit)
            assert r.status_code == 200, r.text
            page = r.json()
            assert len(page["changes"]) <= limit
            for change in page["changes"]:
                held = tables.setdefault(change["entity"], {}).get(change["id"])
                if held is None or held["version"] < change["version"]:
                    tables[change["entity"]][change["id"]] = change["data"]
            cursor, more = page["cursor"], page["more"]
        return tables


def upload(api: Any, data: bytes | None = None) -> str:
    data = data or os.urandom(512)
    digest = hashlib.sha256(data).hexdigest()
    api.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": "image/jpeg"})
    r = api.patch(f"/blobs/{digest}", content=data,
                  headers={"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})  # fmt: skip
    assert r.status_code == 200 and r.json()["verified"], r.text
    return digest


CHECKLIST = "general-administration"


@pytest.fixture
def checklist(as_, inspector):
    summary = next(c for c in as_(inspector).get("/checklists").json() if c["key"] == CHECKLIST)
    return as_(inspector).get(f"/checklists/{CHECKLIST}/{summary['version']}").json()


@pytest.fixture
def lead(as_, inspector):
    return Dev(as_, inspector)


@pytest.fixture
def second(as_, world):
    return Dev(as_, world.second_inspector)


def create(dev, world, checklist, team=(), establishment=None, **header):
    iid = str(uuid7())
    result = dev.send(
        "inspection.create", inspection_id=iid, establishment_id=str((establishment or world.factory).id),
        checklist=f"{checklist['key']}@{checklist['version']}", team=list(team),
        header=header or {"visit_date": "2026-11-02", "location": "Gate 2"},
    )  # fmt: skip
    assert result["outcome"] == "applied", result
    return iid


def items(checklist):
    return [item for section in checklist["definition"]["sections"] for item in section["items"]]


def answer(item):
    if item["answer_type"] == "number":
        return {"status": "compliant", "value": 1}
    if item["answer_type"] == "choice":
        return {"status": "compliant", "value": item["choices"][0]["en"]}
    return {"status": "compliant"}


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


def test_request_level_errors(lead, second, world, checklist, as_, inspector):
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
                     reason="r", content_hash="sha256:" + "0" * 64)["reason"] == "not_supported"  # fmt: skip
    assert outsider.pull_all() == {}


def test_field_merge_conflicts_and_resolution(lead, second, world, checklist):
    iid = create(lead, world, checklist, team=[second.user_id])
    base = {"inspection_id": iid, "item_id": "ga.est.02", "base_version": 0}
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
    row = tables["finding"][f"{iid}/ga.est.02"]
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
    assert lead.pull_all()["finding"][f"{iid}/ga.est.02"]["fields"]["status"] == "compliant"


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
    assert Dev(as_, supervisor).pull_all() == one
    assert Dev(as_, other_district_inspector).pull_all() == {}
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
    photo = os.urandom(700)
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
    assert {f["item_id"]: f["evidence"] for f in detail["findings"]}["ga.est.01"] == [sha]
    pulled = lead.pull_all()["inspection"][iid]
    assert pulled["status"] == "submitted" and pulled["submitted_hash"] == claimed
    late = lead.send("finding.record", inspection_id=iid, item_id="ga.est.01", base_version=0,
                     fields={"remark": "late"})  # fmt: skip
    assert late["outcome"] == "rejected" and late["reason"] == "immutable"


def test_a_devices_second_offline_edit_corrects_its_first(lead, second, world, checklist):
    """Both edits were made offline on base 0; the later one from the same device wins, another device's clashes."""
    iid = create(lead, world, checklist, team=[second.user_id])
    base = {"inspection_id": iid, "item_id": "ga.est.02", "base_version": 0}
    first = lead.mutation("finding.record", **base, fields={"status": "non_compliant"})
    fix = lead.mutation("finding.record", **base, fields={"status": "compliant"})
    r = lead.push(first, fix)
    assert r.status_code == 200, r.text
    assert [x["outcome"] for x in r.json()["results"]] == ["applied", "applied"]
    row = next(f for f in lead.pull_all()["finding"].values() if f["inspection_id"] == iid)
    assert row["fields"]["status"] == "compliant" and row["fields_conflicts"] == {}
    clash = second.send("finding.record", **base, fields={"status": "not_applicable"})
    assert clash["outcome"] == "conflict"
