"""Issue 18 done: a supervisor triages a complaint into an inspection, records an accident that opens an
investigation, builds next month's plan for a district from the ranking and assigns it — and the inspector finds
all three on the tablet, none of them saying a visit came from a complaint."""

import json
from datetime import date, timedelta

from backend.complaints.public import employer_facing_type
from backend.inspections.models import InspectionType
from tests.backend.devices import CHECKLIST, Dev


def test_the_three_ways_an_inspection_comes_reach_the_tablet(as_, supervisor, inspector, world, checklist):
    desk, today = as_(supervisor), date.today()
    tablet = Dev(as_, inspector)
    pinned = [{"key": CHECKLIST, "version": checklist["version"]}]
    # 1. A complaint, triaged and assigned, triggers its inspection.
    c = desk.post(
        "/complaints",
        json={
            "establishment_id": str(world.factory.id),
            "summary": "locked exits",
            "received_on": today.isoformat(),
            "channel": "walk_in",
            "complainant": {"name": "Walkthrough Witness", "phone": "13700000009"},
        },
    )
    cid = c.json()["id"]
    desk.post(f"/complaints/{cid}/triage", json={"priority": "urgent", "due_on": today.isoformat()})
    desk.post(f"/complaints/{cid}/assign", json={"assignee_id": str(inspector.id)})
    by_complaint = desk.post(f"/complaints/{cid}/inspection", json={"checklists": pinned}).json()["id"]
    # 2. An accident opens its investigation.
    a = desk.post(
        "/accidents",
        json={
            "establishment_id": str(world.building_site.id),
            "occurred_at": "2026-11-30T08:00:00+08:00",
            "persons": [
                {
                    "sex": "female",
                    "age_group": "35_44",
                    "nature_of_injury": "burn",
                    "part_of_body": "upper_limbs",
                    "serious": True,
                }
            ],
        },
    ).json()
    investigation = desk.post(
        f"/accidents/{a['id']}/investigation", json={"lead_inspector_id": str(inspector.id), "checklists": pinned}
    ).json()["id"]
    # 3. Next month's plan from the ranking, its first visit assigned.
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    ranking = desk.get("/planning/risk", params={"district_id": str(world.district.id)}).json()
    plan = desk.post(
        "/plans",
        json={
            "district_id": str(world.district.id),
            "name": "next month",
            "period_start": first.isoformat(),
            "period_end": last.isoformat(),
            "visits": 2,
        },
    ).json()
    assert [v["establishment_id"] for v in plan["visits"]] == [r["establishment_id"] for r in ranking[:2]]
    visit = plan["visits"][0]
    planned = desk.post(
        f"/plans/{plan['id']}/visits/{visit['id']}/assign",
        json={"lead_inspector_id": str(inspector.id), "checklists": pinned},
    ).json()["inspection_id"]
    # The tablet holds all three.
    pulled = tablet.pull_all()["inspection"]
    assert {by_complaint, investigation, planned} <= set(pulled)
    assert pulled[investigation]["type"] == "accident" and pulled[planned]["type"] == "planned"
    blob = json.dumps(pulled[by_complaint])
    assert cid not in blob and "locked exits" not in blob and "Walkthrough" not in blob and "1370000" not in blob
    # What an employer-facing output shows as the type of the complaint's visit.
    assert employer_facing_type(InspectionType(pulled[by_complaint]["type"])) == InspectionType.planned
    assert employer_facing_type(InspectionType.accident) == InspectionType.accident
