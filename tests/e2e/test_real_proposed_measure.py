"""End to end against the real backend: offline at the worksite, a non-compliant item's usual measure and deadline
(from the checklist item, ga.est.03: order to rectify within 30 days) are proposed on the tablet's measures screen;
the inspector changes the date and records it; back online it syncs, once, linked to the item."""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.flows import OUTBOX_EMPTY, wait_until
from tests.e2e.realbackend import db_rows, register, run_backend, start_inspection, tablet

ITEM = "ga.est.03"


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-proposed")
    for url in run_backend(tmp, dist):
        yield url, tmp


def test_the_tablet_proposes_the_items_usual_measure_offline_and_syncs_it_once(browser: Browser, backend):
    url, tmp = backend
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        context.set_offline(True)
        _, items = start_inspection(page)
        assert ITEM in items
        button = page.locator(f'[data-item="{ITEM}"]').get_by_role("button", name="Non-compliant", exact=True)
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        page.get_by_role("link", name="Measures").click()
        proposal = page.locator(f'[data-testid="proposed-measure"][data-item="{ITEM}"]')
        today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
        usual = (today + timedelta(days=30)).isoformat()
        expect(proposal.get_by_test_id("proposed-usual")).to_have_text(
            f"Usual measure for this item: Order to rectify · by {usual}"
        )
        expect(proposal.get_by_label("Order to rectify")).to_be_checked()
        expect(proposal.get_by_test_id("proposed-deadline")).to_have_value(usual)
        changed = (today + timedelta(days=20)).isoformat()
        proposal.get_by_test_id("proposed-deadline").fill(changed)
        accept = proposal.get_by_test_id("proposed-accept")
        box = accept.bounding_box()
        assert box is not None and box["height"] >= 48 and box["width"] >= 48
        accept.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text(f"Order to rectify · by {changed}")).to_be_visible()
        expect(page.locator(f'[data-testid="proposed-measure"][data-item="{ITEM}"]')).to_have_count(0)
        context.set_offline(False)
        wait_until(page, OUTBOX_EMPTY)
        page.reload()
        wait_until(page, OUTBOX_EMPTY)
    finally:
        context.close()
    rows = db_rows(
        tmp / "e2e.db",
        "SELECT measure, deadline, deadline_days FROM enforcement_action WHERE item_id = ?",
        ITEM,
    )
    assert len(rows) == 1, rows  # synced exactly once
    measure, deadline, days = rows[0]
    assert measure == "order_to_rectify" and days == 20
    assert date.fromisoformat(str(deadline)[:10]) >= today + timedelta(days=19)
