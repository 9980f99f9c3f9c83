"""Accidents and occupational diseases: the class of the Regulation (Art. 3) at every threshold, computed from the
persons notified and the loss; commuting accidents compiled apart and unclassed; a later report reclassifies; the
investigation inspection opened and linked, reaching the lead's tablet; the 16th ICLS counts; scope."""

import pytest

from backend.accidents.classification import AccidentClass, classify
from tests.backend.devices import CHECKLIST, Dev

G, L, M, E = AccidentClass.general, AccidentClass.larger, AccidentClass.major, AccidentClass.especially_major
WAN = 10_000


@pytest.mark.parametrize(
    ("deaths", "serious", "loss", "expected"),
    [
        (0, 0, 0, G),
        # deaths: 3 and 10 and 30 are the first of the higher class ("以上" includes the number)
        (2, 0, 0, G), (3, 0, 0, L), (9, 0, 0, L), (10, 0, 0, M), (29, 0, 0, M), (30, 0, 0, E),
        # serious injuries: 10, 50, 100
        (0, 9, 0, G), (0, 10, 0, L), (0, 49, 0, L), (0, 50, 0, M), (0, 99, 0, M), (0, 100, 0, E),
        # direct economic loss: 10 million, 50 million, 100 million yuan
        (0, 0, 1000 * WAN - 1, G), (0, 0, 1000 * WAN, L), (0, 0, 5000 * WAN - 1, L), (0, 0, 5000 * WAN, M),
        (0, 0, 10_000 * WAN - 1, M), (0, 0, 10_000 * WAN, E),
        # the highest class any criterion reaches
        (2, 50, 0, M), (3, 0, 10_000 * WAN, E), (29, 99, 10_000 * WAN - 1, M),
    ],
)  # fmt: skip
def test_the_class_at_every_threshold(deaths, serious, loss, expected):
    assert classify(deaths, serious, loss) is expected


def person(**kw):
    return {"sex": "male", "age_group": "25_34", "occupation": "7126", "employment_status": "employee",
            "nature_of_injury": "fracture", "part_of_body": "lower_limbs", "days_lost": 30} | kw  # fmt: skip


