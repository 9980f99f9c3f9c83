"""One record of an inspection (issue 14), end to end against the real backend: an inspection done offline with
GPS, notes, a photo, a signature, an interview and a measure, synced once, shows every part through
``GET /inspections/{id}``, in its submission snapshot (whose SHA-256 is the hash the tablet computed from its own
rows, ``hash_version`` 2) and on a supervisor's tablet, where the photo is "not downloaded", never "damaged",
until its preview is fetched.
"""

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.flows import IDLE, OUTBOX_EMPTY, SYNCED, idb_dump, sign, wait_for_service_worker, wait_until
from tests.e2e.images import png
from tests.e2e.realbackend import NON_COMPLIANT, PASSWORD, db_rows, register, run_backend, start_inspection, tablet

# A deadline within the 365 days after the visit a measure may take (counted from the visit, as the server).
DUE = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()

SUPERVISOR = "supervisor@test.example"
REMARK = "Register of working hours not kept"
INTERVIEW_NOTE = "Overtime unpaid since March"
MEASURE_TEXT = "Keep a register of working hours"


# A time zone whose date differs from UTC's now (UTC+14 from 10:00 UTC, UTC-11 before 11:00 UTC): the org units
# work there (LI_DEFAULT_TIMEZONE), so the visit date is checked to be the local date, whenever the test runs.
ZONE = "Pacific/Kiritimati" if datetime.now(UTC).hour >= 10 else "Pacific/Pago_Pago"


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-record")
    for url in run_backend(tmp, dist, {"LI_DEFAULT_TIMEZONE": ZONE}):
        yield url, tmp


def _sync_until_submitted(page: Page, inspection_id: str) -> None:
    submitted = "async (id) => (await window.__li.dump('inspections')).find(i => i.id === id)?.status === 'submitted'"
    for _ in range(100):  # bounded: ~30 s
        if page.evaluate(OUTBOX_EMPTY) and page.evaluate(submitted, inspection_id):
            return
        if page.evaluate(IDLE):
            page.evaluate("() => { window.__li.syncNow(); }")
        page.wait_for_timeout(300)
    raise AssertionError(f"not submitted: {page.evaluate('window.__li.syncState()')}")


