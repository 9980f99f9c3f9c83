"""At-rest encryption on the tablet (hardening, issue 21), in Chromium against the real backend: a finding's note,
a photo and a complaint recorded offline are in the raw IndexedDB (every database, every store, bytes as text)
and in local storage only sealed — locked or unlocked — while the app still shows them after the unlock and syncs
them intact (the server holds the note, the complaint and the photo's exact bytes)."""

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.flows import OUTBOX_EMPTY, SYNCED, wait_until
from tests.e2e.images import png
from tests.e2e.realbackend import (
    ESTABLISHMENT,
    NON_COMPLIANT,
    PASSWORD,
    db_rows,
    register,
    run_backend,
    start_inspection,
    tablet,
)
from tests.e2e.test_real_wipe import RAW

NOTE = "Planted finding: boiler room door welded shut"
COMPLAINT = "Planted complaint: wages withheld since August"


@pytest.fixture
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-at-rest")
    for url in run_backend(tmp, dist):
        yield url, tmp


def raw_text(page: Page) -> str:
    return json.dumps(page.evaluate(RAW), ensure_ascii=False)


def assert_sealed(page: Page, photo: bytes) -> None:
    raw = raw_text(page)
    assert '"sealed"' in raw  # the scan reads the records themselves
    for planted in (NOTE, COMPLAINT, NOTE[:20], COMPLAINT[-20:]):
        assert planted not in raw, planted
    middle = photo[len(photo) // 2 : len(photo) // 2 + 48].decode("latin-1")
    assert json.dumps(middle, ensure_ascii=False)[1:-1] not in raw  # no run of the photo's bytes


def test_records_photos_and_complaints_are_sealed_at_rest_and_read_after_unlock(browser: Browser, backend):
    url, tmp = backend
    photo = png(seed=33)
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        wait_until(page, SYNCED)
        context.set_offline(True)
        inspection_id, _ = start_inspection(page)
        card = page.locator(f'[data-item="{NON_COMPLIANT}"]')
        card.get_by_role("button", name="Non-compliant", exact=True).click()
        card.get_by_label("Note").fill(NOTE)
        card.get_by_label("Note").blur()
        card.locator("input[type=file]").set_input_files({"name": "p.png", "mimeType": "image/png", "buffer": photo})
        expect(card.get_by_test_id("photo")).to_have_attribute("data-state", "shown")
        page.get_by_role("link", name="Establishments", exact=True).first.click()
        page.get_by_test_id("est-search").fill(ESTABLISHMENT)
        page.get_by_role("link", name=ESTABLISHMENT).first.click()
        page.get_by_test_id("record-complaint").click()
        page.get_by_test_id("complaint-summary").fill(COMPLAINT)
        page.get_by_test_id("complaint-save").click()
        expect(page.get_by_test_id("complaint-saved")).to_be_visible()
        findings = page.evaluate("window.__li.dump('findings')")  # through the app: opened with the key
        assert any(f["fields"].get("remark") == NOTE for f in findings), findings
        assert_sealed(page, photo)

        page.reload()  # locked: the key is gone from memory; the raw content is the same ciphertext
        expect(page.get_by_role("button", name="Unlock")).to_be_visible()
        assert_sealed(page, photo)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Unlock").click()
        expect(page.get_by_role("button", name="Unlock")).to_have_count(0)
        page.goto(f"/#/inspections/{inspection_id}")
        expect(page.locator(f'[data-item="{NON_COMPLIANT}"]').get_by_label("Note")).to_have_value(NOTE)
        expect(page.locator(f'[data-item="{NON_COMPLIANT}"]').get_by_test_id("photo")).to_have_attribute(
            "data-state", "shown"
        )

        context.set_offline(False)
        page.evaluate("() => { window.__li.syncNow(); }")
        wait_until(page, OUTBOX_EMPTY, timeout_ms=30_000)
        wait_until(page, "async () => (await window.__li.dump('photos')).every(p => p.uploaded)", timeout_ms=30_000)
        assert_sealed(page, photo)  # pulled rows are sealed too
    finally:
        context.close()
    db = tmp / "e2e.db"
    assert NOTE in [n for (n,) in db_rows(db, "SELECT note FROM finding")]
    assert COMPLAINT in [s for (s,) in db_rows(db, "SELECT summary FROM complaint")]
    digest = hashlib.sha256(photo).hexdigest()
    assert db_rows(db, "SELECT count(*) FROM inspection_photo WHERE sha256 = ?", digest)[0][0] == 1
