"""A new service worker waits for the user ("A new version is ready — reload") and keeps all local data."""

import json
import shutil

from playwright.sync_api import expect

from tests.e2e.conftest import PORTRAIT
from tests.e2e.fakeapi import StaticServer
from tests.e2e.flows import sign_in_and_register, start_inspection, unlock


def test_update_waits_for_the_user_and_keeps_local_data(browser, dist, api, tmp_path):
    copy = tmp_path / "dist"
    shutil.copytree(dist, copy)
    server = StaticServer(copy)
    context = browser.new_context(base_url=server.url, viewport=PORTRAIT, service_workers="allow")
    try:
        api.install(context)
        page = context.new_page()
        sign_in_and_register(page)
        api.set_offline(context, True)  # the draft stays unsynced through the update
        start_inspection(page)
        outbox_before = page.evaluate("window.__li.dump('outbox')")
        page.get_by_role("link", name="Home").click()
        page.evaluate("window.__still_the_same_page = true")

        # Version B: a new precache version (as any asset change would give).
        old = json.loads((copy / "precache-manifest.json").read_text())["version"]
        sw = copy / "sw.js"
        sw.write_text(sw.read_text().replace(old, "b" * len(old)))
        page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
        expect(page.get_by_text("A new version is ready")).to_be_visible()
        assert page.evaluate("navigator.serviceWorker.getRegistration().then(r => !!r.waiting)")
        page.wait_for_timeout(500)
        assert page.evaluate("window.__still_the_same_page === true"), "the update must never reload on its own"

        page.get_by_role("button", name="Reload").click()
        page.wait_for_function("window.__still_the_same_page === undefined")
        unlock(page)
        expect(page.get_by_test_id("drafts").get_by_text("Harbour Garments Ltd")).to_be_visible()
        outbox_after = page.evaluate("window.__li.dump('outbox')")
        assert [(m["seq"], m["id"], m["args"]) for m in outbox_after] == [
            (m["seq"], m["id"], m["args"]) for m in outbox_before
        ]
        caches = page.evaluate("caches.keys()")
        assert caches == ["li-precache-" + "b" * len(old)], caches
    finally:
        context.close()
        server.stop()
