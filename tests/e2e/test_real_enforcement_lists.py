"""End to end against the real backend: at the desk the supervisor lists every measure of the area by state and
kind (paged) and every violation (provision, severity, repeat, state), by keyboard, in English and Chinese, on a
1280 px and a 1920 px screen; a row leads to the establishment's timeline and to the inspection."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.backend.test_inspections import answer_all, start
from tests.e2e.realbackend import ESTABLISHMENT, INSPECTOR, PASSWORD, run_backend
from tests.e2e.test_real_enforcement_desk import sweep, token

ITEM = "ga.est.01"


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-enforcement-lists")
    for url in run_backend(tmp, dist):
        yield url, tmp


def a_visit_with_measures(url: str) -> dict:
    """A submitted visit, every item non-compliant (its violations), a late order and 26 pieces of advice."""
    api = httpx.Client(base_url=f"{url}/api/v1", headers=token(url, INSPECTOR), timeout=30)
    summary = next(c for c in api.get("/checklists").json() if c["key"] == "general-administration")
    checklist = api.get(f"/checklists/{summary['key']}/{summary['version']}").json()
    factory = next(e for e in api.get("/establishments").json()["items"] if e["name"] == ESTABLISHMENT)
    started = (datetime.now(UTC) - timedelta(days=40)).isoformat()
    insp = start(api, SimpleNamespace(id=factory["id"]), checklist, started_at=started)
    answer_all(api, insp, checklist, status="non_compliant")
    actions = f"/inspections/{insp['id']}/actions"
    order = api.post(actions, json={"measure": "order_to_rectify", "item_id": ITEM, "deadline_days": 14}).json()
    advice = [api.post(actions, json={"measure": "advice", "text": f"advice {n}"}).json() for n in range(26)]
    r = api.post(f"/inspections/{insp['id']}/submit", json={})
    assert r.status_code == 200, r.text
    violations = api.get(f"/inspections/{insp['id']}/violations").json()
    return {"inspection": insp, "factory": factory, "order": order, "advice": advice, "violations": violations}


def apply(page: Page, label: str, value: str) -> None:
    """Choose a filter (the select of that label) and apply it, by keyboard."""
    field = page.locator("form[role=search] label").filter(has_text=label).locator("select")
    field.focus()
    field.select_option(value)
    page.get_by_role("button", name="Apply filters").focus()
    page.keyboard.press("Enter")


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_desk_lists_measures_by_state_and_violations_with_links_to_the_timeline(browser: Browser, backend):
    url, tmp = backend
    made = a_visit_with_measures(url)
    order, factory, insp = made["order"], made["factory"], made["inspection"]
    assert sweep(tmp).startswith("1 overdue")
    context = browser.new_context(
        base_url=url, locale="en-GB", service_workers="block", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/#/desk/cases/measures")
        page.get_by_label("E-mail").fill("supervisor@test.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Measures in your area")).to_be_visible()
        count = page.get_by_test_id("list-count")
        expect(count).to_have_text("1–25 of 27")  # newest first, 25 a page
        no_sideways_scroll(page)
        page.get_by_role("button", name="Next page").click()
        expect(count).to_have_text("26–27 of 27")
        apply(page, "State", "overdue")
        expect(count).to_have_text("1–1 of 1")
        row = page.get_by_test_id(f"measure-{order['id']}")
        expect(row).to_contain_text("Order to rectify")
        expect(row).to_contain_text("overdue")
        expect(row).to_contain_text(ITEM)
        apply(page, "State", "")
        apply(page, "Measure", "advice")
        expect(count).to_have_text("1–25 of 26")
        apply(page, "Establishment", factory["id"])
        expect(count).to_have_text("1–25 of 26")
        apply(page, "District", factory["district_id"])
        expect(count).to_have_text("1–25 of 26")
        apply(page, "State", "withdrawn")
        expect(count).to_have_text("None")

        page.get_by_test_id("desk-violations").click()
        expect(page.get_by_role("heading", name="Violations in your area")).to_be_visible()
        violations = made["violations"]
        cited = next(v for v in violations if v["item_id"] == ITEM)
        line = page.get_by_test_id(f"violation-{cited['id']}")
        expect(line).to_contain_text(cited["provisions"][0]["en"])
        expect(line).to_contain_text("overdue")  # the state of the order that addresses it
        expect(line.get_by_role("cell", name="No", exact=True)).to_have_count(1)  # not a repeat
        severity = cited["severity"]
        apply(page, "Severity", severity)
        n = sum(v["severity"] == severity for v in violations)
        expect(count).to_have_text(f"1–{n} of {n}")
        apply(page, "Repeat", "true")
        expect(count).to_have_text("None")
        apply(page, "Repeat", "")

        context.pages[0].set_viewport_size({"width": 1920, "height": 1080})
        no_sideways_scroll(page)
        page.get_by_test_id("lang").click()
        expect(page.get_by_role("heading", name="辖区内的违法行为")).to_be_visible()
        expect(line).to_contain_text(cited["provisions"][0]["zh"])
        page.get_by_test_id("lang").click()

        # The row leads to the establishment's timeline, and from there to the inspection.
        line.get_by_role("link", name=ESTABLISHMENT).focus()
        page.keyboard.press("Enter")
        timeline = page.get_by_test_id("establishment-timeline")
        expect(timeline.get_by_role("heading", name=f"Compliance history: {ESTABLISHMENT}")).to_be_visible()
        expect(timeline.get_by_test_id(f"tl-violation-{cited['id']}")).to_contain_text(ITEM)
        expect(timeline.get_by_test_id(f"tl-measure-{order['id']}")).to_contain_text("Order to rectify · overdue")
        timeline.get_by_test_id(f"tl-visit-{insp['id']}").get_by_role("link").click()
        expect(page).to_have_url(f"{url}/#/desk/inspection/{insp['id']}")
    finally:
        context.close()
