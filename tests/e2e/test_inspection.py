"""A whole inspection on one tablet: answers, photo, note, measure, signature, submit, sync to the engine."""

import hashlib
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.e2e.flows import answer, idb_dump, sign_in_and_register, start_inspection, wait_until
from tests.e2e.images import png

# A deadline within the 365 days after the visit a measure may take (counted from the visit, as the server).
DUE = (date.today() + timedelta(days=30)).isoformat()

WAIT_OUTBOX_EMPTY = "async () => (await window.__li.outboxSize()) === 0"


def test_inspect_sign_submit_and_sync(tablet, api):
    context = tablet()
    page = context.new_page()
    sign_in_and_register(page)
    inspection_id = start_inspection(page)
    expect(page.get_by_text("1 items do not apply to this establishment and are hidden.")).to_be_visible()
    expect(page.get_by_test_id("gps")).to_contain_text("±12 m")

    answer(page, "basic.01", "Compliant")
    answer(page, "basic.02", "Compliant")
    answer(page, "basic.03", "Not applicable")
    answer(page, "basic.04", "Not verified")
    answer(page, "basic.05", "Non-compliant")
    card = page.locator('[data-item="basic.05"]')
    card.get_by_role("button", name="Guidance and legal basis").click()
    expect(card.get_by_text("Legal basis: C81 art. 12")).to_be_visible()
    card.get_by_label("Note").fill("Guards missing on 3 machines")
    card.get_by_label("Men", exact=True).fill("2")
    card.get_by_label("Men", exact=True).blur()
    photo = png(seed=5)
    card.locator("input[type=file]").set_input_files({"name": "p.png", "mimeType": "image/png", "buffer": photo})
    expect(card.get_by_test_id("photo")).to_contain_text("GPS 26.08120, 119.30210 (±12 m)")
    expect(page.get_by_test_id("progress")).to_have_text("5 of 5 answered")

    page.get_by_role("link", name="Worker interviews").click()
    # The item card's own "Women" field (workers affected) is on the checklist screen: wait for the new screen.
    expect(page.get_by_role("heading", name="Worker interviews")).to_be_visible()
    page.get_by_label("Women", exact=True).fill("3")
    page.get_by_label("Under 18").fill("1")
    page.get_by_label("Anonymous note (no names)").fill("Overtime unpaid since March")
    page.get_by_role("button", name="Save interview").click()
    expect(page.get_by_text("0 men, 3 women, 1 under 18")).to_be_visible()
    expect(page.get_by_text("Overtime unpaid since March")).to_be_visible()

    page.get_by_role("link", name="Measures").click()
    expect(page.get_by_role("heading", name="Measures", exact=True)).to_be_visible()
    form = page.get_by_test_id("measure-form")
    form.get_by_label("Order to rectify").check()
    form.get_by_label("Rectify by").fill(DUE)
    form.get_by_label("What was decided").fill("Fit machine guards")
    form.get_by_role("button", name="Record measure").click()
    expect(page.get_by_text(f"Order to rectify · by {DUE}")).to_be_visible()

    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_test_id("missing")).to_contain_text("The employer representative has not signed")
    expect(page.get_by_test_id("submit")).to_be_disabled()
    page.get_by_test_id("signer-name").fill("Li Wei")
    pad = page.get_by_test_id("signature-pad").bounding_box()
    page.mouse.move(pad["x"] + 20, pad["y"] + 40)
    page.mouse.down()
    page.mouse.move(pad["x"] + 200, pad["y"] + 90, steps=8)
    page.mouse.move(pad["x"] + 320, pad["y"] + 30, steps=8)
    page.mouse.up()
    page.get_by_role("button", name="Save signature").click()
    expect(page.get_by_test_id("signed")).to_have_text("Signed by Li Wei.")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("locked")).to_be_visible()  # locked at once, before any sync

    page.get_by_role("link", name="Checklist").click()
    expect(page.locator('[data-item="basic.01"]').get_by_role("button", name="Compliant", exact=True)).to_be_disabled()

    page.get_by_role("link", name="Sync", exact=True).click()
    page.get_by_test_id("sync-now").click()
    wait_until(page, WAIT_OUTBOX_EMPTY)
    wait_until(
        page,
        "async (id) => (await window.__li.dump('inspections')).find(i => i.id === id).status === 'submitted'",
        inspection_id,
    )

    [local] = [i for i in idb_dump(page, "inspections") if i["id"] == inspection_id]
    # The server (the real sync engine) accepted everything, and recomputed the same content hash.
    names = [m["name"] for m in api.pushed]
    assert names.count("finding.record") == 7  # five answers, one note, the workers affected
    assert names.count("interview.record") == 1
    assert {"inspection.create", "photo.attach", "signature.attach", "action.record", "inspection.submit"} <= set(names)
    server = api.server_rows("inspection")[inspection_id]
    assert server["status"] == "submitted"
    assert server["submitted_hash"] == local["submitted_hash"]
    assert server["header"]["employer_representative"] == "Li Wei"
    finding = api.server_rows("finding")[f"{inspection_id}/basic.05"]
    assert finding["fields"] == {
        "status": "non_compliant",
        "remark": "Guards missing on 3 machines",
        "workers_affected": {"men": 2, "women": 0, "under_18": 0},
    }
    sha = hashlib.sha256(photo).hexdigest()
    assert api.store.blob_verified(sha) and bytes(api.blobs[sha]) == photo
    assert page.evaluate("window.__li.invariant()") is None
    assert page.evaluate("window.__li.syncState().last_error") is None
    expect(page.get_by_test_id("outbox-count")).to_have_text("0")
