"""Screenshots of the field app against the real backend, for looking at (not a test).

    .venv/bin/python tests/e2e/screenshots.py [OUT_DIR]

Starts the real backend (tests/e2e/realbackend.py) on a throwaway database, signs in as the district inspector,
makes some work to show (an inspection returned for correction by the supervisor, one assigned by the supervisor,
one in progress with a non-compliance), and saves Home, the checklist, Review/submit and Sync status at 820x1180
(portrait) and 1180x820 (landscape) into var/screenshots/ (git-ignored). Prints any layout problem it measures on
each screen (horizontal scrolling, touch targets under 48 px) and exits non-zero if there is one.
"""

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DIST  # noqa: E402
from tests.e2e.flows import IDLE, OUTBOX_EMPTY, answer, sign, wait_until  # noqa: E402  # noqa: E402
from tests.e2e.realbackend import (  # noqa: E402  # noqa: E402
    ESTABLISHMENT,
    INSPECTOR,
    PASSWORD,
    register,
    run_backend,
    start_inspection,
)
from tests.e2e.test_layout import LAYOUT_PROBLEMS  # noqa: E402

VIEWPORTS = {"portrait": {"width": 820, "height": 1180}, "landscape": {"width": 1180, "height": 820}}
SUPERVISOR = "supervisor@test.example"
STICKY_PROBLEMS = """() => {
  const header = document.querySelector('header.top').getBoundingClientRect();
  const bar = document.querySelector('.sections').getBoundingClientRect();
  return bar.top + 1 < header.bottom ? [`sections bar under the header: ${bar.top} < ${header.bottom}`] : [];
}"""


def _api(url: str, email: str) -> httpx.Client:
    token = httpx.post(f"{url}/api/v1/auth/token", data={"username": email, "password": PASSWORD}).json()
    return httpx.Client(base_url=f"{url}/api/v1", headers={"Authorization": f"Bearer {token['access_token']}"})


def _sync(page: Page, condition: str = "() => true", arg: object = None) -> None:
    deadline = time.monotonic() + 40
    while not (page.evaluate(OUTBOX_EMPTY) and page.evaluate(condition, arg)):
        if time.monotonic() > deadline:
            raise RuntimeError(f"sync did not finish: {page.evaluate('window.__li.syncState()')}")
        if page.evaluate(IDLE):
            page.evaluate("() => { window.__li.syncNow(); }")
        page.wait_for_timeout(300)
    wait_until(page, IDLE)


def _prepare(page: Page, url: str) -> str:
    """Sign in and make the work the screenshots show; returns the id of the inspection in progress."""
    register(page)
    supervisor = _api(url, SUPERVISOR)
    inspector = _api(url, INSPECTOR).get("/users/me").json()

    # 1. Submitted, then returned for correction by the supervisor.
    returned, items = start_inspection(page)
    for item in items:
        answer(page, item, "Compliant")
    page.get_by_role("link", name="Review and submit").click()
    sign(page)
    page.get_by_test_id("submit").click()
    _sync(page)
    comment = "Please recheck the notices: the working-hours notice was not photographed."
    r = supervisor.post(f"/inspections/{returned}/review", json={"decision": "return", "comment": comment})
    r.raise_for_status()

    # 2. Assigned by the supervisor.
    establishments = supervisor.get("/establishments?limit=50").json()["items"]
    [est] = [e for e in establishments if e["name"] == ESTABLISHMENT]
    r = supervisor.post(
        "/inspections",
        json={
            "establishment_id": est["id"],
            "type": "follow_up",
            "lead_inspector_id": inspector["id"],
            "checklists": [{"key": "general-administration", "version": 2}],
            "started_at": datetime.now(UTC).isoformat(),
        },
    )
    r.raise_for_status()

    # 3. In progress: some answers, one non-compliance.
    page.get_by_role("link", name="Home", exact=True).first.click()
    current, items = start_inspection(page)
    for item in items[:4]:
        answer(page, item, "Compliant")
    answer(page, items[4], "Non-compliant")
    _sync(
        page,
        "async (id) => (await window.__li.dump('inspections')).find(i => i.id === id)?.status === 'draft'",
        returned,
    )
    return current


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    problems: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="li-shots-") as tmp:
        backend = run_backend(Path(tmp), DIST)
        url = next(backend)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                context = browser.new_context(
                    base_url=url,
                    viewport=VIEWPORTS["portrait"],
                    geolocation={"latitude": 39.9, "longitude": 116.4, "accuracy": 20},
                    permissions=["geolocation"],
                    locale="en-GB",
                    service_workers="allow",
                )
                context.set_default_timeout(15_000)
                page = context.new_page()
                current = _prepare(page, url)
                for orientation, viewport in VIEWPORTS.items():
                    page.set_viewport_size(viewport)
                    screens = {
                        "home": "#/",
                        "checklist": f"#/inspections/{current}",
                        "review": f"#/inspections/{current}/review",
                        "sync": "#/sync",
                    }
                    for screen, path in screens.items():
                        page.evaluate("(hash) => { location.hash = hash; window.scrollTo(0, 0); }", path)
                        page.wait_for_timeout(600)
                        if screen == "checklist":
                            expect(page.get_by_test_id("progress")).to_be_visible()
                        name = f"{orientation}-{screen}"
                        page.screenshot(path=str(out / f"{name}.png"))
                        found = page.evaluate(LAYOUT_PROBLEMS)
                        if screen == "checklist":  # scrolled: the sticky sections bar stays below the header
                            page.mouse.wheel(0, 1500)
                            page.wait_for_timeout(400)
                            page.screenshot(path=str(out / f"{name}-scrolled.png"))
                            found += page.evaluate(STICKY_PROBLEMS)
                        if found:
                            problems[name] = found
                        print(f"{out / name}.png {found or 'OK'}")
                browser.close()
        finally:
            backend.close()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
