"""The PWA against the real backend: served at /, sign-in, device registration, reference data, offline start."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.realbackend import INSPECTOR, PASSWORD, register, run_backend, tablet


@pytest.fixture(scope="module")
def backend_url(tmp_path_factory, dist) -> Iterator[str]:
    yield from run_backend(tmp_path_factory.mktemp("backend"), dist)


def test_sign_in_register_download_and_start_offline_on_the_real_backend(browser: Browser, backend_url):
    context = tablet(browser, backend_url)
    try:
        page = context.new_page()
        register(page)
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
        # The server's official citation form and the measure this inspectorate can take (checklists/present.py).
        first.get_by_role("button", name="Guidance and legal basis").click()
        expect(first.locator(".legal")).to_contain_text(", Art. ")
        expect(first.get_by_test_id("usual-measure")).to_contain_text("Usual measure: ")

        page.reload()  # offline, from the service worker
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Unlock").click()
        expect(page.get_by_test_id("progress")).to_contain_text("1 of")
    finally:
        context.close()