def _register_supervisor(page: Page) -> None:
    page.goto("/")
    page.get_by_label("E-mail").fill(SUPERVISOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Register this tablet").click()  # from the supervisor's desk
    expect(page.get_by_role("heading", name="Register this tablet")).to_be_visible()
    page.get_by_role("button", name="Register this tablet").click()
    expect(page.get_by_role("heading", name="Hello, Supervisor")).to_be_visible()
    wait_for_service_worker(page)
    wait_until(page, SYNCED)


def test_an_offline_inspection_is_one_complete_record_everywhere(browser: Browser, backend):
    url, tmp = backend
    db = tmp / "e2e.db"
    # The tablet's clock is in UTC: it dates the visit in the establishment's zone (pulled with it), as the server.
    context = tablet(browser, url, timezone_id="UTC")
    try:
        page = context.new_page()
        register(page)
        context.set_offline(True)
        local_today = datetime.now(ZoneInfo(ZONE)).date().isoformat()
        assert local_today != datetime.now(UTC).date().isoformat()

        inspection_id, items = start_inspection(page)
        for item in items:
            label = "Non-compliant" if item == NON_COMPLIANT else "Compliant"
            button = page.locator(f'[data-item="{item}"]').get_by_role("button", name=label, exact=True)
            button.click()
            expect(button).to_have_attribute("aria-pressed", "true")
        card = page.locator(f'[data-item="{NON_COMPLIANT}"]')
        card.get_by_label("Note").fill(REMARK)
        card.get_by_label("Men", exact=True).fill("2")
        card.get_by_label("Men", exact=True).blur()
        photo = png(seed=11)
        card.locator("input[type=file]").set_input_files({"name": "p.png", "mimeType": "image/png", "buffer": photo})
        expect(card.get_by_test_id("photo")).to_contain_text("GPS 39.90000, 116.40000 (±20 m)")

        page.get_by_role("link", name="Worker interviews").click()
        expect(page.get_by_role("heading", name="Worker interviews")).to_be_visible()
        page.get_by_label("Women", exact=True).fill("3")
        page.get_by_label("Under 18").fill("1")
        page.get_by_label("Anonymous note (no names)").fill(INTERVIEW_NOTE)
        page.get_by_role("button", name="Save interview").click()
        expect(page.get_by_text(INTERVIEW_NOTE)).to_be_visible()

        page.get_by_role("link", name="Measures").click()
        expect(page.get_by_role("heading", name="Measures", exact=True)).to_be_visible()
        form = page.get_by_test_id("measure-form")
        form.get_by_label("Order to rectify").check()
        form.get_by_label("Rectify by").fill(DUE)
        form.get_by_label("What was decided").fill(MEASURE_TEXT)
        form.get_by_role("button", name="Record measure").click()
        expect(page.get_by_text(f"Order to rectify · by {DUE}")).to_be_visible()

        page.get_by_role("link", name="Review and submit").click()
        sign(page, "Li Wei")
        page.get_by_test_id("submit").click()
        expect(page.get_by_test_id("locked")).to_be_visible()
        [local] = [i for i in idb_dump(page, "inspections") if i["id"] == inspection_id]
        device_hash = local["submitted_hash"]
        assert device_hash.startswith("sha256:")

        context.set_offline(False)
        _sync_until_submitted(page, inspection_id)
        refused = [(o["name"], o["reason"], o["detail"]) for o in idb_dump(page, "outcomes")]
        assert refused == [], refused  # a hash the server did not compute alike is `rejected: hash_mismatch`
    finally:
        context.close()

    # The server's record: every part, through GET /inspections/{id}.
    token = httpx.post(f"{url}/api/v1/auth/token", data={"username": SUPERVISOR, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    record = httpx.get(f"{url}/api/v1/inspections/{inspection_id}", headers=headers).json()
    assert record["status"] == "submitted"
    assert (record["gps_status"], record["gps_latitude"], record["gps_longitude"]) == ("fix", 39.9, 116.4)
    assert record["gps_accuracy_m"] == 20 and record["gps_at"] is not None
    assert record["employer_representative"] == "Li Wei"
    assert record["visit_date"] == local_today and record["started_at"]  # the local date, not the UTC one
    [nc] = [f for f in record["findings"] if f["item_id"] == NON_COMPLIANT]
    assert nc["status"] == "non_compliant" and nc["note"] == REMARK and nc["workers_men"] == 2
    sha = hashlib.sha256(photo).hexdigest()
    [shown] = record["photos"]
    assert shown["sha256"] == sha and shown["item_id"] == NON_COMPLIANT
    assert (shown["latitude"], shown["longitude"], shown["accuracy_m"]) == (39.9, 116.4, 20)
    assert shown["taken_at"] is not None
    [signature] = record["signatures"]
    assert (signature["signer_name"], signature["signer_role"]) == ("Li Wei", "employer")
    assert signature["signed_at"] is not None
    [interview] = record["interviews"]
    assert (interview["men"], interview["women"], interview["under_18"]) == (0, 3, 1)
    assert interview["note"] == INTERVIEW_NOTE
    [measure] = record["measures"]
    assert (measure["measure"], measure["text"]) == ("order_to_rectify", MEASURE_TEXT)

    # The submission snapshot, the legal record: it holds them all, and its hash is the tablet's.
    [submission] = record["submissions"]
    assert "sha256:" + submission["sha256"] == device_hash == submission["device_content_hash"]
    [(stored_sha, content)] = db_rows(
        db,
        "SELECT sha256, content FROM inspection_submission WHERE replace(inspection_id, '-', '') = ?",
        inspection_id.replace("-", ""),
    )
    assert "sha256:" + stored_sha == device_hash
    snapshot = json.loads(content)
    assert snapshot["hash_version"] == 2
    assert snapshot["header"]["gps"] == {"lat": 39.9, "lon": 116.4, "accuracy_m": 20}
    assert snapshot["header"]["employer_representative"] == "Li Wei"
    assert snapshot["header"]["visit_date"] == record["visit_date"]
    assert [p["sha256"] for p in snapshot["photos"]] == [sha]
    assert snapshot["photos"][0]["latitude"] == 39.9
    assert [s["signer_name"] for s in snapshot["signatures"]] == ["Li Wei"]
    assert snapshot["interviews"] == [{"men": 0, "women": 3, "under_18": 1, "note": INTERVIEW_NOTE}]
    assert [(m["measure"], m["text"]) for m in snapshot["measures"]] == [("order_to_rectify", MEASURE_TEXT)]
    assert [f["remark"] for f in snapshot["findings"] if f["item_id"] == NON_COMPLIANT] == [REMARK]

    # A supervisor's tablet pulls the record: the photo is there without its bytes ("not downloaded", with its
    # position, never "damaged"), the signer is named, and the preview is fetched through the evidence route.
    context = tablet(browser, url, timezone_id=ZONE)
    try:
        page = context.new_page()
        _register_supervisor(page)
        wait_until(
            page, "async (id) => (await window.__li.dump('photos')).some(p => p.inspection_id === id)", inspection_id
        )
        page.goto(f"/#/inspections/{inspection_id}")
        thumb = page.locator(f'[data-item="{NON_COMPLIANT}"]').get_by_test_id("photo")
        expect(thumb).to_have_attribute("data-state", "not_downloaded")
        expect(thumb).to_contain_text("Not downloaded")
        expect(thumb).not_to_contain_text("Damaged")
        expect(thumb).to_contain_text("GPS 39.90000, 116.40000 (±20 m)")
        expect(page.locator(".banner.error")).to_have_count(0)
        thumb.get_by_test_id("photo-download").click()
        expect(thumb).to_have_attribute("data-state", "shown")
        page.get_by_role("link", name="Review and submit").click()
        expect(page.get_by_test_id("signed")).to_have_text("Signed by Li Wei.")
    finally:
        context.close()


DOCTOR = """async ({ id, at, utcDate }) => {
  // Read through the app (its records are sealed at rest, issue 21), written back raw and in the clear: what the
  // previous version, which did not seal, left behind.
  const inspection = (await window.__li.dump('inspections')).find((i) => i.id === id);
  const queued = (await window.__li.dump('outbox')).filter((m) => m.args.inspection_id === id);
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('labour-inspection');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const t = db.transaction(['inspections', 'outbox'], 'readwrite');
  const done = new Promise((resolve, reject) => { t.oncomplete = resolve; t.onerror = () => reject(t.error); });
  const header = { ...inspection.header, visit_date: utcDate };
  t.objectStore('inspections').put({ ...inspection, header, created_at: at });
  for (const m of queued) {
    m.client_ts = at;
    if (m.name === 'inspection.create') m.args.header = { ...m.args.header, visit_date: utcDate };
    t.objectStore('outbox').put(m);
  }
  await done;
  db.close();
}"""


def test_a_week_old_draft_of_the_previous_app_version_submits_after_the_update(browser: Browser, backend):
    """The previous app version dated a new inspection with the UTC date of its clock and queued it; a week later,
    offline all along, the updated app submits it: the date is corrected to the local one (an
    ``inspection.update``) before the v2 hash, so the server accepts it and its snapshot has the tablet's hash."""
    url, tmp = backend
    db = tmp / "e2e.db"
    week_ago = (datetime.now(UTC) - timedelta(days=7)).date()
    hour = 23 if ZONE == "Pacific/Kiritimati" else 5  # a moment whose local date is not its UTC date
    at = datetime(week_ago.year, week_ago.month, week_ago.day, hour, 30, tzinfo=UTC)
    local = at.astimezone(ZoneInfo(ZONE)).date().isoformat()
    assert local != at.date().isoformat()
    context = tablet(browser, url, timezone_id=ZONE)
    try:
        page = context.new_page()
        register(page)
        context.set_offline(True)
        inspection_id, items = start_inspection(page)
        # What the previous version left: the draft and its queued create, dated with the UTC date, a week ago.
        page.evaluate(DOCTOR, {"id": inspection_id, "at": at.isoformat().replace("+00:00", "Z"),
                               "utcDate": at.date().isoformat()})  # fmt: skip
        page.reload()  # the updated app starts offline from its service worker
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Unlock").click()
        expect(page.get_by_role("button", name="Unlock")).to_have_count(0)
        page.goto(f"/#/inspections/{inspection_id}")
        for item in items:
            button = page.locator(f'[data-item="{item}"]').get_by_role("button", name="Compliant", exact=True)
            button.click()
            expect(button).to_have_attribute("aria-pressed", "true")
        page.get_by_role("link", name="Review and submit").click()
        sign(page, "Zhang Min")
        page.get_by_test_id("submit").click()
        expect(page.get_by_test_id("locked")).to_be_visible()
        [held] = [i for i in idb_dump(page, "inspections") if i["id"] == inspection_id]
        assert held["header"]["visit_date"] == local
        queued = [e for e in idb_dump(page, "outbox") if e["args"].get("inspection_id") == inspection_id]
        fixes = [e["args"]["fields"] for e in queued if e["name"] == "inspection.update"]
        assert {"visit_date": local} in fixes, fixes

        context.set_offline(False)
        _sync_until_submitted(page, inspection_id)
        refused = [(o["name"], o["reason"], o["detail"]) for o in idb_dump(page, "outcomes")]
        assert refused == [], refused
        device_hash = held["submitted_hash"]
    finally:
        context.close()
    [(visit_date, stored_sha)] = db_rows(
        db,
        "SELECT i.visit_date, s.sha256 FROM inspection i JOIN inspection_submission s ON s.inspection_id = i.id"
        " WHERE replace(i.id, '-', '') = ?",
        inspection_id.replace("-", ""),
    )
    assert str(visit_date)[:10] == local
    assert "sha256:" + stored_sha == device_hash
