"""The enforcement case from finding to closure (issue 17): violations from a submitted record (never duplicated
by amendments, repeats detected), measures and their powers, the daily sweep with a controlled clock, escalation,
a follow-up visit that closes one order and escalates another, an appeal that suspends a deadline, a penalty paid.
"""

import uuid
from datetime import UTC, date, datetime

from sqlmodel import select

from backend.enforcement import sweep
from backend.enforcement.models import ActionEvent, Violation
from backend.orgs.models import OrgUnit
from tests.backend.devices import Dev
from tests.backend.test_inspections import answer_all, start

ITEM = "ga.est.01"


def noncompliant_visit(api, world, checklist, **extra):
    insp = start(api, world.factory, checklist, **extra)
    answer_all(api, insp, checklist, status="non_compliant")
    return insp


def submit(api, insp):
    r = api.post(f"/inspections/{insp['id']}/submit", json={})
    assert r.status_code == 200, r.text
    return r.json()


def items_of(checklist):
    return [i for s in checklist["definition"]["sections"] for i in s["items"]]


def test_violations_on_submission_never_duplicated_by_an_amendment(as_, inspector, world, checklist, session):
    api = as_(inspector)
    insp = noncompliant_visit(api, world, checklist)
    assert api.get(f"/inspections/{insp['id']}/violations").json() == []  # nothing before submission
    submit(api, insp)
    found = api.get(f"/inspections/{insp['id']}/violations").json()
    items = items_of(checklist)
    assert len(found) == len(items)
    first = next(v for v in found if v["item_id"] == ITEM)
    item = next(i for i in items if i["id"] == ITEM)
    assert first["severity"] == item["severity"] and first["status"] == "active" and first["repeat"] is False
    assert [p["zh"] for p in first["provisions"]] == [c["line"]["zh"] for c in item["citations"]]
    assert first["found_on"] == "2026-11-02"
    # An amendment that finds the item compliant supersedes its violation; the others are the same rows.
    amendment = api.post(f"/inspections/{insp['id']}/amendments", json={"reason": "item 1 was in order"}).json()
    r = api.put(
        f"/inspections/{amendment['id']}/findings",
        json={"checklist_key": checklist["key"], "item_id": ITEM, "status": "compliant"},
    )
    assert r.status_code == 200, r.text
    submit(api, amendment)
    again = api.get(f"/inspections/{amendment['id']}/violations").json()
    assert {v["id"] for v in again} == {v["id"] for v in found}
    assert {v["item_id"] for v in again if v["status"] == "superseded"} == {ITEM}
    assert all(v["source_inspection_id"] == amendment["id"] for v in again)
    rows = session.exec(select(Violation).where(Violation.establishment_id == world.factory.id)).all()
    assert len(rows) == len(items)


def visit_on(api, world, checklist, day):
    insp = noncompliant_visit(api, world, checklist, started_at=datetime(*day, 9, 0, tzinfo=UTC).isoformat())
    submit(api, insp)
    return api.get(f"/inspections/{insp['id']}/violations").json()


def test_a_repeat_violation_is_detected_within_the_period(as_, inspector, world, checklist):
    api = as_(inspector)
    first = visit_on(api, world, checklist, (2024, 1, 8))
    assert not any(v["repeat"] for v in first)
    # Nearly three years later: beyond LI_REPEAT_VIOLATION_YEARS (2), not a repeat.
    assert not any(v["repeat"] for v in visit_on(api, world, checklist, (2026, 11, 2)))
    # Seventeen months after the first: every violation repeats it.
    again = visit_on(api, world, checklist, (2025, 6, 2))
    by_item = {v["item_id"]: v["id"] for v in first}
    assert again and all(v["repeat"] and v["repeat_of_id"] == by_item[v["item_id"]] for v in again)


def at(day):
    return datetime(*day, 12, 0, tzinfo=UTC)


def kinds(session, action_id):
    stmt = select(ActionEvent).where(ActionEvent.action_id == uuid.UUID(action_id)).order_by(ActionEvent.id)
    return [(e.kind, e.to_status, e.actor_id is None) for e in session.exec(stmt)]


