"""Two tablets answer the same item differently while apart; the lead sees both values and chooses one."""

from playwright.sync_api import expect

from tests.e2e.flows import answer, sign, sign_in_and_register, start_inspection, wait_until

OUTBOX_EMPTY = "async () => (await window.__li.outboxSize()) === 0"


def sync_now(page):
    page.evaluate("window.__li.syncNow()")
    wait_until(page, OUTBOX_EMPTY)


def test_field_conflict_between_two_tablets_is_resolved_by_the_lead(tablet, api):
    a_context, b_context = tablet(), tablet()
    a = a_context.new_page()
    sign_in_and_register(a)
    inspection_id = start_inspection(a)
    sync_now(a)

    b = b_context.new_page()
    sign_in_and_register(b)  # same inspector, second tablet: pulls the inspection
    wait_until(b, "async (id) => (await window.__li.dump('inspections')).some(i => i.id === id)", inspection_id)

    api.set_offline(a_context, True)
    answer(a, "basic.01", "Compliant")  # tablet A, no network

    b.goto(f"/#/inspections/{inspection_id}")
    answer(b, "basic.01", "Non-compliant")
    sync_now(b)

    api.set_offline(a_context, False)
    sync_now(a)
    wait_until(a, "async () => (await window.__li.dump('conflicts')).some(c => c.status === 'open')")
    [server_conflict] = api.server_rows("conflict").values()
    assert server_conflict["field"] == "fields.status"

    a.get_by_role("link", name="Conflicts", exact=True).first.click()
    conflict = a.get_by_test_id("conflict")
    expect(conflict).to_contain_text("Compliant")
    expect(conflict).to_contain_text("Non-compliant")
    conflict.get_by_label("Note on your choice").fill("Re-checked on site")
    side = conflict.locator(".side").filter(has=a.get_by_text("Compliant", exact=True))
    side.get_by_role("button", name="Keep this value").click()
    sync_now(a)
    wait_until(a, "async () => (await window.__li.dump('conflicts')).every(c => c.status === 'resolved')")
    expect(a.get_by_text("No open conflicts.")).to_be_visible()
    finding = api.server_rows("finding")[f"{inspection_id}/basic.01"]
    assert finding["fields"]["status"] == "compliant"
    assert finding["fields_conflicts"] == {}


def test_changing_an_answer_twice_offline_is_not_a_conflict(tablet, api):
    context = tablet()
    page = context.new_page()
    sign_in_and_register(page)
    api.set_offline(context, True)
    inspection_id = start_inspection(page)
    answer(page, "basic.01", "Non-compliant")
    answer(page, "basic.01", "Compliant")  # the inspector corrects herself, still offline
    api.set_offline(context, False)
    sync_now(page)
    assert api.server_rows("conflict") == {}
    assert api.server_rows("finding")[f"{inspection_id}/basic.01"]["fields"]["status"] == "compliant"


def test_a_refusal_after_sync_is_explained_on_the_home_screen_in_both_languages(tablet, api):
    """Tablet B answers offline while tablet A submits: B's answer comes back refused (immutable), and the home
    screen says so in plain words, not as a technical code."""
    a_context, b_context = tablet(), tablet()
    a = a_context.new_page()
    sign_in_and_register(a)
    inspection_id = start_inspection(a)
    sync_now(a)
    b = b_context.new_page()
    sign_in_and_register(b)
    wait_until(b, "async (id) => (await window.__li.dump('inspections')).some(i => i.id === id)", inspection_id)
    api.set_offline(b_context, True)
    b.goto(f"/#/inspections/{inspection_id}")
    answer(b, "basic.01", "Non-compliant")

    for item in ("basic.01", "basic.02", "basic.03", "basic.04", "basic.05"):
        answer(a, item, "Compliant")
    a.get_by_role("link", name="Review and submit").click()
    sign(a)
    a.get_by_test_id("submit").click()
    sync_now(a)
    assert api.server_rows("inspection")[inspection_id]["status"] == "submitted"

    api.set_offline(b_context, False)
    sync_now(b)
    b.goto("/#/")
    refusal = b.get_by_test_id("refusal")
    expect(refusal).to_contain_text("An answer was refused")
    expect(refusal).to_contain_text("The inspection was already submitted and is locked; the change was not kept.")
    expect(refusal).not_to_contain_text("immutable")
    b.get_by_test_id("lang").click()
    expect(refusal).to_contain_text("一项回答被拒绝")
    expect(refusal).to_contain_text("该检查已提交并锁定；此更改未被保存。")
    b.get_by_test_id("lang").click()
    refusal.get_by_role("link", name="Open the inspection").click()
    expect(b).to_have_url(f"{b.url.split('#')[0]}#/inspections/{inspection_id}/review")
