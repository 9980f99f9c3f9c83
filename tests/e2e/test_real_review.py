"""The supervisor's side reaching the tablet through pull (PROTOCOL.md §5), against the real backend: a submitted
inspection returned for correction (unlocked, shown with the comment, corrected and submitted again as revision 2,
then approved and read-only), an inspection a supervisor assigns over REST (worked offline like one the tablet
created), and reference data (establishments with their history, checklists, open orders) kept current by sync.
"""

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.flows import (
    IDLE,
    OUTBOX_EMPTY,
    answer,
    idb_dump,
    shown_items,
    sign,
    wait_until,
)
from tests.e2e.realbackend import (
    CHECKLIST,
    ESTABLISHMENT,
    INSPECTOR,
    PASSWORD,
    register,
    run_backend,
    tablet,
)

SUPERVISOR = "supervisor@test.example"
CHECKLIST_REF = {"key": "general-administration", "version": 2}
COMMENT = "The register of young workers is missing; check item 1 again."


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-review")
    for url in run_backend(tmp, dist):
        yield url, tmp


class Api:
    """The REST API as one signed-in user (the supervisor's side of the workflow)."""

    def __init__(self, url: str, email: str) -> None:
        token = httpx.post(f"{url}/api/v1/auth/token", data={"username": email, "password": PASSWORD})
        assert token.status_code == 200, token.text
        self.client = httpx.Client(
            base_url=f"{url}/api/v1", headers={"Authorization": f"Bearer {token.json()['access_token']}"}
        )

    def get(self, path: str) -> dict:
        response = self.client.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    def post(self, path: str, body: dict, status: int = 200) -> dict:
        response = self.client.post(path, json=body)
        assert response.status_code == status, response.text
        return response.json()

    def patch(self, path: str, body: dict) -> dict:
        response = self.client.patch(path, json=body)
        assert response.status_code == 200, response.text
        return response.json()


def _sync_until(page: Page, condition: str, arg: object = None, timeout_s: float = 40) -> None:
    """Press "Sync now" (through the debug hook) whenever sync is idle, until the outbox is empty and
    `condition` holds."""
    deadline = time.monotonic() + timeout_s
    while not (page.evaluate(OUTBOX_EMPTY) and page.evaluate(condition, arg)):
        assert time.monotonic() < deadline, f"not synced in {timeout_s} s: {page.evaluate('window.__li.syncState()')}"
        if page.evaluate(IDLE):
            page.evaluate("() => { window.__li.syncNow(); }")
        page.wait_for_timeout(300)
    wait_until(page, IDLE)


def _local(page: Page, inspection_id: str) -> dict:
    [row] = [i for i in idb_dump(page, "inspections") if i["id"] == inspection_id]
    return row


def _status_is(status: str) -> str:
    return f"async (id) => (await window.__li.dump('inspections')).find(i => i.id === id)?.status === '{status}'"


def _no_refusals(page: Page) -> None:
    refused = [(o["name"], o["reason"], o["detail"]) for o in idb_dump(page, "outcomes")]
    assert refused == [], refused