def test_the_lifecycle_from_finding_to_closure_with_a_controlled_clock(
    as_, inspector, supervisor, world, checklist, session
):
    api, desk = as_(inspector), as_(supervisor)
    insp = noncompliant_visit(api, world, checklist)
    url = f"/inspections/{insp['id']}/actions"
    for item, days in ((ITEM, 14), ("ga.reg.06", 30)):
        r = api.post(url, json={"measure": "order_to_rectify", "item_id": item, "deadline_days": days})
        assert r.status_code == 201, r.text
    refused = api.post(url, json={"measure": "stop_work", "item_id": "ga.reg.07"})
    assert refused.status_code == 422 and refused.json()["code"] == "action.power_not_held"
    referral = api.post(url, json={"measure": "referral", "item_id": "ga.reg.07"}).json()
    assert referral["referral_to"] == "work_safety"
    submit(api, insp)
    violations = {v["item_id"]: v["id"] for v in api.get(f"/inspections/{insp['id']}/violations").json()}
    order = {a["id"]: a for a in api.get(f"/establishments/{world.factory.id}/orders").json()}
    assert order[referral["id"]]["violation_ids"] == [violations["ga.reg.07"]]
    first = next(a for a in order.values() if a["item_id"] == ITEM)
    second = next(a for a in order.values() if a["item_id"] == "ga.reg.06")
    assert first["deadline"] == "2026-11-16" and first["violation_ids"] == [violations[ITEM]]

    # The sweep before the deadline changes nothing; the day after, the order is overdue and a penalty proposed.
    assert sweep.overdue_sweep(session, at((2026, 11, 16))).marked_overdue == []
    result = sweep.overdue_sweep(session, at((2026, 11, 17)))
    assert [str(a) for a in result.marked_overdue] == [first["id"]]
    assert result.proposals == {first["id"]: "penalty"}
    assert sweep.overdue_sweep(session, at((2026, 11, 17))).marked_overdue == []  # idempotent
    now = api.get(f"/establishments/{world.factory.id}/orders", params={"open": True}).json()
    late = next(a for a in now if a["id"] == first["id"])
    assert late["status"] == "overdue" and late["overdue"] and late["proposed_measure"] == "penalty"

    # The employer claims the other order complied; scheduling sends one follow-up visit for both.
    assert api.post(f"/actions/{second['id']}/claim", json={"note": "guard fitted"}).status_code == 200
    scheduled = sweep.schedule_follow_ups(session, at((2026, 11, 17)))
    assert len(scheduled.inspections) == 1 and scheduled.checks == 2
    assert sweep.schedule_follow_ups(session, at((2026, 11, 18))).checks == 0
    follow_up = api.get(f"/inspections/{scheduled.inspections[0]}").json()
    assert follow_up["type"] == "follow_up" and follow_up["lead_inspector_id"] == str(inspector.id)
    fu = f"/inspections/{follow_up['id']}/follow-up"
    ok = api.post(f"{fu}/{second['id']}", json={"result": "complied", "note": "seen"})
    assert ok.status_code == 200 and ok.json()["status"] == "complied", ok.text
    bad = api.post(f"{fu}/{first['id']}", json={"result": "not_complied", "note": "still missing"}).json()
    assert bad["status"] == "escalated" and bad["proposed_measure"] == "penalty"
    twice = api.post(f"{fu}/{first['id']}", json={"result": "complied"})
    assert twice.status_code == 409 and twice.json()["code"] == "follow_up.recorded"

    # The supervisor decides the penalty; an appeal suspends its payment deadline; upheld, it runs on.
    denied = api.post(f"/actions/{first['id']}/escalate", json={})
    assert denied.status_code == 403 and denied.json()["code"] == "action.decision_forbidden"
    penalty = desk.post(
        f"/actions/{first['id']}/escalate",
        json={
            "deadline_days": 15,
            "penalty_minor": 2_000_000,
            "penalty_article": "CN-LSSR Art. 30",
            "decision_number": "〔2026〕第0001号",
            "note": "not complied at follow-up",
        },
    ).json()
    assert penalty["measure"] == "penalty" and penalty["payment_status"] == "unpaid"
    assert penalty["currency"] == "CNY" and penalty["escalated_from_id"] == first["id"]
    assert penalty["violation_ids"] == [violations[ITEM]]
    deadline = date.fromisoformat(penalty["deadline"])
    appeal = desk.post(
        f"/actions/{penalty['id']}/appeals",
        json={
            "kind": "reconsideration",
            "lodged_on": deadline.replace(day=deadline.day - 5).isoformat(),
            "body": "区人民政府",
        },
    ).json()
    assert sweep.overdue_sweep(session, at((2027, 3, 1))).marked_overdue == []  # suspended while pending
    decided = desk.post(
        f"/appeals/{appeal['id']}/decide",
        json={"outcome": "upheld", "decided_on": "2027-03-01", "note": "decision upheld"},
    )
    assert decided.status_code == 200, decided.text
    resumed = desk.get(f"/actions/{penalty['id']}/appeals").json()[0]
    assert resumed["status"] == "upheld"
    held = next(a for a in api.get(f"/establishments/{world.factory.id}/orders").json() if a["id"] == penalty["id"])
    assert date.fromisoformat(held["deadline"]) == date(2027, 3, 6)  # five days left when lodged
    paid = desk.post(f"/actions/{penalty['id']}/payment", json={"status": "paid", "paid_on": "2027-03-04"})
    assert paid.status_code == 200 and paid.json()["status"] == "closed", paid.text
    final = {a["id"]: a for a in api.get(f"/establishments/{world.factory.id}/orders").json()}
    assert final[first["id"]]["status"] == "closed" and final[first["id"]]["escalated_to_id"] == penalty["id"]
    history = [(k, s) for k, s, _ in kinds(session, first["id"])]
    assert history == [
        ("record", "open"),
        ("overdue", "overdue"),
        ("follow_up_scheduled", "overdue"),
        ("not_complied", "escalated"),
        ("escalate", "escalated"),
        ("close", "closed"),
    ]
    assert kinds(session, first["id"])[1][2] is True  # the sweep: no actor
    assert [e["kind"] for e in api.get(f"/actions/{penalty['id']}/history").json()] == [
        "record",
        "appeal_lodged",
        "appeal_upheld",
        "payment",
    ]


