"""Offline-first: the service worker serves a cold start, and nothing typed is lost when the page closes."""

from playwright.sync_api import expect

from tests.e2e.flows import answer, idb_dump, sign_in_and_register, start_inspection, unlock


def test_cold_offline_start_is_served_by_the_service_worker(tablet, server, api):
    context = tablet()
    page = context.new_page()
    sign_in_and_register(page)
    inspection_id = start_inspection(page)
    page.close()

    api.offline = True
    context.set_offline(True)
    server.down = True  # and should anything still reach the server, it would fail loudly
    before = len(server.requests)
    responses = []
    page = context.new_page()
    page.on("response", lambda r: responses.append(r))
    page.goto("/")
    unlock(page)
    expect(page.get_by_test_id("drafts").get_by_text("Harbour Garments Ltd")).to_be_visible()
    page.get_by_test_id("drafts").get_by_role("link").first.click()
    expect(page.get_by_test_id("progress")).to_have_text("0 of 5 answered")
    assert inspection_id in page.url

    assert server.requests[before:] == [], "a request reached the server during the offline start"
    app_responses = [r for r in responses if "/api/" not in r.url]
    assert app_responses, "no responses seen"
    assert all(r.from_service_worker for r in app_responses), [
        r.url for r in app_responses if not r.from_service_worker
    ]
    server.down = False


def test_answer_survives_page_close_and_offline_reopen(tablet, api):
    context = tablet()
    page = context.new_page()
    sign_in_and_register(page)
    start_inspection(page)
    api.offline = True
    context.set_offline(True)

    answer(page, "basic.01", "Non-compliant")
    page.close()  # right after the answer: no time for anything else

    page = context.new_page()
    page.goto("/")
    unlock(page)
    page.get_by_test_id("drafts").get_by_role("link").first.click()
    card = page.locator('[data-item="basic.01"]')
    expect(card.get_by_role("button", name="Non-compliant", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("progress")).to_have_text("1 of 5 answered")

    outbox = idb_dump(page, "outbox")
    assert [m["name"] for m in outbox] == ["inspection.create", "finding.record"]
    assert outbox[1]["args"]["fields"] == {"status": "non_compliant"}
    assert page.evaluate("window.__li.invariant()") is None
