"""End to end against the real backend: a complaint and an accident recorded on the tablet while offline reach the
server at the next sync — the complaint as an anonymous one (the tablet never asks for, nor holds, who complained),
the accident classed by the server from its persons."""

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.flows import OUTBOX_EMPTY, idb_dump, wait_until
from tests.e2e.realbackend import CHECKLIST, ESTABLISHMENT, INSPECTOR, PASSWORD, db_rows, register, run_backend, tablet


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-complaint")
    for url in run_backend(tmp, dist):
        yield url, tmp


def test_a_complaint_recorded_offline_reaches_the_desk(browser: Browser, backend):
    url, tmp = backend
    db = tmp / "e2e.db"
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        context.set_offline(True)
        page.get_by_role("link", name="Establishments", exact=True).first.click()
        page.get_by_test_id("est-search").fill(ESTABLISHMENT)
        page.get_by_role("link", name=ESTABLISHMENT).first.click()
        page.get_by_test_id("record-complaint").click()
        expect(page.get_by_test_id("complaint-privacy")).to_contain_text("taken at the office")
        expect(page.get_by_test_id("complaint-save")).to_be_disabled()
        page.get_by_test_id("complaint-summary").fill("Night shift exits are chained shut")
        page.get_by_test_id("complaint-save").click()
        expect(page.get_by_test_id("complaint-saved")).to_be_visible()
        [entry] = [e for e in idb_dump(page, "outbox") if e["name"] == "complaint.create"]
        assert set(entry["args"]) == {
            "complaint_id", "establishment_id", "summary", "received_on", "confidential", "matters", "channel",
        }  # fmt: skip
        assert db_rows(db, "SELECT count(*) FROM complaint")[0][0] == 0

        context.set_offline(False)
        page.evaluate("window.__li.syncNow()")
        wait_until(page, OUTBOX_EMPTY)
        [(summary, anonymous, token, confidential)] = db_rows(
            db, "SELECT summary, anonymous, complainant_token, confidential FROM complaint"
        )
        assert (summary, anonymous, token, confidential) == ("Night shift exits are chained shut", 1, None, 1)
    finally:
        context.close()


