"""Sign-out revokes the credential at the server before anything local is cleared (hardening, issue 21): the
tablet's device token, and the desk's access token, no longer work afterwards; offline, the tablet refuses to
sign out (its token could not be revoked) and keeps its data."""

import json
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.realbackend import PASSWORD, db_rows, register, run_backend, tablet


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, object]]:
    tmp = tmp_path_factory.mktemp("backend")
    for url in run_backend(tmp, dist):
        yield url, tmp


def me(url: str, token: str) -> httpx.Response:
    return httpx.get(f"{url}/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})


def test_the_tablets_sign_out_revokes_its_device_token_and_refuses_offline(browser: Browser, backend):
    url, tmp = backend
    context = tablet(browser, url)
    try:
        page = context.new_page()
        device_id = register(page)
        [device] = [m["value"] for m in page.evaluate("window.__li.dump('meta')") if m["key"] == "device"]
        token = device["token"]
        assert me(url, token).status_code == 200

        context.set_offline(True)  # the token cannot be revoked: nothing is deleted
        page.get_by_test_id("signout").click()
        page.get_by_role("alertdialog").get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("alert")).to_contain_text("Cannot sign out now")
        assert [m for m in page.evaluate("window.__li.dump('meta')") if m["key"] == "device"]
        assert me(url, token).status_code == 200

        context.set_offline(False)
        page.get_by_role("alert").get_by_role("button", name="Close").click()
        page.get_by_test_id("signout").click()
        page.get_by_role("alertdialog").get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        dead = me(url, token)
        assert dead.status_code == 401 and dead.json()["code"] == "device.wipe", dead.text
        pushed = httpx.post(f"{url}/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"},
                            json={"device_id": device_id})  # fmt: skip
        assert pushed.status_code == 401
        assert db_rows(tmp / "e2e.db", "SELECT revoked_at FROM device WHERE id = ?", device_id.replace("-", ""))[0][0]
        actions = {a for (a,) in db_rows(tmp / "e2e.db", "SELECT action FROM audit_event")}
        assert {"auth.sign_out", "device.revoke"} <= actions
        assert page.evaluate("window.__li.dump('meta')") == []  # and only then was the tablet wiped
    finally:
        context.close()


def test_the_desks_sign_out_revokes_its_access_token(browser: Browser, backend):
    url, _ = backend
    context = browser.new_context(base_url=url, locale="en-GB", service_workers="block")
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/#/desk")
        page.get_by_label("E-mail").fill("supervisor@test.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        signed_out = page.get_by_role("button", name="Sign out")
        expect(signed_out).to_be_visible()
        token = json.loads(page.evaluate("sessionStorage.getItem('li-desk-session')"))["accessToken"]
        assert me(url, token).status_code == 200
        signed_out.click()
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        dead = me(url, token)
        assert dead.status_code == 401 and dead.json()["code"] == "auth.token_revoked", dead.text
        assert page.evaluate("sessionStorage.getItem('li-desk-session')") is None
    finally:
        context.close()