def notify(api, world, persons, **kw):
    body = {"establishment_id": str(world.building_site.id), "occurred_at": "2026-11-03T09:30:00+08:00",
            "description": "scaffold collapse", "persons": persons} | kw  # fmt: skip
    r = api.post("/accidents", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_the_class_comes_from_the_persons_and_a_later_report_reclassifies(as_, inspector, world):
    api = as_(inspector)
    dead = [person(fatal=True, incapacity="permanent", days_lost=0) for _ in range(2)]
    hurt = [person(serious=True) for _ in range(9)]
    a = notify(api, world, dead + hurt, direct_loss_yuan=500 * WAN)
    assert (a["deaths"], a["serious_injuries"], a["accident_class"]) == (2, 9, "general")
    assert a["class_label"] == {"en": "General accident", "zh": "一般事故"} and "第三条" in a["class_basis"]["zh"]
    assert len(a["persons"]) == 11 and a["persons"][0]["fatal"] is True
    # 补报: a third death within 30 days
    later = {"direct_loss_yuan": 500 * WAN, "persons": [*dead, person(fatal=True), *hurt]}
    r = api.put(f"/accidents/{a['id']}/casualties", json=later)
    assert r.status_code == 200 and r.json()["deaths"] == 3 and r.json()["accident_class"] == "larger"


def test_commuting_accidents_are_apart_and_the_counts_follow_the_icls(as_, inspector, supervisor, world):
    api = as_(inspector)
    notify(api, world, [person(fatal=True, days_lost=0), person(days_lost=12)])
    c = notify(api, world, [person(days_lost=5, incapacity="permanent")], commuting=True)
    assert c["accident_class"] is None
    disease = {"establishment_id": str(world.factory.id), "disease": "Silicosis", "exposure": "silica dust",
               "exposure_years": 11, "diagnosed_on": "2026-10-01", "sex": "female", "age_group": "45_54"}  # fmt: skip
    assert api.post("/disease-cases", json=disease).status_code == 201
    stats = as_(supervisor).get("/accidents/statistics", params={"year": 2026}).json()
    assert stats["at_work"] == {"accidents": 1, "fatal_cases": 1, "nonfatal_cases": 1, "days_lost": 12,
                                "permanent_incapacity": 0}  # fmt: skip
    assert stats["commuting"] == {"accidents": 1, "fatal_cases": 0, "nonfatal_cases": 1, "days_lost": 5,
                                  "permanent_incapacity": 1}  # fmt: skip
    assert stats["by_class"] == {"general": 1, "larger": 0, "major": 0, "especially_major": 0}
    assert stats["disease_cases"] == 1
    assert as_(world.other_district_inspector).get("/accidents").json() == []
    assert as_(world.other_district_inspector).get(f"/accidents/{c['id']}").status_code == 404


def test_the_investigation_is_opened_linked_and_on_the_leads_tablet(as_, inspector, supervisor, world, checklist):
    a = notify(as_(inspector), world, [person(fatal=True)])
    body = {"lead_inspector_id": str(inspector.id),
            "checklists": [{"key": CHECKLIST, "version": checklist["version"]}]}  # fmt: skip
    r = as_(inspector).post(f"/accidents/{a['id']}/investigation", json=body)
    assert r.status_code == 403 and r.json()["code"] == "accident.supervisor_only"
    r = as_(supervisor).post(f"/accidents/{a['id']}/investigation", json=body)
    assert r.status_code == 201 and r.json()["type"] == "accident"
    iid = r.json()["id"]
    assert as_(supervisor).get(f"/accidents/{a['id']}").json()["investigation_id"] == iid
    again = as_(supervisor).post(f"/accidents/{a['id']}/investigation", json=body)
    assert again.status_code == 409 and again.json()["code"] == "accident.investigation_exists"
    assert iid in Dev(as_, inspector).pull_all()["inspection"]


def test_bad_notifications_are_problems(as_, inspector, world):
    api = as_(inspector)
    r = api.post("/accidents", json={"establishment_id": str(world.factory.id), "occurred_at": "2099-01-01T00:00:00Z"})
    assert r.status_code == 422 and r.json()["code"] == "accident.in_future"
    r = api.post("/accidents", json={"establishment_id": str(world.other_factory.id),
                                     "occurred_at": "2026-01-01T00:00:00Z"})  # fmt: skip
    assert r.status_code == 404 and r.json()["code"] == "establishment.not_found"
    for bad in ({"days_lost": -1}, {"sex": "x"}, {"occupation": "12345"}):
        body = {"establishment_id": str(world.factory.id), "occurred_at": "2026-01-01T00:00:00Z",
                "persons": [person(**bad)]}  # fmt: skip
        r = api.post("/accidents", json=body)
        assert r.status_code == 422 and r.json()["code"] == "request.invalid"
    assert api.get("/accidents").json() == []


def test_an_accident_reported_from_the_tablet_is_classed_once(lead, world, as_, inspector, supervisor):
    from backend.db import uuid7

    aid = str(uuid7())
    args = {"accident_id": aid, "establishment_id": str(world.building_site.id),
            "occurred_at": "2026-11-28T14:00:00+08:00",
            "persons": [person(fatal=True) for _ in range(3)] + [person(serious=True)]}  # fmt: skip
    mutation = lead.mutation("accident.report", **args)
    first = lead.push(mutation).json()["results"][0]
    assert first["outcome"] == "applied", first
    assert lead.push(mutation).json()["results"][0]["outcome"] == "duplicate"
    assert lead.send("accident.report", **args)["reason"] == "exists"
    got = as_(supervisor).get(f"/accidents/{aid}").json()
    assert (got["deaths"], got["serious_injuries"], got["accident_class"]) == (3, 1, "larger")
    assert got["created_by"] == str(inspector.id)
    assert "accident" not in lead.pull_all()
    outside = lead.send("accident.report", **args | {"accident_id": str(uuid7()),
                                                     "establishment_id": str(world.other_factory.id)})  # fmt: skip
    assert outside["outcome"] == "rejected" and outside["reason"] == "not_found"
    future = lead.send("accident.report", **args | {"accident_id": str(uuid7()), "occurred_at": "2099-01-01T00:00:00Z"})
    assert future["reason"] == "invalid" and future["data"]["code"] == "accident.in_future"


def test_a_disease_case_is_listed_in_its_area_and_never_diagnosed_after_today(as_, inspector, world):
    from datetime import date, timedelta

    api = as_(inspector)
    case = {"establishment_id": str(world.factory.id), "disease": "Noise-induced deafness", "exposure": "noise",
            "diagnosed_on": "2026-09-14", "sex": "male", "age_group": "35_44", "occupation": "8121"}  # fmt: skip
    made = api.post("/disease-cases", json=case)
    assert made.status_code == 201, made.text
    future = api.post("/disease-cases", json=case | {"diagnosed_on": (date.today() + timedelta(days=2)).isoformat()})
    assert future.status_code == 422 and future.json()["code"] == "disease_case.diagnosed_in_future"
    [listed] = api.get("/disease-cases", params={"year": 2026}).json()
    assert listed["id"] == made.json()["id"] and listed["occupation"] == "8121" and listed["fatal"] is False
    assert api.get("/disease-cases", params={"year": 2025}).json() == []
    assert as_(world.other_district_inspector).get("/disease-cases").json() == []


def test_a_disease_case_reported_from_the_tablet_is_recorded_once(lead, world, as_, inspector, supervisor, session):
    from datetime import date, timedelta

    from sqlmodel import select

    from backend.audit.models import AuditEvent
    from backend.db import uuid7

    did = str(uuid7())
    args = {"disease_id": did, "establishment_id": str(world.factory.id), "disease": "Silicosis",
            "exposure": "silica dust", "exposure_years": 9, "diagnosed_on": "2026-10-01", "sex": "female",
            "age_group": "45_54", "occupation": "7133"}  # fmt: skip
    mutation = lead.mutation("disease.report", **args)
    first = lead.push(mutation).json()["results"][0]
    assert first["outcome"] == "applied", first
    assert lead.push(mutation).json()["results"][0]["outcome"] == "duplicate"
    assert lead.send("disease.report", **args)["reason"] == "exists"
    [case] = as_(supervisor).get("/disease-cases").json()
    assert (
        case["id"] == did and case["created_by"] == str(inspector.id) and case["district_id"] == str(world.district.id)
    )
    assert (case["disease"], case["exposure_years"], case["occupation"], case["fatal"]) == (
        "Silicosis",
        9,
        "7133",
        False,
    )
    audited = session.exec(select(AuditEvent).where(AuditEvent.action == "disease_case.create")).all()
    assert [e.subject_id for e in audited] == [did]
    assert "disease_case" not in lead.pull_all()
    again = args | {"disease_id": str(uuid7())}
    outside = lead.send("disease.report", **again | {"establishment_id": str(world.other_factory.id)})
    assert outside["outcome"] == "rejected" and outside["reason"] == "not_found"
    future = lead.send("disease.report", **again | {"diagnosed_on": (date.today() + timedelta(days=2)).isoformat()})
    assert future["reason"] == "invalid" and future["data"]["code"] == "disease_case.diagnosed_in_future"
    unnamed = lead.send("disease.report", **again | {"disease": ""})
    assert unnamed["outcome"] == "rejected" and unnamed["reason"] == "invalid"
    assert len(as_(supervisor).get("/disease-cases").json()) == 1
