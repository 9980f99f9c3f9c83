"""End to end against the real backend: at the case desk a supervisor notifies an occupational disease case (the
disease, the exposure, the diagnosis date, the person without a name) and finds it listed, in English and Chinese;
an inspector notifies one on the tablet offline, sent at the next sync; the server holds both as sent (read back
through the API)."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.flows import OUTBOX_EMPTY, idb_dump, wait_until
from tests.e2e.realbackend import ESTABLISHMENT, INSPECTOR, PASSWORD, register, run_backend, tablet

SUPERVISOR = "supervisor@test.example"


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-disease")
    for url in run_backend(tmp, dist):
        yield url, tmp


def test_a_disease_case_notified_at_the_desk_is_listed_in_both_languages(browser: Browser, backend):
    url, _ = backend
    context = browser.new_context(base_url=url, locale="en-GB", service_workers="block")
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/")
        page.evaluate("localStorage.setItem('li-lang', 'en')")
        page.goto("/#/desk/cases/diseases")
        page.get_by_label("E-mail").fill(SUPERVISOR)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_test_id("desk-diseases").click()
        expect(page.get_by_role("heading", name="Occupational disease cases", exact=True)).to_be_visible()
        expect(page.get_by_text("No occupational disease case yet.")).to_be_visible()
        expect(page.get_by_test_id("disease-save")).to_be_disabled()
        page.get_by_label("Establishment").select_option(label=ESTABLISHMENT)
        page.get_by_label("Disease (as diagnosed)").fill("Silicosis")
        page.get_by_label("Exposure (the agent or work it came from)").fill("Silica dust, sandblasting")
        page.get_by_label("Years of exposure").fill("11")
        page.get_by_label("Date of diagnosis").fill("2026-10-01")
        expect(page.get_by_test_id("disease-save")).to_be_disabled()  # the sex and age group are never assumed
        expect(page.get_by_test_id("disease-person-hint")).to_contain_text("Choose the person's sex and age group")
        page.get_by_label("Sex").select_option(label="Female")
        page.get_by_label("Age group").select_option(value="45_54")
        page.get_by_label("Occupation (ISCO-08 code, optional)").fill("81x")
        expect(page.get_by_test_id("disease-save")).to_be_disabled()  # not an ISCO code
        page.get_by_label("Occupation (ISCO-08 code, optional)").fill("7133")
        page.get_by_test_id("disease-save").click()
        row = page.get_by_test_id("disease-case")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Silicosis")
        expect(row).to_contain_text(ESTABLISHMENT)
        expect(row).to_contain_text("11 years")
        expect(row).to_contain_text("ISCO 7133")
        expect(page.get_by_label("Disease (as diagnosed)")).to_have_value("")  # the form is ready for the next

        page.get_by_test_id("lang").click()
        expect(page.get_by_role("heading", name="职业病病例", exact=True)).to_be_visible()
        expect(row).to_contain_text("女")
        expect(row).to_contain_text("11 年")
        expect(page.get_by_label("疾病名称（按诊断）")).to_be_visible()
        page.get_by_test_id("lang").click()
    finally:
        context.close()

    token = httpx.post(f"{url}/api/v1/auth/token", data={"username": SUPERVISOR, "password": PASSWORD})
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    [case] = httpx.get(f"{url}/api/v1/disease-cases", headers=bearer).json()
    assert (case["disease"], case["exposure"], case["exposure_years"]) == ("Silicosis", "Silica dust, sandblasting", 11)
    assert (case["diagnosed_on"], case["sex"], case["age_group"], case["occupation"], case["fatal"]) == (
        "2026-10-01", "female", "45_54", "7133", False,
    )  # fmt: skip


def test_a_disease_case_notified_offline_on_the_tablet_reaches_the_office(browser: Browser, backend):
    url, _ = backend
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        context.set_offline(True)
        page.get_by_role("link", name="Establishments", exact=True).first.click()
        page.get_by_test_id("est-search").fill(ESTABLISHMENT)
        page.get_by_role("link", name=ESTABLISHMENT).first.click()
        page.get_by_test_id("report-disease").click()
        expect(page.get_by_role("heading", name="Notify an occupational disease case")).to_be_visible()
        expect(page.get_by_test_id("disease-save")).to_be_disabled()
        page.get_by_label("Disease (as diagnosed)").fill("Noise-induced deafness")
        page.get_by_label("Exposure (the agent or work it came from)").fill("Looms, 95 dB")
        page.get_by_label("Years of exposure").fill("14")
        page.get_by_label("Date of diagnosis").fill("2026-11-20")
        page.get_by_label("Age group").select_option(value="55_64")
        page.get_by_label("Occupation (ISCO-08 code, optional)").fill("8152")
        expect(page.get_by_test_id("disease-save")).to_be_disabled()  # a skipped sex is not counted as male
        expect(page.get_by_test_id("disease-person-hint")).to_contain_text("Choose the person's sex and age group")
        page.get_by_label("Sex").select_option(label="Male")
        expect(page.get_by_test_id("disease-person-hint")).to_have_count(0)
        for testid in ("disease-name", "disease-sex", "disease-save"):
            box = page.get_by_test_id(testid).bounding_box()
            assert box is not None and box["height"] >= 48, testid
        page.get_by_test_id("disease-save").click()
        expect(page.get_by_test_id("disease-queued")).to_be_visible()
        [entry] = [e for e in idb_dump(page, "outbox") if e["name"] == "disease.report"]
        assert entry["args"]["disease"] == "Noise-induced deafness"

        context.set_offline(False)
        page.evaluate("window.__li.syncNow()")
        wait_until(page, OUTBOX_EMPTY)
        assert idb_dump(page, "outcomes") == []
    finally:
        context.close()

    token = httpx.post(f"{url}/api/v1/auth/token", data={"username": INSPECTOR, "password": PASSWORD})
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    [case] = [c for c in httpx.get(f"{url}/api/v1/disease-cases", headers=bearer).json() if c["exposure_years"] == 14]
    assert (case["disease"], case["exposure"], case["diagnosed_on"], case["sex"], case["age_group"]) == (
        "Noise-induced deafness", "Looms, 95 dB", "2026-11-20", "male", "55_64",
    )  # fmt: skip
    assert case["occupation"] == "8152" and case["fatal"] is False
