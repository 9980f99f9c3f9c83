"""``amendment.create`` over sync: a submitted record is never changed; the amendment is a new version that
references it, carries the device's changes, is hashed by the device and re-hashed by the server, and is
submitted at once. A stale ``amends`` is a conflict, and amendments chain."""

import copy

from backend.db import uuid7
from sync.hashing import content_hash, finding_key, inspection_content
from tests.backend.test_device_sync import Dev, create
from tests.backend.test_sync_feed import submit_all


def amended_hash(dev: Dev, iid: str, findings: dict, header: dict | None = None) -> str:
    """The content hash the device computes for its copy with the amendment applied."""
    tables = copy.deepcopy(dev.pull_all())
    for item_id, fields in findings.items():
        row = tables.setdefault("finding", {}).setdefault(
            finding_key(iid, item_id), {"inspection_id": iid, "item_id": item_id, "fields": {}}
        )
        row["fields"].update(fields)
    tables["inspection"][iid]["header"].update(header or {})
    return content_hash(inspection_content(tables, iid))


def amend(dev: Dev, iid: str, amends: str, findings: dict, reason: str = "Wrong count of extinguishers") -> dict:
    return dev.send("amendment.create", amendment_id=str(uuid7()), inspection_id=iid, amends=amends, reason=reason,
                    findings=findings, content_hash=amended_hash(dev, iid, findings))  # fmt: skip


def test_an_amendment_is_a_new_submitted_version_and_the_original_stays(lead, world, checklist, as_, inspector):
    header = {"visit_date": "2026-11-02"}
    iid = create(lead, world, checklist, **header)
    submitted = submit_all(lead, iid, checklist, header)
    assert submitted["outcome"] == "applied", submitted
    before = as_(inspector).get(f"/inspections/{iid}").json()
    change = {"ga.est.01": {"status": "non_compliant", "remark": "register incomplete"}}

    wrong = lead.send("amendment.create", amendment_id=str(uuid7()), inspection_id=iid,
                      amends=submitted["data"]["submission_id"], reason="typo", findings=change,
                      content_hash="sha256:" + "0" * 64)  # fmt: skip
    assert wrong["outcome"] == "rejected" and wrong["reason"] == "hash_mismatch"
    assert as_(inspector).get(f"/inspections/{iid}").json() == before  # nothing half-written

    first = amend(lead, iid, submitted["data"]["submission_id"], change)
    assert first["outcome"] == "applied", first
    assert as_(inspector).get(f"/inspections/{iid}").json() == before  # the submitted record is untouched
    versions = as_(inspector).get("/inspections", params={"establishment_id": str(world.factory.id)}).json()
    amendment = next(i for i in versions["items"] if i.get("amends_id") == iid)
    detail = as_(inspector).get(f"/inspections/{amendment['id']}").json()
    assert detail["status"] == "submitted" and detail["amendment_reason"] == "Wrong count of extinguishers"
    by_item = {f["item_id"]: f for f in detail["findings"]}
    assert by_item["ga.est.01"]["status"] == "non_compliant" and by_item["ga.est.01"]["note"] == "register incomplete"

    pulled = lead.pull_all()
    assert set(pulled["inspection"]) == {iid}  # the device holds one record; versions are the server's business
    assert pulled["inspection"][iid]["submission_id"] == first["data"]["submission_id"]
    sub = pulled["submission"][first["data"]["submission_id"]]
    assert sub["amends"] == submitted["data"]["submission_id"] and sub["content_hash"] == first["data"]["server_hash"]

    stale = amend(lead, iid, submitted["data"]["submission_id"], {"ga.est.01": {"remark": "again"}})
    assert stale["outcome"] == "conflict" and stale["reason"] == "stale_amendment", stale

    second = amend(lead, iid, first["data"]["submission_id"], {"ga.est.01": {"remark": "register completed later"}})
    assert second["outcome"] == "applied", second
    chain = as_(inspector).get("/inspections", params={"establishment_id": str(world.factory.id)}).json()["items"]
    assert any(i.get("amends_id") == amendment["id"] for i in chain)


def test_only_the_team_lead_amends(lead, second, world, checklist):
    header = {"visit_date": "2026-11-02"}
    iid = create(lead, world, checklist, team=[second.user_id], **header)
    submitted = submit_all(lead, iid, checklist, header)
    change = {"ga.est.01": {"remark": "late remark"}}
    refused = amend(second, iid, submitted["data"]["submission_id"], change)
    assert refused["outcome"] == "rejected" and refused["reason"] == "forbidden"


def test_orders_on_an_amended_record_are_pulled_under_the_record_the_device_holds(
    lead, second, world, checklist, as_, inspector
):
    # The device holds one protocol record per original; after an amendment the domain writes go to the
    # amendment, and an order recorded there (by sync or over REST) must come back under the original's id, to
    # the team as well as to the district.
    header = {"visit_date": "2026-11-02"}
    iid = create(lead, world, checklist, team=[second.user_id], **header)
    submitted = submit_all(lead, iid, checklist, header)
    first = amend(lead, iid, submitted["data"]["submission_id"], {"ga.est.01": {"remark": "register incomplete"}})
    assert first["outcome"] == "applied", first
    amendment = next(
        i["id"] for i in as_(inspector).get("/inspections", params={"establishment_id": str(world.factory.id)})
        .json()["items"] if i.get("amends_id") == iid
    )  # fmt: skip
    by_sync = str(uuid7())
    sent = lead.send("action.record", action_id=by_sync, inspection_id=iid, item_id="ga.est.01",
                     measure="order_to_rectify", deadline_days=30, text="Complete the register")  # fmt: skip
    assert sent["outcome"] == "applied", sent
    assert [a["id"] for a in as_(inspector).get(f"/inspections/{amendment}/actions").json()] == [by_sync]
    over_rest = as_(inspector).post(f"/inspections/{amendment}/actions", json={"measure": "warning"})
    assert over_rest.status_code == 201, over_rest.text
    for dev in (lead, second):
        pulled = dev.pull_all()
        assert set(pulled["inspection"]) == {iid}
        orders = pulled["action"]
        assert {orders[by_sync]["inspection_id"], orders[over_rest.json()["id"]]["inspection_id"]} == {iid}
