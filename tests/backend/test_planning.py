"""Planning: the risk ranking of a fixed district against scores computed by hand here (every component, the
weights from settings), a plan built from the ranking and its visit assigned — on the inspector's tablet after a
pull —, and a campaign with its progress."""

import math
import uuid
from datetime import UTC, date, datetime

import pytest

from backend.accidents.models import Accident
from backend.checklists import service as checklists
from backend.complaints.models import Complaint, Outcome
from backend.config import settings
from backend.enforcement.models import EnforcementAction, Measure
from backend.inspections.models import Finding, FindingStatus, Inspection, InspectionChecklist, InspectionType
from backend.inspections.workflow import Status
from backend.orgs.models import Establishment, Level, OrgUnit
from tests.backend.devices import CHECKLIST, Dev
from tests.backend.world import uscc

AS_OF = date(2026, 12, 1)


def _establishment(session, district, name, serial, isic, workers):
    row = Establishment(name=name, registration_number=uscc(700 + serial), district_id=district.id, isic=isic,
                        workers_total=workers)  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _visit(session, world, establishment, on, status=Status.approved):
    version = next(c.version for c in checklists.list_published(session) if c.key == CHECKLIST)
    insp = Inspection(establishment_id=establishment.id, district_id=establishment.district_id,
                      type=InspectionType.planned, status=status, lead_inspector_id=world.inspector.id,
                      created_by=world.inspector.id, visit_date=on)  # fmt: skip
    session.add(insp)
    session.flush()
    session.add(InspectionChecklist(inspection_id=insp.id, checklist_key=CHECKLIST, checklist_version=version))
    session.flush()
    return insp, version


@pytest.fixture
def fixed_district(session, world):
    """Four establishments in a district of their own, with what the score reads."""
    district = OrgUnit(code="110199", level=Level.district, name_en="Testside", name_zh="测试区",
                       parent_id=world.province.id)  # fmt: skip
    session.add(district)
    session.flush()
    quarry = _establishment(session, district, "Quarry", 1, "0810", 99)  # never visited
    dye = _establishment(session, district, "Dye works", 2, "2011", 999)
    calls = _establishment(session, district, "Call centre", 3, "8220", 9)
    bakery = _establishment(session, district, "Bakery", 4, "1071", 0)
    insp, version = _visit(session, world, dye, date(2025, 12, 1))
    definition = checklists.published_definition(session, CHECKLIST, version)
    assert definition.item("ga.acc.01").severity == "critical" and definition.item("ga.est.01").severity == "minor"
    for item in ("ga.acc.01", "ga.est.01"):
        session.add(Finding(inspection_id=insp.id, checklist_key=CHECKLIST, item_id=item,
                            status=FindingStatus.non_compliant, recorded_by=world.inspector.id))  # fmt: skip
    session.add(Finding(inspection_id=insp.id, checklist_key=CHECKLIST, item_id="ga.est.03",
                        status=FindingStatus.compliant, recorded_by=world.inspector.id))  # fmt: skip
    session.add(EnforcementAction(inspection_id=insp.id, establishment_id=dye.id, district_id=district.id,
                                  measure=Measure.order_to_rectify, deadline=date(2026, 11, 1),
                                  created_by=world.inspector.id))  # fmt: skip
    _visit(session, world, calls, date(2026, 6, 4))
    _visit(session, world, calls, date(2026, 12, 20), status=Status.draft)  # planned, not a visit
    common = {"district_id": district.id, "summary": "s", "created_by": world.inspector.id}
    session.add(Complaint(establishment_id=calls.id, received_on=date(2026, 3, 1), **common))
    session.add(Complaint(establishment_id=calls.id, received_on=date(2026, 4, 1), outcome=Outcome.not_upheld,
                          **common))  # fmt: skip
    session.add(Complaint(establishment_id=calls.id, received_on=date(2025, 10, 1), **common))  # over a year
    session.add(Accident(establishment_id=calls.id, district_id=district.id, deaths=1,
                         occurred_at=datetime(2026, 6, 1, tzinfo=UTC), created_by=world.inspector.id))  # fmt: skip
    session.add(Accident(establishment_id=bakery.id, district_id=district.id, deaths=1, commuting=True,
                         occurred_at=datetime(2026, 6, 1, tzinfo=UTC), created_by=world.inspector.id))  # fmt: skip
    _visit(session, world, bakery, date(2021, 12, 1))
    session.flush()
    return district, {"Quarry": quarry, "Dye works": dye, "Call centre": calls, "Bakery": bakery}


