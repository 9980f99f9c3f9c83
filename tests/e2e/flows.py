"""What an inspector does, step by step, shared by the browser tests and bench/pwa.py."""

from playwright.sync_api import Page, expect

from tests.e2e.fakeapi import EMAIL, PASSWORD

OUTBOX_EMPTY = "async () => (await window.__li.outboxSize()) === 0"
SYNCED = "() => window.__li.syncState().last_success !== null && !window.__li.syncState().running"
IDLE = "() => !window.__li.syncState().running"

# The service worker precaches the build before it activates and claims the page; on a loaded 2-core machine that
# has taken more than 10 s, so the limit is generous and the failure names the worker's state.
WAIT_SW = """() => new Promise((resolve, reject) => {
  const state = () => navigator.serviceWorker.getRegistration().then((r) =>
    r ? `installing=${!!r.installing} waiting=${!!r.waiting} active=${r.active && r.active.state}` : 'no registration');
  const fail = () => state().then((s) => reject(new Error('service worker did not take control: ' + s)));
  const t = setTimeout(fail, 45000);
  const done = () => { clearTimeout(t); resolve(true); };
  if (navigator.serviceWorker.controller) return done();
  navigator.serviceWorker.addEventListener('controllerchange', done);
})"""


def wait_for_service_worker(page: Page) -> None:
    page.evaluate(WAIT_SW)


def sign_in_and_register(page: Page) -> None:
    page.goto("/")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Register this tablet").click()
    expect(page.get_by_role("heading", name="Hello, Amina Chen")).to_be_visible()
    wait_for_service_worker(page)


def unlock(page: Page) -> None:
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_role("heading", name="Hello, Amina Chen")).to_be_visible()


def start_inspection(
    page: Page, establishment: str = "Harbour Garments", checklist: str = "E2E basic checklist"
) -> str:
    page.get_by_role("link", name="Establishments", exact=True).first.click()
    page.get_by_test_id("est-search").fill(establishment)
    page.get_by_role("link", name=establishment).first.click()
    page.get_by_test_id("start-inspection").click()
    page.get_by_label(checklist).check()
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("progress")).to_be_visible()
    return page.url.rsplit("/", 1)[-1]


def answer(page: Page, item_id: str, label: str) -> None:
    card = page.locator(f'[data-item="{item_id}"]')
    card.get_by_role("button", name=label, exact=True).click()
    expect(card.get_by_role("button", name=label, exact=True)).to_have_attribute("aria-pressed", "true")


def shown_items(page: Page) -> list[str]:
    """The ids of the item cards shown, in order (items that do not apply are hidden)."""
    cards = page.get_by_test_id("item-card")
    return [str(cards.nth(i).get_attribute("data-item")) for i in range(cards.count())]


def sign(page: Page, name: str = "Li Wei") -> None:
    """Draw the employer representative's signature and save it."""
    page.get_by_test_id("signer-name").fill(name)
    pad = page.get_by_test_id("signature-pad").bounding_box()
    assert pad is not None
    page.mouse.move(pad["x"] + 20, pad["y"] + 40)
    page.mouse.down()
    page.mouse.move(pad["x"] + 200, pad["y"] + 90, steps=8)
    page.mouse.move(pad["x"] + 320, pad["y"] + 30, steps=8)
    page.mouse.up()
    page.get_by_role("button", name="Save signature").click()
    expect(page.get_by_test_id("signed")).to_have_text(f"Signed by {name}.")


def idb_dump(page: Page, store: str) -> list[dict]:
    return page.evaluate("(s) => window.__li.dump(s)", store)


def wait_until(page: Page, script: str, arg: object = None, timeout_ms: int = 15_000) -> None:
    """Poll an async page function until it returns true (wait_for_function does not await promises)."""
    waited = 0
    while not page.evaluate(script, arg):
        if waited >= timeout_ms:
            raise AssertionError(f"timed out after {timeout_ms} ms waiting for {script}")
        page.wait_for_timeout(100)
        waited += 100
