"""The desk's lists of measures and violations (issue 17): filtered by state, district, establishment and kind,
paged, scoped to the caller's area; each violation with its provisions, severity, repeat flag and the states of
the measures addressing it. SQLite and PostgreSQL."""

from datetime import UTC, datetime

from backend.enforcement import sweep
from tests.backend.test_enforcement_cases import ITEM, items_of, noncompliant_visit, submit


def test_measures_and_violations_of_the_area_filtered_and_paged(as_, inspector, supervisor, world, checklist, session):
    api, desk = as_(inspector), as_(supervisor)
    insp = noncompliant_visit(api, world, checklist)
    order = api.post(
        f"/inspections/{insp['id']}/actions", json={"measure": "order_to_rectify", "item_id": ITEM, "deadline_days": 14}
    ).json()
    penalty = api.post(
        f"/inspections/{insp['id']}/actions",
        json={"measure": "penalty", "item_id": "ga.reg.06", "deadline_days": 15, "penalty_minor": 500_000},
    ).json()
    submit(api, insp)
    sweep.overdue_sweep(session, datetime(2026, 11, 17, 12, tzinfo=UTC))  # the order is late, the penalty not
    here = {"district_id": str(world.district.id), "establishment_id": str(world.factory.id)}

    overdue = desk.get("/enforcement/measures", params={**here, "status": "overdue"}).json()
    assert [a["id"] for a in overdue["items"]] == [order["id"]] and overdue["total"] == 1
    assert overdue["items"][0]["establishment_name"] == world.factory.name
    penalties = desk.get("/enforcement/measures", params={**here, "measure": "penalty"}).json()
    assert [(a["id"], a["status"]) for a in penalties["items"]] == [(penalty["id"], "open")]
    assert desk.get("/enforcement/measures", params={**here, "status": "withdrawn"}).json()["total"] == 0
    pages = [desk.get("/enforcement/measures", params={**here, "limit": 1, "offset": o}).json() for o in (0, 1)]
    assert [p["total"] for p in pages] == [2, 2]
    assert {p["items"][0]["id"] for p in pages} == {order["id"], penalty["id"]}  # newest first, no overlap

    found = desk.get("/enforcement/violations", params={**here, "limit": 200}).json()
    assert found["total"] == len(items_of(checklist))
    cited = next(v for v in found["items"] if v["item_id"] == ITEM)
    assert cited["measure_statuses"] == ["overdue"] and cited["provisions"] and cited["repeat"] is False
    assert cited["establishment_name"] == world.factory.name and cited["status"] == "active"
    severities = {v["severity"] for v in found["items"]}
    for severity in severities:
        some = desk.get("/enforcement/violations", params={**here, "severity": severity, "limit": 200}).json()
        assert some["total"] == sum(v["severity"] == severity for v in found["items"])
    assert desk.get("/enforcement/violations", params={**here, "repeat": "true"}).json()["total"] == 0

    # Another district's inspector sees none of it, even naming the district.
    other = as_(world.other_district_inspector)
    for path in ("/enforcement/measures", "/enforcement/violations"):
        assert other.get(path, params=here).json()["total"] == 0
        bad = desk.get(path, params={"limit": 0})
        assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert desk.get("/enforcement/measures", params={"status": "lost"}).status_code == 422
