"""The desk's session in real Chromium against the real backend (issue 16): used, it renews its access token
before it expires (the old token is then refused by the server); left alone, it signs itself out when the token
lapses, warning two minutes before with a button that extends it (WCAG 2.2.1). The browser's clock is Playwright's,
fast-forwarded; the server's is real."""

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.realbackend import run_backend
from tests.e2e.test_desk import SUPERVISOR, desk, sign_in

MINUTE_MS = 60_000


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[str]:
    yield from run_backend(tmp_path_factory.mktemp("backend-desk-session"), dist)


def saved_token(page: Page) -> str:
    return page.evaluate("JSON.parse(sessionStorage.getItem('li-desk-session')).accessToken")


def renewed_by(page: Page, old: str, minutes: int) -> str:
    """Runs the page's clock up to ``minutes`` on, 15 s at a time with a real pause between, so a renewal request
    completes before the page's own timers (its 30 s request timeout) run on; returns the saved token once new."""
    for _ in range(minutes * 4):
        page.clock.run_for(15_000)
        page.wait_for_timeout(150)
        token = saved_token(page)
        if token != old:
            return token
    raise AssertionError("the desk did not renew its token")


def me(url: str, token: str) -> httpx.Response:
    return httpx.get(f"{url}/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})


def test_a_used_desk_renews_its_token_and_an_idle_one_signs_out(browser: Browser, backend):
    context = desk(browser, backend)
    page = context.new_page()
    page.clock.install()
    sign_in(page, SUPERVISOR, "en")
    first = saved_token(page)
    assert me(backend, first).status_code == 200

    page.clock.run_for(10 * MINUTE_MS)  # far from expiry: nothing renewed, however active
    page.keyboard.press("Tab")
    page.clock.run_for(5 * MINUTE_MS)
    assert saved_token(page) == first

    second = renewed_by(page, first, 11)  # by 26 minutes in, after that activity: renewed once
    assert me(backend, second).status_code == 200
    refused = me(backend, first)
    assert refused.status_code == 401 and refused.json()["code"] == "auth.token_revoked"
    page.get_by_test_id("desk-nav-dashboard").click()  # the desk goes on working with the new token
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    third = renewed_by(page, second, 30)  # that click was activity: renewed once more when due

    # No activity since: two minutes before it lapses the desk warns, with focus on the one action that extends it.
    page.clock.run_for(27 * MINUTE_MS)
    warning = page.get_by_test_id("idle-warning")
    expect(warning).to_be_hidden()
    page.clock.run_for(2 * MINUTE_MS)
    expect(warning).to_have_attribute("role", "alertdialog")
    expect(warning).to_contain_text("signed out in about two minutes")
    expect(warning.get_by_role("button", name="Stay signed in")).to_be_focused()
    page.keyboard.press("Enter")
    fourth = renewed_by(page, third, 1)
    expect(warning).to_be_hidden()
    assert me(backend, fourth).status_code == 200

    page.clock.run_for(31 * MINUTE_MS)  # left alone again: warned, then it lapses and the desk signs out
    expect(page.get_by_label("E-mail")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('li-desk-session')") is None
    context.close()
