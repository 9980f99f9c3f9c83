"""End to end against the real backend: a follow-up visit already submitted (here over REST, before the tablet
pulls it) still shows the measures it verified, but offers no complied / not complied buttons — the server's
draft check would refuse a result for it."""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.backend.test_inspections import answer_all
from tests.e2e.flows import OUTBOX_EMPTY, SYNCED, wait_until
from tests.e2e.realbackend import INSPECTOR, db_rows, register, run_backend, tablet
from tests.e2e.test_real_enforcement_desk import cli, token, two_late_orders


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-follow-up-locked")
    for url in run_backend(tmp, dist):
        yield url, tmp


def test_a_submitted_follow_up_offers_no_result_buttons(browser: Browser, backend):
    url, tmp = backend
    two_late_orders(url)
    assert cli(tmp, "enforcement-sweep").startswith("2 overdue")
    cli(tmp, "follow-up-scheduling")
    [(follow_up,)] = db_rows(tmp / "e2e.db", "SELECT inspection_id FROM follow_up_check GROUP BY inspection_id")
    follow_up_id = str(uuid.UUID(follow_up))
    api = httpx.Client(base_url=f"{url}/api/v1", headers=token(url, INSPECTOR), timeout=30)
    visit = api.get(f"/inspections/{follow_up_id}").json()
    [pin] = visit["checklists"]
    checklist = api.get(f"/checklists/{pin['key']}/{pin['version']}").json()
    started = {"started_at": datetime.now(UTC).isoformat(), "gps_status": "not_taken"}
    assert api.patch(f"/inspections/{follow_up_id}", json=started).status_code == 200
    answer_all(api, visit, checklist)
    r = api.post(f"/inspections/{follow_up_id}/submit", json={})
    assert r.status_code == 200, r.text
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        wait_until(page, SYNCED)
        wait_until(page, OUTBOX_EMPTY)
        page.goto(f"/#/inspections/{follow_up_id}/measures")
        checks = page.get_by_test_id("follow-up-check")
        expect(checks).to_have_count(2)
        expect(checks.first).to_contain_text("Order to rectify")
        expect(checks.get_by_role("button")).to_have_count(0)
        expect(page.get_by_label("What was seen")).to_have_count(0)
    finally:
        context.close()
