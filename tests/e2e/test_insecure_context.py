"""Opened over plain HTTP under a LAN name (not localhost: no secure context), the field app explains in English
and Chinese what is wrong and how to fix it, instead of failing on "Register this tablet" with a TypeError;
on 127.0.0.1 (a secure context) the app itself starts, with its iPad home-screen icon."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.fakeapi import StaticServer


@pytest.fixture(scope="module")
def lan_browser(playwright_session: Playwright) -> Iterator[Browser]:
    # inspection.lan resolves to this machine, as a tablet on the local network would reach the server.
    args = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP inspection.lan 127.0.0.1"]
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
    yield browser
    browser.close()


def test_plain_http_from_another_host_is_explained(lan_browser: Browser, server: StaticServer) -> None:
    port = server.server_address[1]
    context = lan_browser.new_context(locale="en-GB")
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"http://inspection.lan:{port}/")
    assert page.evaluate("isSecureContext") is False
    alert = page.get_by_role("alert")
    alert.wait_for(timeout=10_000)
    text = alert.inner_text()
    assert "This address cannot run the field app" in text and "此地址无法运行外勤应用" in text
    assert f"http://inspection.lan:{port}" in text and "https://inspection.lan" in text
    assert page.evaluate("navigator.serviceWorker === undefined || navigator.serviceWorker.controller === null")
    assert errors == []
    context.close()


def test_a_secure_context_starts_the_app(lan_browser: Browser, server: StaticServer) -> None:
    context = lan_browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(server.url + "/")
    assert page.evaluate("isSecureContext") is True
    page.wait_for_selector("#app *", timeout=10_000)
    assert page.get_by_role("alert").filter(has_text="cannot run the field app").count() == 0
    # The iPad's home screen: an apple-touch-icon PNG of 180 px (Safari ignores the SVG), opened standalone.
    icon = page.evaluate("document.querySelector('link[rel=apple-touch-icon]').href")
    png = page.request.get(icon).body()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[16:24] == (180).to_bytes(4, "big") * 2
    assert page.evaluate("document.querySelector('meta[name=apple-mobile-web-app-capable]').content") == "yes"
    context.close()