def test_returned_for_correction_is_unlocked_corrected_resubmitted_and_then_approved(browser: Browser, backend):
    url, _tmp = backend
    supervisor = Api(url, SUPERVISOR)
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        page.get_by_role("link", name="Establishments", exact=True).first.click()
        page.get_by_test_id("est-search").fill(ESTABLISHMENT)
        page.get_by_role("link", name=ESTABLISHMENT).first.click()
        establishment_id = page.url.rsplit("/", 1)[-1]
        page.get_by_test_id("start-inspection").click()
        page.get_by_label(CHECKLIST).check()
        page.get_by_test_id("start").click()
        expect(page.get_by_test_id("progress")).to_be_visible()
        inspection_id = page.url.rsplit("/", 1)[-1]
        items = shown_items(page)
        for item in items:
            answer(page, item, "Compliant")
        page.get_by_role("link", name="Review and submit").click()
        sign(page)
        page.get_by_test_id("submit").click()
        expect(page.get_by_test_id("locked")).to_be_visible()
        _sync_until(page, _status_is("submitted"), inspection_id)
        first_hash = _local(page, inspection_id)["submitted_hash"]
        server = supervisor.get(f"/inspections/{inspection_id}")
        assert (server["status"], server["revision"]) == ("submitted", 1)

        # The supervisor returns it, and records an order for the establishment (both over REST).
        supervisor.post(f"/inspections/{inspection_id}/review", {"decision": "return", "comment": COMMENT})
        order = supervisor.post(
            f"/inspections/{inspection_id}/actions",
            {"measure": "order_to_rectify", "deadline_days": 30, "text": "Keep a register of young workers."},
            status=201,
        )
        _sync_until(page, _status_is("draft"), inspection_id)
        local = _local(page, inspection_id)
        assert local["review"]["decision"] == "return" and local["review"]["comment"] == COMMENT

        # Home lists it under "Returned for correction" with the comment; inside, the comment and no lock.
        page.get_by_role("link", name="Home", exact=True).first.click()
        corrections = page.get_by_test_id("corrections")
        expect(corrections).to_contain_text(ESTABLISHMENT)
        expect(corrections.get_by_test_id("return-comment")).to_have_text(f"Supervisor: {COMMENT}")
        expect(page.get_by_test_id("drafts")).to_have_count(0)  # not listed twice
        page.get_by_test_id("lang").click()
        expect(page.get_by_role("heading", name="退回修改的检查")).to_be_visible()
        page.get_by_test_id("lang").click()
        corrections.get_by_role("link").first.click()
        expect(page.get_by_test_id("review-comment")).to_contain_text(COMMENT)
        expect(page.get_by_test_id("locked")).to_have_count(0)

        # The correction is made offline, then synced (pushed before the next pull, as always).
        context.set_offline(True)
        answer(page, items[0], "Not applicable")
        context.set_offline(False)
        _sync_until(page, "() => true")
        [finding] = [f for f in idb_dump(page, "findings") if f["item_id"] == items[0]]
        assert finding["fields"]["status"] == "not_applicable"
        page.get_by_role("link", name="Review and submit").click()
        expect(page.get_by_test_id("signed")).to_be_visible()  # the signature stays with the record
        page.get_by_test_id("submit").click()
        expect(page.get_by_test_id("locked")).to_be_visible()
        _sync_until(page, _status_is("submitted"), inspection_id)
        _no_refusals(page)
        second_hash = _local(page, inspection_id)["submitted_hash"]
        assert second_hash and second_hash != first_hash
        server = supervisor.get(f"/inspections/{inspection_id}")
        assert (server["status"], server["revision"]) == ("submitted", 2)
        [changed] = [f for f in server["findings"] if f["item_id"] == items[0]]
        assert changed["status"] == "not_applicable"

        # Approved: shown as approved, read-only.
        supervisor.post(f"/inspections/{inspection_id}/review", {"decision": "approve", "comment": "Thank you."})
        _sync_until(
            page,
            "async (id) => (await window.__li.dump('inspections')).find(i => i.id === id)?.review?.decision"
            " === 'approve'",
            inspection_id,
        )
        expect(page.get_by_test_id("approved")).to_contain_text("Approved by the supervisor")
        expect(page.get_by_test_id("submit")).to_have_count(0)
        page.get_by_role("link", name="Checklist", exact=True).click()
        expect(
            page.locator(f'[data-item="{items[1]}"]').get_by_role("button", name="Compliant", exact=True)
        ).to_be_disabled()

        # Reference data came with the same pulls: the order (open, with its deadline) and the history.
        actions = {a["id"]: a for a in idb_dump(page, "actions")}
        assert actions[order["id"]]["status"] == "open" and actions[order["id"]]["establishment_id"] == establishment_id
        [establishment] = [e for e in idb_dump(page, "establishments") if e["id"] == establishment_id]
        assert [(h["inspection_id"], h["revision"]) for h in establishment["history"]] == [(inspection_id, 2)]
        assert establishment["search"].startswith("riverside garments")
        page.goto(f"/#/establishments/{establishment_id}")
        expect(page.get_by_test_id("open-orders")).to_contain_text("Keep a register of young workers.")
    finally:
        context.close()


