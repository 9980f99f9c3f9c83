"""PWA figures in headless Chromium with 4x CPU throttling (a mid-range tablet): prints, does not assert.

* cold offline start: a new page, offline, served by the service worker, until the unlock form is usable;
  then unlock (PBKDF2 on the device) until the 300-item checklist is interactive;
* rendering a 300-item checklist: from the screen mounting to all cards in the DOM, split into the
  IndexedDB read and the render itself, and to the next painted frame. Target for the render: < 200 ms.

Run: .venv/bin/python bench/pwa.py   (needs pwa/dist built and /usr/bin/chromium)
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DIST, LANDSCAPE  # noqa: E402
from tests.e2e.fakeapi import PASSWORD, FakeApi, StaticServer  # noqa: E402
from tests.e2e.flows import sign_in_and_register, start_inspection  # noqa: E402

THROTTLE = 4
RUNS = 5
NEXT_FRAME = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"


def throttle(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})


def render_once(page: Page, inspection_id: str) -> dict[str, float]:
    page.evaluate("location.hash = '#/'")
    page.get_by_role("heading", name="Hello, Amina Chen").wait_for()
    page.evaluate("(id) => { location.hash = '#/inspections/' + id; }", inspection_id)
    page.wait_for_function("document.querySelectorAll('[data-testid=item-card]').length === 300", polling="raf")
    painted = page.evaluate(NEXT_FRAME)
    m = page.evaluate("window.__li.marks")
    return {
        "idb_read": m["checklist_data"] - m["checklist_mount"],
        "render": m["checklist_rendered"] - m["checklist_data"],
        "to_paint": painted - m["checklist_mount"],
    }


def main() -> None:
    if not (DIST / "sw.js").is_file():
        sys.exit("pwa/dist is not built: make pwa")
    server = StaticServer(DIST)
    api = FakeApi.default()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(
            base_url=server.url,
            viewport=LANDSCAPE,
            geolocation={"latitude": 26.08, "longitude": 119.30, "accuracy": 10},
            permissions=["geolocation"],
        )
        api.install(context)
        page = context.new_page()
        sign_in_and_register(page)
        inspection_id = start_inspection(page, checklist="E2E large checklist (300 items)")
        page.close()

        api.offline = True
        context.set_offline(True)
        starts = []
        for _ in range(RUNS):
            page = context.new_page()
            throttle(page)
            t0 = time.perf_counter()
            page.goto(f"/#/inspections/{inspection_id}")
            page.get_by_role("button", name="Unlock").wait_for()
            shell = time.perf_counter() - t0
            page.get_by_label("Password").fill(PASSWORD)
            t1 = time.perf_counter()
            page.get_by_role("button", name="Unlock").click()
            page.wait_for_function("document.querySelectorAll('[data-testid=item-card]').length === 300", polling="raf")
            page.locator('[data-item="large.000"]').get_by_role("button", name="Compliant", exact=True).wait_for()
            unlocked = time.perf_counter() - t1
            starts.append((shell * 1000, unlocked * 1000))
            page.close()

        page = context.new_page()
        throttle(page)
        page.goto("/")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Unlock").click()
        page.get_by_role("heading", name="Hello, Amina Chen").wait_for()
        renders = [render_once(page, inspection_id) for _ in range(RUNS)]
        browser.close()
    server.stop()

    def med(values: list[float]) -> str:
        return f"median {statistics.median(values):6.0f} ms  (min {min(values):.0f}, max {max(values):.0f})"

    print(f"PWA benchmark: headless Chromium, CPU throttled {THROTTLE}x, {RUNS} runs, 300-item checklist")
    print(f"  cold offline start -> unlock form usable      {med([s for s, _ in starts])}")
    print(f"  unlock (PBKDF2) -> checklist interactive      {med([u for _, u in starts])}")
    print(f"  cold offline start -> checklist interactive   {med([s + u for s, u in starts])}")
    print(f"  checklist: IndexedDB read                     {med([r['idb_read'] for r in renders])}")
    print(f"  checklist: render 300 cards (target < 200 ms) {med([r['render'] for r in renders])}")
    print(f"  checklist: mount -> next painted frame        {med([r['to_paint'] for r in renders])}")


if __name__ == "__main__":
    main()
