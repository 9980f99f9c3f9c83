"""The PWA against the real backend: served at /, sign-in, device registration, reference data, offline start."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import PORTRAIT
from tests.e2e.flows import wait_for_service_worker
from tests.e2e.realbackend import INSPECTOR, PASSWORD, run_backend


@pytest.fixture(scope="module")
def backend_url(tmp_path_factory, dist) -> Iterator[str]:
    yield from run_backend(tmp_path_factory.mktemp("backend"), dist)


def test_sign_in_register_download_and_start_offline_on_the_real_backend(browser: Browser, backend_url):
    context = browser.new_context(
        base_url=backend_url,
        viewport=PORTRAIT,
        geolocation={"latitude": 39.9, "longitude": 116.4, "accuracy": 20},
        permissions=["geolocation"],
    )
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_label("E-mail").fill(INSPECTOR)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("button", name="Register this tablet").click()
        expect(page.get_by_role("heading", name="Hello, Inspector")).to_be_visible()
        wait_for_service_worker(page)
        [device] = [m["value"] for m in page.evaluate("window.__li.dump('meta')") if m["key"] == "device"]
        assert device["user"]["email"] == INSPECTOR and device["token"]
        assert len(page.evaluate("window.__li.dump('checklists')")) >= 5
        names = {e["name"] for e in page.evaluate("window.__li.dump('establishments')")}
        assert "Riverside Garments" in names and "Hillside Electronics" not in names  # scoped to the district

        context.set_offline(True)
        page.get_by_role("link", name="Establishments", exact=True).first.click()
        page.get_by_test_id("est-search").fill("riverside garm")
        page.get_by_role("link", name="Riverside Garments").click()
        page.get_by_test_id("start-inspection").click()
        expect(page.get_by_text("Suggested").first).to_be_visible()
        page.get_by_test_id("start").click()
        first = page.get_by_test_id("item-card").first
        first.get_by_role("button", name="Compliant", exact=True).click()
        expect(first.get_by_role("button", name="Compliant", exact=True)).to_have_attribute("aria-pressed", "true")

        page.reload()  # offline, from the service worker
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Unlock").click()
        expect(page.get_by_test_id("progress")).to_contain_text("1 of")
    finally:
        context.close()
