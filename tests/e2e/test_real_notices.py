"""End to end against the real backend: online, the tablet reserves a block of notice numbers for its district;
offline at the worksite the inspector records two orders to rectify, issues a notice for each with the block's
next numbers, voids the first (a reason given) and, after a reload, issues that order a new notice, which takes
the next number (a voided number is never reused); back online each change syncs once, the server holds the
block's numbers, unique, the voided one void, and the tablet, told its numbers were running out, reserves more."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.flows import OUTBOX_EMPTY, wait_until
from tests.e2e.realbackend import INSPECTOR, PASSWORD, db_rows, register, run_backend, start_inspection, tablet
from tests.e2e.test_real_enforcement_desk import token

BLOCK_HELD = "async () => (await window.__li.dump('notice_blocks')).length > 0"


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-notices")
    for url in run_backend(tmp, dist, {"LI_NOTICE_BLOCK_SIZE": "6"}):  # runs low (≤ 5 left) after one
        yield url, tmp


def record_order(page: Page, deadline: str, text: str) -> None:
    form = page.get_by_test_id("measure-form")
    form.get_by_label("Order to rectify").check()
    form.get_by_label("Rectify by").fill(deadline)
    form.get_by_label("What was decided").fill(text)
    form.get_by_role("button", name="Record measure").click()
    expect(page.get_by_test_id("measure").filter(has_text=text)).to_have_count(1)


def test_notices_issued_and_voided_offline_take_the_blocks_numbers_once(browser: Browser, backend):
    url, _ = backend
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        wait_until(page, BLOCK_HELD)
        [block] = page.evaluate("window.__li.dump('notice_blocks')")
        numbers = block["numbers"]
        assert len(numbers) == block["last_serial"] - block["first_serial"] + 1 == 6
        context.set_offline(True)
        inspection_id, _ = start_inspection(page)
        page.get_by_role("link", name="Measures").click()
        deadline = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=10)).isoformat()
        record_order(page, deadline, "Keep a register of wages")
        record_order(page, deadline, "Post the working-hours notice")
        measures = page.get_by_test_id("measure")
        first, second = measures.nth(0), measures.nth(1)
        status = page.get_by_test_id("notice-block-status")
        expect(status).to_have_text("Notice numbers left on this tablet: 6")
        issue = first.get_by_role("button", name="Issue notice")
        box = issue.bounding_box()
        assert box is not None and box["height"] >= 48 and box["width"] >= 48
        issue.click()
        expect(first.get_by_test_id("notice-number")).to_have_text(numbers[0])
        second.get_by_role("button", name="Issue notice").focus()
        page.keyboard.press("Enter")  # keyboard operable
        expect(second.get_by_test_id("notice-number")).to_have_text(numbers[1])
        expect(status).to_have_text(
            "Notice numbers are running out on this tablet (4 left): connect to the network so it can reserve more."
        )
        first.get_by_role("button", name="Void", exact=True).click()
        first.get_by_label("Reason for voiding").fill("misprinted employer name")
        first.get_by_role("button", name="Void this number").click()
        expect(first.get_by_test_id("notice-voided")).to_have_text(f"Voided: {numbers[0]} (misprinted employer name)")
        # Reloaded offline (the service worker serves the app): the numbers taken stay taken.
        page.reload()
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Unlock").click()
        expect(page.get_by_role("button", name="Unlock")).to_have_count(0)
        page.goto(f"/#/inspections/{inspection_id}/measures")
        expect(second.get_by_test_id("notice-number")).to_have_text(numbers[1])
        first.get_by_role("button", name="Issue notice").click()
        expect(first.get_by_test_id("notice-number")).to_have_text(numbers[2])  # never the voided one again
        outbox = [m["name"] for m in page.evaluate("window.__li.dump('outbox')")]
        assert outbox.count("notice.issue") == 3 and outbox.count("notice.void") == 1
        context.set_offline(False)
        page.evaluate("window.__li.syncNow()")
        wait_until(page, OUTBOX_EMPTY, timeout_ms=30_000)
        expect(first.get_by_text("registered")).to_have_count(1)  # the server's row came back with its hash
        wait_until(page, "async () => (await window.__li.dump('notice_blocks')).length === 2")  # more reserved
        expect(status).to_have_text("Notice numbers left on this tablet: 9")
        action_ids = [str(measures.nth(i).get_attribute("data-action")) for i in range(2)]
        assert page.evaluate("window.__li.dump('outcomes')") == []  # nothing refused
    finally:
        context.close()
    api = httpx.Client(base_url=f"{url}/api/v1", headers=token(url, INSPECTOR))
    held = {a: api.get(f"/actions/{a}/notices").json() for a in action_ids}
    voided, reissued = held[action_ids[0]]
    [other] = held[action_ids[1]]
    assert (voided["number"], voided["status"], voided["void_reason"]) == (
        numbers[0],
        "voided",
        "misprinted employer name",
    )
    assert (reissued["number"], reissued["status"]) == (numbers[2], "issued")
    assert (other["number"], other["status"]) == (numbers[1], "issued")
    serials = [n["serial"] for n in (voided, reissued, other)]
    assert len(set(serials)) == 3 and all(block["first_serial"] <= s <= block["last_serial"] for s in serials)
    assert all(n["sha256"] for n in (reissued, other))  # content frozen and hashed when issued


def test_a_notice_refused_because_the_desk_issued_one_is_voided_and_named_on_the_home_screen(browser: Browser, backend):
    """The desk issues the measure's notice online while the tablet, offline, issues its own: the server refuses
    the tablet's (`notice.already_issued`), the tablet voids the number it took in the same transaction (the
    server records it voided: a paper copy may be with the employer) and its home screen names the number."""
    url, tmp = backend
    api = httpx.Client(base_url=f"{url}/api/v1", headers=token(url, INSPECTOR))
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        wait_until(page, BLOCK_HELD)
        start_inspection(page)
        page.get_by_role("link", name="Measures").click()
        deadline = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=10)).isoformat()
        record_order(page, deadline, "Pay the overtime owed")
        page.evaluate("window.__li.syncNow()")
        wait_until(page, OUTBOX_EMPTY, timeout_ms=30_000)
        measure = page.get_by_test_id("measure").filter(has_text="Pay the overtime owed")
        action_id = str(measure.get_attribute("data-action"))
        desk = api.post(f"/actions/{action_id}/notices")
        assert desk.status_code == 201, desk.text
        context.set_offline(True)
        measure.get_by_role("button", name="Issue notice").click()
        taken = measure.get_by_test_id("notice-number").inner_text()
        context.set_offline(False)
        page.evaluate("window.__li.syncNow()")
        wait_until(page, OUTBOX_EMPTY, timeout_ms=30_000)  # the refusal, then the void it queued
        # The tablet's own notice, refused, and the server's row of its number, voided, pulled back.
        mine = sorted(n["status"] for n in page.evaluate("window.__li.dump('notices')") if n["number"] == taken)
        assert mine == ["refused", "voided"]
        page.goto("/#/")
        named = page.get_by_test_id("refused-notice")
        expect(named).to_contain_text(f"Notice No. {taken} was refused by the office (notice.already_issued)")
        expect(named).to_contain_text("its number has been voided")
        outcomes = page.evaluate("window.__li.dump('outcomes')")
        assert [o["name"] for o in outcomes] == ["notice.issue"]  # the void was applied
    finally:
        context.close()
    held = api.get(f"/actions/{action_id}/notices").json()
    assert [(n["number"], n["status"]) for n in held] == [(desk.json()["number"], "issued")]
    assert db_rows(tmp / "e2e.db", "SELECT status, void_reason, action_id FROM notice WHERE number = ?", taken) == [
        ("voided", "refused: notice.already_issued", None)
    ]
