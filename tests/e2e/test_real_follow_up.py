"""End to end against the real backend: two orders missed their deadline; the sweep and the follow-up scheduling
(CLI, as the worker) send a follow-up visit to the inspector's tablet carrying both; offline, the inspector
records one complied and one not complied; back online each result syncs exactly once: the first order is
complied, the second escalated."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.flows import OUTBOX_EMPTY, SYNCED, wait_until
from tests.e2e.realbackend import PASSWORD, db_rows, register, run_backend, tablet
from tests.e2e.test_real_enforcement_desk import cli, token, two_late_orders


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-follow-up")
    for url in run_backend(tmp, dist):
        yield url, tmp


def test_follow_up_results_recorded_offline_sync_once(browser: Browser, backend):
    url, tmp = backend
    db = tmp / "e2e.db"
    first, second = two_late_orders(url)
    assert cli(tmp, "enforcement-sweep").startswith("2 overdue")
    cli(tmp, "follow-up-scheduling")
    [(follow_up,)] = db_rows(db, "SELECT inspection_id FROM follow_up_check GROUP BY inspection_id")
    follow_up_id = str(uuid.UUID(follow_up))  # SQLite stores the UUID without hyphens
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        wait_until(page, SYNCED)
        context.set_offline(True)
        page.goto(f"/#/inspections/{follow_up_id}/measures")
        checks = page.get_by_test_id("follow-up-check")
        expect(checks).to_have_count(2)
        one = page.locator(f'[data-testid="follow-up-check"][data-action="{first["id"]}"]')
        two = page.locator(f'[data-testid="follow-up-check"][data-action="{second["id"]}"]')
        expect(one).to_contain_text("overdue")
        one.get_by_label("What was seen").fill("records on file")
        one.get_by_role("button", name="Complied", exact=True).click()
        expect(one.get_by_test_id("follow-up-recorded")).to_contain_text("Complied")
        button = two.get_by_role("button", name="Not complied")
        box = button.bounding_box()
        assert box is not None and box["height"] >= 48
        button.focus()
        page.keyboard.press("Enter")
        expect(two.get_by_test_id("follow-up-recorded")).to_contain_text("Not complied")
        expect(two.get_by_test_id("follow-up-recorded")).to_be_focused()  # the tapped button is gone (WCAG 2.4.3)
        outbox = [m["name"] for m in page.evaluate("window.__li.dump('outbox')")]
        assert outbox.count("follow_up.result") == 2
        context.set_offline(False)
        wait_until(page, OUTBOX_EMPTY)
        page.reload()
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Unlock").click()
        expect(page.get_by_role("button", name="Unlock")).to_have_count(0)
        expect(page.get_by_test_id("follow-up-recorded")).to_have_count(2)  # kept, not offered again
        expect(checks.get_by_role("button")).to_have_count(0)
        wait_until(page, OUTBOX_EMPTY)
    finally:
        context.close()
    results = db_rows(db, "SELECT result FROM follow_up_check ORDER BY result")
    assert [r[0] for r in results] == ["complied", "not_complied"]
    # The measures' state at the server, through the API the desk reads.
    api = httpx.Client(base_url=f"{url}/api/v1", headers=token(url, "supervisor@test.example"))
    orders = {o["id"]: o for o in api.get(f"/establishments/{first['establishment_id']}/orders").json()}
    assert orders[first["id"]]["status"] == "complied"
    assert orders[second["id"]]["status"] == "escalated"
    assert orders[second["id"]]["proposed_measure"] == "penalty"  # the next rung, proposed to the supervisor
    for order, kind in ((first, "verify"), (second, "not_complied")):
        history = api.get(f"/actions/{order['id']}/history").json()
        kinds = [e["kind"] for e in history]
        assert kinds.count(kind) == 1, kinds  # synced exactly once
        [event] = [e for e in history if e["kind"] == kind]
        assert event["details"]["inspection_id"] == follow_up_id
    [verified] = [e for e in api.get(f"/actions/{first['id']}/history").json() if e["kind"] == "verify"]
    assert verified["note"] == "records on file"