def test_a_follow_up_on_a_simulated_device_closes_one_order_and_escalates_another(
    as_, inspector, world, checklist, session
):
    api = as_(inspector)
    insp = noncompliant_visit(api, world, checklist)
    ids = []
    for item in (ITEM, "ga.reg.06"):
        r = api.post(
            f"/inspections/{insp['id']}/actions",
            json={"measure": "order_to_rectify", "item_id": item, "deadline_days": 14},
        )
        ids.append(r.json()["id"])
    submit(api, insp)
    sweep.overdue_sweep(session, at((2026, 11, 20)))
    follow_up = str(sweep.schedule_follow_ups(session, at((2026, 11, 20))).inspections[0])
    tablet = Dev(as_, inspector)
    held = tablet.pull_all()
    assert held["inspection"][follow_up]["type"] == "follow_up"
    to_verify = sorted(k for k, a in held["action"].items() if a["verify_in"] == follow_up)
    assert to_verify == sorted(ids) and all(held["action"][i]["status"] == "overdue" for i in ids)
    done = tablet.send("follow_up.result", inspection_id=follow_up, action_id=ids[0], result="complied")
    assert done["outcome"] == "applied", done
    failed = tablet.send(
        "follow_up.result",
        inspection_id=follow_up,
        action_id=ids[1],
        result="not_complied",
        note="register still missing",
    )
    assert failed["outcome"] == "applied", failed
    again = tablet.send("follow_up.result", inspection_id=follow_up, action_id=ids[1], result="complied")
    assert again["outcome"] == "rejected" and again["reason"] == "exists"
    after = tablet.pull_all()["action"]
    assert after[ids[0]]["status"] == "complied" and after[ids[1]]["status"] == "escalated"
    assert after[ids[0]]["verify_in"] is None


def published(api, key):
    summary = next(c for c in api.get("/checklists").json() if c["key"] == key)
    return api.get(f"/checklists/{key}/{summary['version']}").json()


def test_wage_arrears_at_a_subcontractor_show_on_the_general_contractors_profile(as_, inspector, world):
    api = as_(inspector)
    r = api.post(
        f"/establishments/{world.building_site.id}/relations",
        json={"kind": "subcontracting", "partner_id": str(world.factory.id), "project": "Riverside Tower"},
    )
    assert r.status_code == 201 and r.json()["role"] == "general_contractor", r.text
    again = api.post(
        f"/establishments/{world.building_site.id}/relations",
        json={"kind": "subcontracting", "partner_id": str(world.factory.id), "project": "Riverside Tower"},
    )
    assert again.status_code == 409 and again.json()["code"] == "relation.exists"
    wages = published(api, "wages")
    visit = start(api, world.factory, wages)
    answer_all(api, visit, wages, status="non_compliant")
    submit(api, visit)
    contractor = api.get(f"/establishments/{world.building_site.id}/compliance").json()
    assert [(x["subcontractor_id"], x["item_id"]) for x in contractor["liabilities"]] == [
        (str(world.factory.id), "wa.pay.01"),
        (str(world.factory.id), "wa.pay.02"),
    ]
    provision = contractor["liabilities"][0]["provision"]
    assert provision["zh"] == "《保障农民工工资支付条例》第三十条第三款" and "先行清偿" in provision["text_zh"]
    sub = api.get(f"/establishments/{world.factory.id}/compliance").json()
    assert [(x["role"], x["other_id"]) for x in sub["relations"]] == [("subcontractor", str(world.building_site.id))]
    assert sub["visits"][0]["compliance_rate"] == 0.0 and sub["liabilities"] == []
    assert {e["kind"] for e in sub["timeline"]} == {"visit", "violation"}