def by_hand(weights):
    """Each score written out: sector + size + violations + orders + complaints + accidents + last visit."""
    w = weights
    return {
        # hazard 3 (B), log10(1 + 99) = 2, never visited: 5
        "Quarry": w["sector"] * 3 + w["size"] * 2 + w["last_visit"] * 5,
        # hazard 3 (division 20), log10(1000) = 3, (critical 3 + minor 1) halved after 365 days, one open order
        # overdue (1 + 2), visited 1 year ago
        "Dye works": w["sector"] * 3 + w["size"] * 3 + w["violations"] * 2 + w["orders"] * 3 + w["last_visit"] * 1,
        # hazard 1 (N), log10(10) = 1, one complaint counted, a fatal accident 183 days ago (1 + 3) * 0.5**(183/365),
        # visited 180 days ago
        "Call centre": w["sector"] * 1 + w["size"] * 1 + w["complaints"] * 1
        + w["accidents"] * 4 * 0.5 ** (183 / 365) + w["last_visit"] * 180 / 365,
        # hazard 2 (C), no workers, the commuting accident does not count, visited over 5 years ago: 5
        "Bakery": w["sector"] * 2 + w["last_visit"] * 5,
    }  # fmt: skip


def ranked(as_, supervisor, district):
    r = as_(supervisor).get("/planning/risk", params={"district_id": str(district.id), "as_of": AS_OF.isoformat()})
    assert r.status_code == 200, r.text
    return r.json()


def test_the_ranking_is_the_order_computed_by_hand(as_, supervisor, fixed_district):
    district, _ = fixed_district
    expected = by_hand(dict.fromkeys(settings.risk_weights, 1.0))
    assert sorted(expected, key=lambda n: -expected[n]) == ["Dye works", "Quarry", "Bakery", "Call centre"]
    got = ranked(as_, supervisor, district)
    assert [r["name"] for r in got] == ["Dye works", "Quarry", "Bakery", "Call centre"]
    assert [r["rank"] for r in got] == [1, 2, 3, 4]
    for r in got:
        assert math.isclose(r["score"], expected[r["name"]], abs_tol=1e-3), r
        assert [c["name"] for c in r["components"]] == list(settings.risk_weights)
        assert math.isclose(sum(c["contribution"] for c in r["components"]), r["score"], abs_tol=1e-3)
    dye = {c["name"]: c for c in got[0]["components"]}
    assert dye["violations"]["basis"] == {"en": "2 non-compliant findings in 3 years", "zh": "近3年不合规 2 项"}
    assert dye["orders"]["points"] == 3
    assert dye["orders"]["basis"] == {"en": "1 open measures, 1 overdue", "zh": "未完成措施 1 项，其中逾期 1 项"}
    assert dye["orders"]["label"] == {"en": "Open and overdue measures", "zh": "未完成及逾期的整改措施"}
    for c in got[0]["components"]:  # every text in both languages, and the Chinese not a copy of the English
        for text in (c["label"], c["rule"], c["basis"]):
            assert set(text) == {"en", "zh"} and text["en"] and text["zh"] and text["zh"] != text["en"], c


def test_the_weights_come_from_settings(as_, supervisor, fixed_district, monkeypatch):
    district, _ = fixed_district
    weights = dict.fromkeys(settings.risk_weights, 1.0) | {"last_visit": 0.0}
    monkeypatch.setattr(settings, "risk_weights", weights)
    expected = by_hand(weights)
    got = ranked(as_, supervisor, district)
    assert [r["name"] for r in got] == ["Dye works", "Call centre", "Quarry", "Bakery"]
    assert [r["name"] for r in got] == sorted(expected, key=lambda n: -expected[n])
    assert all(math.isclose(r["score"], expected[r["name"]], abs_tol=1e-3) for r in got)


