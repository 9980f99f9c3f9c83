"""A lost tablet wipes itself (hardening, issue 21), in Chromium against the real backend: a finding with a note
and a photo is recorded offline and synced; then an admin revokes the device (or disables the account) through
the API; at its next sync (or, locked, as soon as it is online) the tablet is told ``device.wipe``, refuses to
push what it still holds, and deletes everything: the raw IndexedDB (``indexedDB.databases()`` and every store),
Cache Storage beyond the app shell, local and session storage hold nothing of the finding."""

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.flows import OUTBOX_EMPTY, SYNCED, wait_until
from tests.e2e.images import png
from tests.e2e.realbackend import NON_COMPLIANT, PASSWORD, db_rows, register, run_backend, start_inspection, tablet

PLANTED = "Fire exit chained shut behind loom 7"
AFTER = "Second note typed after the revocation"
EN = "This tablet was signed out by your inspectorate and its data removed"
ZH = "此平板已被监察机构注销，本地数据已清除"

# Everything the page's origin holds, read raw (not through the app): every IndexedDB database and store, with
# binary values as Latin-1 text, the Cache Storage names and entries, local and session storage.
RAW = """async () => {
  const latin1 = (bytes) => { let s = ""; for (const b of bytes) s += String.fromCharCode(b); return s; };
  const text = async (v) => {
    if (v instanceof ArrayBuffer) return latin1(new Uint8Array(v));
    if (ArrayBuffer.isView(v)) return latin1(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    if (v instanceof Blob) return latin1(new Uint8Array(await v.arrayBuffer()));
    if (Array.isArray(v)) return Promise.all(v.map(text));
    if (v && typeof v === "object") {
      return Object.fromEntries(await Promise.all(Object.entries(v).map(async ([k, x]) => [k, await text(x)])));
    }
    return v;
  };
  const done = (r) => new Promise((ok, no) => { r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
  const databases = {};
  for (const { name } of await indexedDB.databases()) {
    const db = await done(indexedDB.open(name));
    databases[name] = {};
    for (const store of db.objectStoreNames) {
      databases[name][store] = await text(await done(db.transaction(store).objectStore(store).getAll()));
    }
    db.close();
  }
  const caches_ = {};
  for (const name of await caches.keys()) {
    caches_[name] = [];
    for (const req of await (await caches.open(name)).keys()) caches_[name].push(req.url);
  }
  return { databases, caches: caches_, local: { ...localStorage }, session: { ...sessionStorage } };
}"""


@pytest.fixture
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-wipe")
    for url in run_backend(tmp, dist):
        yield url, tmp


def admin(url: str) -> httpx.Client:
    r = httpx.post(f"{url}/api/v1/auth/token", data={"username": "admin@test.example", "password": PASSWORD})
    return httpx.Client(base_url=f"{url}/api/v1", headers={"Authorization": f"Bearer {r.json()['access_token']}"})


def record_and_sync(page: Page) -> str:
    """Offline: a non-compliant finding with the planted note and a photo; online again: all of it synced."""
    page.context.set_offline(True)
    inspection_id, _ = start_inspection(page)
    card = page.locator(f'[data-item="{NON_COMPLIANT}"]')
    card.get_by_role("button", name="Non-compliant", exact=True).click()
    card.get_by_label("Note").fill(PLANTED)
    card.get_by_label("Note").blur()
    card.locator("input[type=file]").set_input_files({"name": "p.png", "mimeType": "image/png", "buffer": png(seed=21)})
    expect(card.get_by_test_id("photo")).to_be_visible()
    page.context.set_offline(False)
    page.evaluate("() => { window.__li.syncNow(); }")
    wait_until(page, OUTBOX_EMPTY, timeout_ms=30_000)
    wait_until(page, "async () => (await window.__li.dump('photos')).every(p => p.uploaded)", timeout_ms=30_000)
    raw = json.dumps(page.evaluate(RAW), ensure_ascii=False)
    assert inspection_id in raw and '"sealed"' in raw  # the scan sees what the tablet holds (sealed, issue 21)
    findings = page.evaluate("window.__li.dump('findings')")
    assert any(f["fields"].get("remark") == PLANTED for f in findings)
    return inspection_id


def assert_nothing_left(page: Page, inspection_id: str) -> None:
    raw = page.evaluate(RAW)
    assert raw["databases"] == {}, list(raw["databases"])  # not an empty database either: none at all
    assert all(name.startswith("li-precache-") for name in raw["caches"]), raw["caches"]  # the app shell only
    assert raw["local"] == {} and raw["session"] == {}
    text = json.dumps(raw, ensure_ascii=False)
    assert PLANTED not in text and AFTER not in text and inspection_id not in text


def wiped_screen(page: Page) -> None:
    screen = page.get_by_test_id("wiped")
    expect(screen).to_be_visible(timeout=30_000)
    expect(screen.get_by_role("heading", name=EN)).to_be_visible()
    expect(screen.get_by_role("heading", name=ZH)).to_be_visible()
    button = screen.get_by_role("button", name="Sign in again")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 48


def test_a_revoked_tablet_refuses_to_push_and_wipes_itself_at_its_next_sync(browser: Browser, backend):
    url, tmp = backend
    context = tablet(browser, url)
    try:
        page = context.new_page()
        device_id = register(page)
        wait_until(page, SYNCED)
        inspection_id = record_and_sync(page)
        r = admin(url).post(f"/devices/{device_id}/revoke")
        assert r.status_code == 200, r.text
        # typed after the revocation: queued, then refused with the wipe signal at the sync it starts
        card = page.locator(f'[data-item="{NON_COMPLIANT}"]')
        card.get_by_label("Note").fill(AFTER)
        card.get_by_label("Note").blur()
        wiped_screen(page)
        expect(page.get_by_test_id("wiped")).to_contain_text("changes not yet sent were removed with it")
        assert_nothing_left(page, inspection_id)
        remarks = [n for (n,) in db_rows(tmp / "e2e.db", "SELECT note FROM finding")]
        assert PLANTED in remarks and AFTER not in remarks  # synced before; refused after
        refused = db_rows(tmp / "e2e.db", "SELECT details FROM audit_event WHERE action = 'auth.token_refused'")
        assert any(json.loads(d)["code"] == "device.wipe" for (d,) in refused)
        page.get_by_role("button", name="Sign in again").click()
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()  # a fresh start: sign in, register
    finally:
        context.close()


def test_a_locked_tablet_of_a_disabled_account_wipes_itself_once_online(browser: Browser, backend):
    url, _ = backend
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        wait_until(page, SYNCED)
        inspection_id = record_and_sync(page)
        api = admin(url)
        [me] = [u for u in api.get("/users").json() if u["email"] == "inspector@test.example"]
        r = api.patch(f"/users/{me['id']}", json={"active": False})
        assert r.status_code == 200, r.text
        page.reload()  # the tablet is locked: nobody needs to unlock it for the wipe
        wiped_screen(page)
        expect(page.get_by_role("button", name="Unlock")).to_have_count(0)
        assert_nothing_left(page, inspection_id)
    finally:
        context.close()