def test_the_desk_queue_by_org_unit(as_, inspector, supervisor, world, checklist, session):
    api, desk = as_(inspector), as_(supervisor)
    insp = noncompliant_visit(api, world, checklist)
    order = api.post(
        f"/inspections/{insp['id']}/actions", json={"measure": "order_to_rectify", "item_id": ITEM, "deadline_days": 14}
    ).json()
    penalty = api.post(
        f"/inspections/{insp['id']}/actions",
        json={
            "measure": "penalty",
            "item_id": "ga.reg.06",
            "deadline_days": 15,
            "penalty_minor": 500_000,
            "decision_number": "〔2026〕第0002号",
        },
    ).json()
    submit(api, insp)
    desk.post(f"/actions/{penalty['id']}/appeals", json={"kind": "litigation", "lodged_on": "2026-11-10"})
    sweep.overdue_sweep(session, at((2026, 11, 20)))
    q = desk.get("/enforcement/queue", params={"org_unit_id": str(world.district.id)}).json()
    assert [a["id"] for a in q["overdue"]] == [order["id"]]
    assert [a["id"] for a in q["escalation_proposals"]] == [order["id"]]
    assert [a["id"] for a in q["appeals_pending"]] == [penalty["id"]]
    assert [a["id"] for a in q["penalties_unpaid"]] == [penalty["id"]] and q["penalties_unpaid"][0]["overdue"] is False
    elsewhere = as_(world.other_district_inspector).get("/enforcement/queue").json()
    assert elsewhere["overdue"] == [] and elsewhere["penalties_unpaid"] == []
    hidden = as_(world.other_district_inspector).get(
        "/enforcement/queue", params={"org_unit_id": str(world.district.id)}
    )
    assert hidden.status_code == 200 and hidden.json()["overdue"] == []


def test_a_supervisor_dismisses_the_proposed_escalation_with_a_reason(
    as_, inspector, supervisor, world, checklist, session
):
    api, desk = as_(inspector), as_(supervisor)
    insp = noncompliant_visit(api, world, checklist)
    order = api.post(
        f"/inspections/{insp['id']}/actions", json={"measure": "order_to_rectify", "item_id": ITEM, "deadline_days": 14}
    ).json()
    submit(api, insp)
    sweep.overdue_sweep(session, at((2026, 11, 20)))
    url = f"/actions/{order['id']}/escalation/dismiss"
    assert api.post(url, json={"reason": "no"}).json()["code"] == "action.decision_forbidden"
    empty = desk.post(url, json={"reason": "  "})
    assert empty.status_code == 422
    r = desk.post(url, json={"reason": "works started, a week's grace"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "overdue" and r.json()["proposed_measure"] is None
    again = desk.post(url, json={"reason": "twice"})
    assert again.status_code == 409 and again.json()["code"] == "action.no_proposal"
    q = desk.get("/enforcement/queue").json()
    assert [a["id"] for a in q["overdue"]] == [order["id"]] and q["escalation_proposals"] == []
    sweep.overdue_sweep(session, at((2026, 11, 21)))  # the sweep does not propose it again
    assert desk.get("/enforcement/queue").json()["escalation_proposals"] == []
    last = desk.get(f"/actions/{order['id']}/history").json()[-1]
    assert last["kind"] == "escalation_dismissed" and last["note"] == "works started, a week's grace"
    assert last["actor_id"] == str(supervisor.id) and last["details"] == {"proposed": "penalty"}
    escalated = desk.post(f"/actions/{order['id']}/escalate", json={})
    assert escalated.status_code == 422 and escalated.json()["code"] == "action.measure_required"


def test_the_sweep_compares_deadlines_with_each_districts_own_day(as_, inspector, world, checklist, session):
    """A deadline of 16 November passes at midnight in the district: in Shanghai at 16:00 UTC, but in a district
    working in America/Los_Angeles (UTC-8) not before 08:00 UTC on the 17th."""
    api = as_(inspector)
    insp = noncompliant_visit(api, world, checklist)
    order = api.post(
        f"/inspections/{insp['id']}/actions", json={"measure": "order_to_rectify", "item_id": ITEM, "deadline_days": 14}
    ).json()
    submit(api, insp)
    assert order["deadline"] == "2026-11-16"
    district = session.get(OrgUnit, world.district.id)  # this test's own copy (rolled back at teardown)
    district.time_zone = "America/Los_Angeles"
    session.add(district)
    session.flush()
    # 17 Nov 01:00 in Shanghai, still 16 Nov 09:00 in Los Angeles: not yet overdue there.
    assert sweep.overdue_sweep(session, datetime(2026, 11, 16, 17, 0, tzinfo=UTC)).marked_overdue == []
    # 17 Nov 00:30 in Los Angeles.
    late = sweep.overdue_sweep(session, datetime(2026, 11, 17, 8, 30, tzinfo=UTC))
    assert [str(a) for a in late.marked_overdue] == [order["id"]]