def test_a_complaint_about_an_unregistered_workplace_with_its_matters_and_channel(browser: Browser, backend):
    """Offline: a workplace not in the register (name, address, how to find it), the matters alleged as checklist
    areas and the channel; after sync the server holds them as the desk intake would, read back through the API."""
    url, _ = backend
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        context.set_offline(True)
        page.get_by_role("link", name="Establishments", exact=True).first.click()
        page.get_by_test_id("record-unregistered-complaint").click()
        expect(page.get_by_role("heading", name="Record a complaint about an unregistered workplace")).to_be_visible()
        page.get_by_test_id("complaint-summary").fill("Children sew at night")
        expect(page.get_by_test_id("complaint-save")).to_be_disabled()  # no workplace named yet
        page.get_by_test_id("workplace-name").fill("Back-street workshop")
        page.get_by_test_id("workplace-address").fill("Lane 4, behind the market")
        page.get_by_test_id("workplace-description").fill("Blue door, second floor")
        page.get_by_test_id("complaint-channel").select_option(label="By phone")
        page.get_by_label(CHECKLIST).check()
        box = page.get_by_label(CHECKLIST).locator("xpath=..").bounding_box()
        assert box is not None and box["height"] >= 48  # the whole label line is the target
        page.get_by_test_id("complaint-save").click()
        expect(page.get_by_test_id("complaint-saved")).to_be_visible()
        [entry] = [e for e in idb_dump(page, "outbox") if e["name"] == "complaint.create"]
        assert "establishment_id" not in entry["args"] and entry["args"]["channel"] == "phone"

        context.set_offline(False)
        page.evaluate("window.__li.syncNow()")
        wait_until(page, OUTBOX_EMPTY)
        assert idb_dump(page, "outcomes") == []
        token = httpx.post(f"{url}/api/v1/auth/token", data={"username": INSPECTOR, "password": PASSWORD})
        bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
        api = httpx.Client(base_url=f"{url}/api/v1", headers=bearer)
        [row] = [c for c in api.get("/complaints").json()["items"] if c["summary"] == "Children sew at night"]
        assert row["establishment_id"] is None and row["workplace_name"] == "Back-street workshop"
        assert row["workplace_address"] == "Lane 4, behind the market"
        assert row["workplace_description"] == "Blue door, second floor"
        assert row["channel"] == "phone" and row["anonymous"] is True and len(row["matters"]) == 1
        me = api.get("/users/me").json()
        assert row["district_id"] in me["org_unit_ids"]
        checklists = {c["title"]["en"]: c["key"] for c in api.get("/checklists").json()}
        assert row["matters"] == [checklists[CHECKLIST]]
    finally:
        context.close()
    # At the desk the complaint shows where to find the workplace: its name, address and description.
    desk = browser.new_context(base_url=url, locale="en-GB", service_workers="block")
    desk.set_default_timeout(15_000)
    try:
        page = desk.new_page()
        page.goto("/#/desk/cases/complaints")
        page.get_by_label("E-mail").fill("supervisor@test.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        case = page.get_by_test_id("complaint").filter(has_text="Children sew at night")
        expect(case).to_contain_text("Back-street workshop")
        expect(case.get_by_test_id("complaint-workplace-address")).to_have_text("Lane 4, behind the market")
        expect(case.get_by_test_id("complaint-workplace-description")).to_have_text("Blue door, second floor")
    finally:
        desk.close()


def test_an_accident_reported_offline_is_classed_at_the_office(browser: Browser, backend):
    url, tmp = backend
    db = tmp / "e2e.db"
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        context.set_offline(True)
        page.get_by_role("link", name="Establishments", exact=True).first.click()
        page.get_by_test_id("est-search").fill(ESTABLISHMENT)
        page.get_by_role("link", name=ESTABLISHMENT).first.click()
        page.get_by_test_id("report-accident").click()
        expect(page.get_by_test_id("accident-save")).to_be_disabled()
        page.get_by_test_id("accident-when").fill("2026-11-30T08:15")
        for _ in range(2):
            page.get_by_role("button", name="Add a person").click()
        for i in range(3):
            page.get_by_test_id("person").nth(i).get_by_test_id("fatal").check()
        page.get_by_test_id("accident-save").click()
        expect(page.get_by_test_id("accident-queued")).to_be_visible()
        assert db_rows(db, "SELECT count(*) FROM accident")[0][0] == 0

        context.set_offline(False)
        page.evaluate("window.__li.syncNow()")
        wait_until(page, OUTBOX_EMPTY)
        [(deaths, cls, commuting)] = db_rows(db, "SELECT deaths, accident_class, commuting FROM accident")
        assert (deaths, cls, commuting) == (3, "larger", 0)
        assert db_rows(db, "SELECT count(*) FROM accident_person")[0][0] == 3
    finally:
        context.close()


def test_a_refused_complaint_and_accident_report_are_named_in_their_own_words(browser: Browser, backend):
    """Taken offline about an establishment that then leaves the inspector's area (a registry correction at the
    office): at sync the server refuses both, and the home screen says so per change, in English and Chinese,
    with a way to take them again."""
    url, tmp = backend
    db = tmp / "e2e.db"
    context = tablet(browser, url)
    move = "UPDATE establishment SET district_id = (SELECT id FROM org_unit WHERE code = ?) WHERE name = ?"
    try:
        page = context.new_page()
        register(page)
        context.set_offline(True)
        page.get_by_role("link", name="Establishments", exact=True).first.click()
        page.get_by_test_id("est-search").fill(ESTABLISHMENT)
        page.get_by_role("link", name=ESTABLISHMENT).first.click()
        page.get_by_test_id("record-complaint").click()
        page.get_by_test_id("complaint-summary").fill("Wages held back for three months")
        page.get_by_test_id("complaint-save").click()
        expect(page.get_by_test_id("complaint-saved")).to_be_visible()
        page.go_back()
        page.get_by_test_id("report-accident").click()
        page.get_by_test_id("accident-when").fill("2026-11-30T08:15")
        page.get_by_test_id("accident-save").click()
        expect(page.get_by_test_id("accident-queued")).to_be_visible()
        with sqlite3.connect(db, timeout=10) as conn:
            conn.execute(move, ("310101", ESTABLISHMENT))  # to the other province's district

        context.set_offline(False)
        page.evaluate("window.__li.syncNow()")
        wait_until(page, OUTBOX_EMPTY)
        page.goto(f"{url}/#/")
        refusals = page.get_by_test_id("refusal")
        expect(refusals).to_have_count(2)
        complaint = refusals.filter(has_text="A complaint was refused")
        expect(complaint).to_contain_text(ESTABLISHMENT)
        expect(complaint).to_contain_text("The establishment is not in your area any more")
        expect(complaint.get_by_test_id("refusal-retake")).to_have_text("Record the complaint again")
        accident = refusals.filter(has_text="An accident report was refused")
        expect(accident).to_contain_text("Report the accident to the office")
        expect(accident).not_to_contain_text("not_found")
        page.get_by_test_id("lang").click()
        expect(refusals.filter(has_text="一项投诉未被受理")).to_contain_text("该单位已不在您的管辖范围内")
        expect(refusals.filter(has_text="一份事故报告未被接受")).to_contain_text("请向办公室报告该事故")
        page.get_by_test_id("lang").click()
        box = complaint.get_by_test_id("refusal-retake").bounding_box()
        assert box is not None and box["height"] >= 48
        assert db_rows(db, "SELECT count(*) FROM complaint WHERE summary = ?", "Wages held back for three months") == [
            (0,)
        ]
    finally:
        with sqlite3.connect(db, timeout=10) as conn:
            conn.execute(move, ("110101", ESTABLISHMENT))
        context.close()
