"""What is being typed survives the app being closed before the field loses focus (issue 14, defect 2): saved
as typed, flushed when the page goes away, replayed from the journal at the next start, and sent once."""

from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.flows import OUTBOX_EMPTY, answer, sign_in_and_register, start_inspection, unlock, wait_until

NOTE = "Guards missing on 3 machines"


def _reopen(context: BrowserContext, inspection_id: str) -> Page:
    page = context.new_page()
    page.goto("/")
    unlock(page)
    page.goto(f"/#/inspections/{inspection_id}")
    return page


def _remarks(api, inspection_id: str, item_id: str) -> list[str]:
    return [
        m["args"]["fields"]["remark"]
        for m in api.pushed
        if m["name"] == "finding.record"
        and m["args"]["item_id"] == item_id
        and m["args"]["inspection_id"] == inspection_id
        and "remark" in m["args"]["fields"]
    ]


def test_a_note_typed_then_the_page_closed_before_blur_is_kept_and_sent_once(tablet, api):
    context = tablet()
    page = context.new_page()
    sign_in_and_register(page)
    inspection_id = start_inspection(page)
    api.set_offline(context, True)  # nothing leaves the tablet until it is reopened
    answer(page, "basic.05", "Non-compliant")
    note = page.locator('[data-item="basic.05"]').get_by_label("Note")
    note.press_sequentially(NOTE)  # still focused: no change event, no blur
    page.close()  # the app is closed mid-typing

    page = _reopen(context, inspection_id)
    expect(page.locator('[data-item="basic.05"]').get_by_label("Note")).to_have_value(NOTE)
    api.set_offline(context, False)
    page.get_by_role("link", name="Sync", exact=True).click()
    page.get_by_test_id("sync-now").click()
    wait_until(page, OUTBOX_EMPTY)
    assert _remarks(api, inspection_id, "basic.05") == [NOTE]
    assert api.server_rows("finding")[f"{inspection_id}/basic.05"]["fields"]["remark"] == NOTE
    assert page.evaluate("window.__li.invariant()") is None


def test_a_count_typed_then_the_page_left_is_kept(tablet, api):
    context = tablet()
    page = context.new_page()
    sign_in_and_register(page)
    inspection_id = start_inspection(page)
    answer(page, "basic.05", "Non-compliant")
    men = page.locator('[data-item="basic.05"]').get_by_label("Men", exact=True)
    men.fill("")
    men.press_sequentially("12")
    page.goto("about:blank")  # navigated away before the field lost focus

    page = _reopen(context, inspection_id)
    expect(page.locator('[data-item="basic.05"]').get_by_label("Men", exact=True)).to_have_value("12")
    page.get_by_role("link", name="Sync", exact=True).click()
    page.get_by_test_id("sync-now").click()
    wait_until(page, OUTBOX_EMPTY)
    sent = [
        m["args"]["fields"]["workers_affected"]
        for m in api.pushed
        if m["name"] == "finding.record" and "workers_affected" in m["args"]["fields"]
    ]
    assert sent[-1] == {"men": 12, "women": 0, "under_18": 0}
    assert api.server_rows("finding")[f"{inspection_id}/basic.05"]["fields"]["workers_affected"]["men"] == 12
