"""End to end against the real backend: a whole inspection done offline on the tablet reaches the server
exactly once when the tablet comes back online (PROTOCOL.md §3: push, blobs, idempotent replay).
"""

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route, expect

from tests.e2e.flows import (
    OUTBOX_EMPTY,
    SYNCED,
    idb_dump,
    sign,
    wait_until,
)
from tests.e2e.images import png
from tests.e2e.realbackend import (
    NON_COMPLIANT,
    PASSWORD,
    db_rows,
    register,
    run_backend,
    start_inspection,
    tablet,
)


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-sync")
    for url in run_backend(tmp, dist):
        yield url, tmp


def _sync_requests(log: Path) -> int:
    return sum(1 for line in log.read_text().splitlines() if "/api/v1/sync/push" in line or "/api/v1/blobs/" in line)


def _server_counts(db: Path, inspection_id: str) -> dict[str, int]:
    iid = inspection_id.replace("-", "")
    return {
        "inspections": db_rows(db, "SELECT count(*) FROM inspection WHERE replace(id, '-', '') = ?", iid)[0][0],
        "findings": db_rows(db, "SELECT count(*) FROM finding WHERE replace(inspection_id, '-', '') = ?", iid)[0][0],
        "submissions": db_rows(
            db, "SELECT count(*) FROM inspection_submission WHERE replace(inspection_id, '-', '') = ?", iid
        )[0][0],
        "blobs": db_rows(db, "SELECT count(*) FROM blob")[0][0],
        "mutations": db_rows(db, "SELECT count(*) FROM applied_mutation")[0][0],
    }


def test_offline_inspection_reaches_the_real_backend_exactly_once(browser: Browser, backend):
    url, tmp = backend
    db, log = tmp / "e2e.db", tmp / "uvicorn.log"
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)

        # Offline from here: the whole inspection is made on the tablet alone.
        context.set_offline(True)
        before_offline = _sync_requests(log)
        mutations_before = db_rows(db, "SELECT count(*) FROM applied_mutation")[0][0]

        inspection_id, items = start_inspection(page)

        assert NON_COMPLIANT in items and len(items) >= 20, items
        for item in items:
            label = "Non-compliant" if item == NON_COMPLIANT else "Compliant"
            button = page.locator(f'[data-item="{item}"]').get_by_role("button", name=label, exact=True)
            button.click()
            expect(button).to_have_attribute("aria-pressed", "true")
        card = page.locator(f'[data-item="{NON_COMPLIANT}"]')
        photo = png(seed=7)
        card.locator("input[type=file]").set_input_files({"name": "p.png", "mimeType": "image/png", "buffer": photo})
        expect(card.get_by_test_id("photo")).to_be_visible()
        expect(page.get_by_test_id("progress")).to_have_text(f"{len(items)} of {len(items)} answered")

        page.get_by_role("link", name="Review and submit").click()
        sign(page)
        page.get_by_test_id("submit").click()
        expect(page.get_by_test_id("locked")).to_be_visible()
        [signature] = [
            s for s in idb_dump(page, "photos") if s["inspection_id"] == inspection_id and s["kind"] == "signature"
        ]

        page.wait_for_timeout(1_000)  # give any (wrongful) background sync a chance to leak
        assert _sync_requests(log) == before_offline, "a sync request reached the server while offline"
        assert db_rows(db, "SELECT count(*) FROM applied_mutation")[0][0] == mutations_before
        assert _server_counts(db, inspection_id)["inspections"] == 0
        assert page.evaluate("window.__li.outboxSize()") > len(items)

        # Online: the `online` event and "Sync now" push everything. The first push is applied by the server
        # but its response is lost on the way back, so the tablet sends that same batch again.
        lost: list[int] = []

        def lose_first_response(route: Route) -> None:
            if lost:
                route.continue_()
                return
            response = route.fetch()
            lost.append(response.status)
            route.abort("connectionreset")

        context.route("**/api/v1/sync/push", lose_first_response)
        context.set_offline(False)
        page.get_by_role("link", name="Sync", exact=True).click()
        for _ in range(60):  # bounded: ~30 s
            if page.evaluate(OUTBOX_EMPTY):
                break
            if not page.evaluate("window.__li.syncState().running"):
                page.evaluate("window.__li.syncNow()")
            page.wait_for_timeout(500)
        wait_until(page, OUTBOX_EMPTY, timeout_ms=1_000)
        assert lost == [200], lost
        wait_until(
            page,
            "async (id) => (await window.__li.dump('inspections')).find(i => i.id === id).status === 'submitted'",
            inspection_id,
        )
        assert _sync_requests(log) > before_offline  # the log-based counter does see sync traffic
        consumed = [
            (n, json.loads(o)) for n, o in db_rows(db, "SELECT name, outcome FROM applied_mutation ORDER BY seq")
        ]
        rejected = [(name, o) for name, o in consumed if o["outcome"] != "applied"]
        assert rejected == [], rejected  # e.g. ('inspection.submit', {'outcome': 'rejected', 'reason': ...})
        names = Counter(name for name, _ in consumed[mutations_before:])
        assert names == {
            "inspection.create": 1,
            "inspection.update": 1,  # the employer representative's name, with the signature
            "finding.record": len(items),
            "photo.attach": 1,
            "signature.attach": 1,
            "inspection.submit": 1,
        }, names

        iid = inspection_id.replace("-", "")
        [(status,)] = db_rows(db, "SELECT status FROM inspection WHERE replace(id, '-', '') = ?", iid)
        assert status == "submitted"
        findings = db_rows(
            db, "SELECT item_id, status, evidence FROM finding WHERE replace(inspection_id, '-', '') = ?", iid
        )
        assert sorted(f[0] for f in findings) == sorted(items)  # every finding, exactly once
        sha = hashlib.sha256(photo).hexdigest()
        [(nc_status, evidence)] = [(f[1], f[2]) for f in findings if f[0] == NON_COMPLIANT]
        assert nc_status == "non_compliant" and sha in evidence
        [(verified_at,)] = db_rows(db, "SELECT verified_at FROM blob WHERE sha256 = ?", sha)
        assert verified_at is not None
        stored = tmp / "attachments" / "blobs" / sha[:2] / sha
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha
        sig_sha = signature["sha256"]
        [(sig_verified,)] = db_rows(db, "SELECT verified_at FROM blob WHERE sha256 = ?", sig_sha)
        assert sig_verified is not None
        assert (tmp / "attachments" / "blobs" / sig_sha[:2] / sig_sha).is_file()
        counts = _server_counts(db, inspection_id)
        assert counts["inspections"] == 1 and counts["submissions"] == 1

        # Again: a reload and "Sync now" must not duplicate anything on the server.
        page.reload()
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Unlock").click()
        page.get_by_role("link", name="Sync", exact=True).click()
        page.get_by_test_id("sync-now").click()
        wait_until(page, SYNCED)
        wait_until(page, OUTBOX_EMPTY)
        assert _server_counts(db, inspection_id) == counts
        assert page.evaluate("window.__li.syncState().last_error") is None
        assert page.evaluate("window.__li.invariant()") is None
    finally:
        context.close()
