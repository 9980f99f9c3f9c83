"""Team members are picked by name (GET /users/colleagues, kept for offline use), and being offline is shown
as offline, not as a network error (issue 14, defect 6)."""

from playwright.sync_api import expect

from tests.e2e.fakeapi import COLLEAGUES
from tests.e2e.flows import sign_in_and_register


def test_team_members_are_picked_by_name_even_offline(tablet, api):
    context = tablet()
    page = context.new_page()
    sign_in_and_register(page)
    api.set_offline(context, True)
    page.get_by_role("link", name="Establishments", exact=True).first.click()
    page.get_by_test_id("est-search").fill("Harbour Garments")
    page.get_by_role("link", name="Harbour Garments").first.click()
    page.get_by_test_id("start-inspection").click()
    team = page.get_by_test_id("team")
    expect(team).not_to_contain_text(COLLEAGUES[0]["id"])
    team.get_by_label("Zhou Min").check()
    page.get_by_label("E2E basic checklist").check()
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("progress")).to_be_visible()
    [created] = [e for e in page.evaluate("window.__li.dump('outbox')") if e["name"] == "inspection.create"]
    assert COLLEAGUES[0]["id"] in created["args"]["team"]
    assert COLLEAGUES[1]["id"] not in created["args"]["team"]


def test_offline_is_shown_plainly_not_as_an_error(tablet, api):
    context = tablet()
    page = context.new_page()
    sign_in_and_register(page)
    api.set_offline(context, True)
    page.get_by_role("link", name="Sync", exact=True).click()
    page.get_by_test_id("sync-now").click()
    badge = page.get_by_test_id("sync-badge")
    expect(badge.get_by_test_id("offline")).to_have_text("Offline: changes are kept on this tablet")
    expect(badge).not_to_have_class("badge warn")
    expect(badge).not_to_contain_text("error")
    expect(page.get_by_test_id("last-error")).to_contain_text("Offline: the server could not be reached.")
    expect(page.get_by_test_id("last-error")).not_to_have_class("err")