def test_the_weights_are_checked():
    from pydantic import ValidationError

    from backend.config import Settings

    assert Settings(risk_weights={"sector": 2.5}).risk_weights == {"sector": 2.5}
    for bad in ({"sectr": 1.0}, {"size": -1.0}, {"size": 101.0}):
        with pytest.raises(ValidationError, match="LI_RISK_WEIGHTS"):
            Settings(risk_weights=bad)


def test_a_plan_from_the_ranking_assigned_reaches_the_tablet(as_, supervisor, inspector, world, checklist):
    desk = as_(supervisor)
    body = {"district_id": str(world.district.id), "name": "January", "period_start": "2027-01-01",
            "period_end": "2027-01-31", "visits": 1}  # fmt: skip
    plan = desk.post("/plans", json=body)
    assert plan.status_code == 201, plan.text
    (visit,) = plan.json()["visits"]
    assert visit["rank"] == 1 and visit["inspection_id"] is None and len(visit["components"]) == 7
    pinned = [{"key": CHECKLIST, "version": checklist["version"]}]
    url = f"/plans/{plan.json()['id']}/visits/{visit['id']}/assign"
    r = desk.post(url, json={"lead_inspector_id": str(inspector.id), "checklists": pinned, "visit_date": "2027-01-12"})
    assert r.status_code == 200, r.text
    iid = r.json()["inspection_id"]
    assert iid in Dev(as_, inspector).pull_all()["inspection"]
    again = desk.post(url, json={"lead_inspector_id": str(inspector.id), "checklists": pinned})
    assert again.status_code == 409 and again.json()["code"] == "plan.visit_assigned"
    assert as_(inspector).get("/plans").status_code == 403
    assert as_(supervisor).get(f"/plans/{plan.json()['id']}").json()["visits"][0]["inspection_id"] == iid


def test_a_plan_stored_with_english_only_texts_still_reads_in_both_shapes(as_, supervisor, world, session):
    """Plans built before the texts were bilingual keep their components as stored (``basis`` a string): read
    back with the basis in both fields and today's name and rule of each component."""
    from backend.planning.models import PlanVisit

    body = {"district_id": str(world.district.id), "name": "Old", "period_start": "2027-02-01",
            "period_end": "2027-02-28", "visits": 1}  # fmt: skip
    plan = as_(supervisor).post("/plans", json=body).json()
    row = session.get(PlanVisit, uuid.UUID(plan["visits"][0]["id"]))
    assert row is not None
    row.components = [{k: v for k, v in c.items() if k not in ("label", "rule")} | {"basis": "never visited"}
                      for c in row.components]  # fmt: skip
    session.add(row)
    session.commit()
    (visit,) = as_(supervisor).get(f"/plans/{plan['id']}").json()["visits"]
    sector = next(c for c in visit["components"] if c["name"] == "sector")
    assert sector["basis"] == {"en": "never visited", "zh": "never visited"}
    assert sector["label"] == {"en": "Sector hazard", "zh": "行业危险程度"} and sector["rule"]["zh"]


def test_a_campaign_and_its_progress(as_, supervisor, inspector, world, checklist):
    desk = as_(supervisor)
    body = {"name": "Wage week", "checklist_key": CHECKLIST, "checklist_version": checklist["version"],
            "period_start": "2027-02-01", "period_end": "2027-02-28",
            "establishment_ids": [str(world.factory.id), str(world.building_site.id)]}  # fmt: skip
    c = desk.post("/campaigns", json=body)
    assert c.status_code == 201, c.text
    assert c.json()["progress"] == {"targets": 2, "assigned": 0, "started": 0, "submitted": 0, "approved": 0}
    url = f"/campaigns/{c.json()['id']}/targets/{world.factory.id}/assign"
    r = desk.post(url, json={"lead_inspector_id": str(inspector.id)})
    assert r.status_code == 200, r.text
    assert r.json()["progress"]["assigned"] == 1
    target = next(t for t in r.json()["targets"] if t["establishment_id"] == str(world.factory.id))
    assert target["status"] == "draft"
    pulled = Dev(as_, inspector).pull_all()["inspection"][target["inspection_id"]]
    assert pulled["type"] == "campaign"
    outside = desk.post("/campaigns", json=body | {"establishment_ids": [str(world.far_factory.id)]})
    assert outside.status_code == 404 and outside.json()["code"] == "establishment.not_found"
