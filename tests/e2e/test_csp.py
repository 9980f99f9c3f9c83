"""The app under its Content-Security-Policy in real Chromium (issue 21): sign-in, device registration and the
first sync report no violation, and the policy is really active (an injected inline script is refused and
reported). The Swagger UI page runs its inline script under its own hashed policy."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.e2e.realbackend import register, run_backend, tablet

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def backend_url(tmp_path_factory, dist) -> Iterator[str]:
    yield from run_backend(tmp_path_factory.mktemp("backend"), dist)


def test_the_app_runs_under_its_policy_with_no_violation(browser: Browser, backend_url):
    context = tablet(browser, backend_url)
    context.add_init_script(WATCH)
    console: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: console.append(m.text))
        first = page.goto("/")
        assert first is not None and "frame-ancestors 'none'" in first.headers["content-security-policy"]
        register(page)  # sign-in, registration, service worker, hashing worker, first sync
        page.get_by_role("link", name="Establishments", exact=True).first.click()
        page.get_by_test_id("est-search").fill("riverside")
        assert page.evaluate("window.__csp") == []
        assert not [m for m in console if "Content Security Policy" in m], console
        # The policy is active: an injected inline script does not run and is reported.
        page.evaluate("""() => { const s = document.createElement('script');
            s.textContent = 'window.__ran = true'; document.body.appendChild(s); }""")
        page.wait_for_function("window.__csp.length > 0", timeout=5000)
        assert page.evaluate("window.__ran") is None
        assert page.evaluate("window.__csp")[0].startswith("script-src")
    finally:
        context.close()


def test_the_docs_page_runs_its_inline_script_under_its_own_policy(browser: Browser, backend_url):
    context = browser.new_context(base_url=backend_url)
    context.add_init_script(WATCH)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto("/api/docs")
        # The inline script starts Swagger UI (its assets served by the app): the operations render.
        page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
        assert page.evaluate("window.__csp") == [], "the inline script and the app's own assets are allowed"
        assert errors == []
    finally:
        context.close()
