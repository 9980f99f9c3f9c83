"""End to end against the real backend: at the case desk (#/desk) a supervisor records an identified complaint,
triages and assigns it, opens its inspection, records the outcome and — refused until an admin grants it, then
audited — sees the contact to reply; notifies a fatal accident and opens its investigation, ranks the
district and assigns next month's first planned visit, and assigns a campaign's target — and the inspector's tablet
then holds all four inspections and nothing of the complainant (C81 Art. 15(c))."""

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.flows import idb_dump
from tests.e2e.realbackend import PASSWORD, db_rows, register, run_backend, tablet

NAME, PHONE = "Deskplanted Wu", "13655554444"


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-desk")
    for url in run_backend(tmp, dist):
        yield url, tmp


def test_the_desk_turns_a_complaint_an_accident_and_the_plan_into_inspections_on_the_tablet(browser, backend):
    url, tmp = backend
    db = tmp / "e2e.db"
    desk_context = browser.new_context(base_url=url, locale="en-GB", service_workers="block")
    desk_context.set_default_timeout(15_000)
    try:
        page = desk_context.new_page()
        page.goto("/#/desk/cases/complaints")
        page.get_by_label("E-mail").fill("supervisor@test.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        # The complaint, identified.
        page.get_by_test_id("intake-establishment").select_option(label="Riverside Garments")
        page.get_by_test_id("intake-summary").fill("Overtime unpaid; exits locked at night")
        page.get_by_test_id("matter-wages").check()
        page.get_by_test_id("intake-name").fill(NAME)
        page.get_by_test_id("intake-phone").fill(PHONE)
        page.get_by_test_id("intake-save").click()
        case = page.get_by_test_id("complaint").first
        expect(case.get_by_test_id("complaint-status")).to_have_text("Received")
        expect(page.locator("body")).not_to_contain_text(NAME)
        case.get_by_test_id("triage").click()
        expect(case.get_by_test_id("complaint-status")).to_have_text("Triaged")
        case = page.get_by_test_id("complaint").first
        case.get_by_test_id("assignee").select_option(label="Inspector")
        case.get_by_test_id("assign").click()
        expect(page.get_by_test_id("complaint").first.get_by_test_id("complaint-status")).to_have_text("Assigned")
        page.get_by_test_id("complaint").first.get_by_test_id("open-inspection").click()
        expect(page.get_by_test_id("complaint").first.get_by_test_id("complaint-status")).to_have_text(
            "Inspection opened"
        )
        # The outcome, then the reply: the contact shown only with an admin's grant, and audited.
        page.get_by_test_id("complaint").first.get_by_test_id("conclude").click()
        case = page.get_by_test_id("complaint").first
        expect(case.get_by_test_id("complaint-status")).to_have_text("Outcome recorded")
        case.get_by_placeholder("Why (recorded)").fill("to send the reply")
        case.get_by_test_id("reveal").click()
        expect(case.get_by_role("alert")).to_contain_text("complaint.reveal_forbidden")
        admin = httpx.post(f"{url}/api/v1/auth/token", data={"username": "admin@test.example", "password": PASSWORD})
        supervisor_id = db_rows(db, "SELECT id FROM user_account WHERE email = 'supervisor@test.example'")[0][0]
        grant = httpx.post(
            f"{url}/api/v1/complaints/reveal-grants",
            json={"user_id": str(uuid.UUID(supervisor_id))},
            headers={"Authorization": f"Bearer {admin.json()['access_token']}"},
        )
        assert grant.status_code == 201, grant.text
        case.get_by_test_id("reveal").click()
        expect(case.get_by_test_id("contact")).to_have_text(f"{NAME} · {PHONE}")
        case.get_by_test_id("reply").click()
        expect(page.get_by_test_id("complaint").first.get_by_test_id("complaint-status")).to_have_text("Closed")
        # The accident: one person killed, a general accident, and its investigation.
        page.get_by_test_id("desk-accidents").click()
        page.get_by_test_id("accident-establishment").select_option(label="Riverside Tower Site")
        page.get_by_test_id("accident-when").fill("2026-11-30T08:15")
        page.get_by_test_id("person").first.get_by_test_id("fatal").check()
        page.get_by_test_id("accident-save").click()
        accident = page.get_by_test_id("accident").first
        expect(accident.get_by_test_id("accident-class")).to_have_text("General accident")
        accident.get_by_test_id("investigate").click()
        expect(page.get_by_test_id("investigation-open")).to_be_visible()
        # The plan: the district ranked, next month's plan, its first visit assigned.
        page.get_by_test_id("desk-plan").click()
        page.get_by_test_id("plan-district").select_option(label="Riverside")
        expect(page.get_by_test_id("ranked")).to_have_count(2)
        # Each score explained in the user's language: the components' names, bases and rules (en, then zh).
        expect(page.get_by_test_id("ranked").first).to_contain_text("Sector hazard")
        expect(page.get_by_test_id("ranked").first).to_contain_text("workers")
        page.get_by_test_id("score-rules").locator("summary").click()
        expect(page.get_by_test_id("score-rules")).to_contain_text("Years since the last visit, at most 5")
        page.get_by_test_id("lang").click()
        expect(page.get_by_test_id("ranked").first).to_contain_text("行业危险程度")
        expect(page.get_by_test_id("ranked").first).to_contain_text("职工")
        expect(page.get_by_test_id("ranked").first).not_to_contain_text("workers")
        expect(page.get_by_test_id("score-rules")).to_contain_text("距上次检查的年数，最高5分")
        page.get_by_test_id("lang").click()
        page.get_by_test_id("build-plan").click()
        page.get_by_test_id("plan-lead").select_option(label="Inspector")
        page.get_by_test_id("assign-visit").first.click()
        expect(page.get_by_test_id("visit-assigned")).to_have_count(1)
        # A campaign over one establishment, its target assigned.
        page.get_by_test_id("desk-campaigns").click()
        page.get_by_test_id("campaign-name").fill("Wage week")
        page.get_by_test_id("campaign-checklist").select_option(value="wages")
        page.get_by_role("checkbox", name="Riverside Garments").check()
        page.get_by_test_id("campaign-save").click()
        page.get_by_test_id("campaign-lead").select_option(label="Inspector")
        page.get_by_test_id("assign-target").click()
        expect(page.get_by_test_id("campaign-progress")).to_have_text(
            "1 of 1 assigned · 0 started · 0 submitted · 0 approved"
        )
    finally:
        desk_context.close()

    types = sorted(r[0] for r in db_rows(db, "SELECT type FROM inspection"))
    assert types == ["accident", "campaign", "complaint", "planned"]
    assert db_rows(db, "SELECT count(*) FROM complaint WHERE complainant_token IS NOT NULL")[0][0] == 1
    audit = json.dumps(db_rows(db, "SELECT action, details FROM audit_event"))
    assert "complainant.reveal" in audit and NAME not in audit and PHONE not in audit

    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        held = {i["type"] for i in idb_dump(page, "inspections")}
        assert held == {"accident", "campaign", "complaint", "planned"}
        everything = json.dumps([idb_dump(page, s) for s in ("inspections", "establishments", "outbox", "meta")])
        assert NAME not in everything and PHONE not in everything and "Overtime unpaid" not in everything
    finally:
        context.close()