def test_an_inspection_the_supervisor_assigns_is_pulled_and_worked_offline(browser: Browser, backend):
    url, _tmp = backend
    supervisor = Api(url, SUPERVISOR)
    inspector = Api(url, INSPECTOR).get("/users/me")
    establishments = supervisor.get("/establishments?limit=50")["items"]
    [establishment] = [e for e in establishments if e["name"] == ESTABLISHMENT]
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        checklists = {c["ref"] for c in idb_dump(page, "checklists")}
        assert "general-administration@2" in checklists and len(checklists) >= 14  # pulled with the definitions
        created = supervisor.post(
            "/inspections",
            {
                "establishment_id": establishment["id"],
                "type": "follow_up",
                "lead_inspector_id": inspector["id"],
                "checklists": [CHECKLIST_REF],
                "started_at": datetime.now(UTC).isoformat(),
            },
            status=201,
        )
        inspection_id = created["id"]
        _sync_until(page, "async (id) => (await window.__li.dump('inspections')).some(i => i.id === id)", inspection_id)
        local = _local(page, inspection_id)
        assert (local["status"], local["type"], local["checklist"]) == (
            "draft",
            "follow_up",
            "general-administration@2",
        )
        # dated the local day of its start in the district's zone (Asia/Shanghai by default)
        assert local["header"]["visit_date"] == datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()

        page.get_by_role("link", name="Home", exact=True).first.click()
        assigned = page.get_by_test_id("assigned")
        expect(assigned).to_contain_text(ESTABLISHMENT)
        expect(assigned).to_contain_text("Follow-up")

        # Worked offline like one the tablet created.
        context.set_offline(True)
        assigned.get_by_role("link").first.click()
        expect(page.get_by_test_id("progress")).to_be_visible()
        items = shown_items(page)
        assert len(items) >= 20
        for item in items[:3]:
            answer(page, item, "Compliant")
        expect(page.get_by_test_id("progress")).to_contain_text(f"3 of {len(items)} answered")
        context.set_offline(False)
        _sync_until(page, "() => true")
        _no_refusals(page)
        server = supervisor.get(f"/inspections/{inspection_id}")
        assert sorted(f["item_id"] for f in server["findings"] if f["status"] == "compliant") == sorted(items[:3])
        assert page.evaluate("window.__li.invariant()") is None
    finally:
        context.close()


def test_an_inspector_taken_off_the_team_loses_the_inspection_and_is_told_why(browser: Browser, backend):
    """The lead removes the inspector from the team while the tablet is offline with an answer queued: the
    answer is refused (not silently lost: it is listed with its reason) and the inspection, its findings and
    notes leave the tablet."""
    url, _tmp = backend
    supervisor = Api(url, SUPERVISOR)
    me = Api(url, INSPECTOR).get("/users/me")
    lead = Api(url, "second@test.example")
    second = lead.get("/users/me")
    [establishment] = [e for e in supervisor.get("/establishments?limit=50")["items"] if e["name"] == ESTABLISHMENT]
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        created = supervisor.post(
            "/inspections",
            {"establishment_id": establishment["id"], "type": "planned", "lead_inspector_id": second["id"],
             "team": [me["id"]], "checklists": [CHECKLIST_REF], "started_at": datetime.now(UTC).isoformat()},
            status=201,
        )  # fmt: skip
        inspection_id = created["id"]
        _sync_until(page, "async (id) => (await window.__li.dump('inspections')).some(i => i.id === id)", inspection_id)

        context.set_offline(True)
        page.get_by_role("link", name="Home", exact=True).first.click()
        assigned = page.get_by_test_id("assigned")
        expect(assigned).to_contain_text(ESTABLISHMENT)
        assigned.get_by_role("link").first.click()
        expect(page.get_by_test_id("progress")).to_be_visible()
        item = shown_items(page)[0]
        answer(page, item, "Compliant")
        lead.patch(f"/inspections/{inspection_id}", {"team": []})  # the lead changes the team
        context.set_offline(False)

        gone = "async (id) => !(await window.__li.dump('inspections')).some(i => i.id === id)"
        _sync_until(page, gone, inspection_id)
        refused = [(o["name"], o["reason"]) for o in idb_dump(page, "outcomes")]
        assert refused == [("finding.record", "forbidden")], refused
        assert not [f for f in idb_dump(page, "findings") if f["inspection_id"] == inspection_id]
        assert supervisor.get(f"/inspections/{inspection_id}")["findings"] == []
        assert page.evaluate("window.__li.invariant()") is None
    finally:
        context.close()
