"""End to end against the real backend: an order whose deadline passed is marked overdue by the daily sweep (the
CLI, as the worker runs it); at the desk (#/desk/cases/enforcement) the supervisor sees it with the proposed next
step, dismisses one proposal with a reason (kept in the history), escalates the other to a penalty with its
article and decision number, lodges an appeal against the penalty (its deadline suspended) and decides it, then
discloses the penalty decision to the public (Administrative Penalty Law Art. 48) and withdraws it with a reason."""

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.realbackend import PASSWORD, ROOT, run_backend

ARTICLE = "《劳动保障监察条例》第二十五条"  # warning, order to rectify and a fine per worker (laws/ checked)


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-enforcement")
    for url in run_backend(tmp, dist):
        yield url, tmp


def token(url: str, email: str) -> dict[str, str]:
    r = httpx.post(f"{url}/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def two_late_orders(url: str) -> list[dict]:
    auth = token(url, "inspector@test.example")
    api = httpx.Client(base_url=f"{url}/api/v1", headers=auth)
    checklist = next(c for c in api.get("/checklists").json() if c["key"] == "general-administration")
    establishment = api.get("/establishments").json()["items"][0]
    started = datetime.now(UTC) - timedelta(days=40)
    insp = api.post(
        "/inspections",
        json={
            "establishment_id": establishment["id"],
            "type": "planned",
            "checklists": [{"key": checklist["key"], "version": checklist["version"]}],
            "started_at": started.isoformat(),
        },
    )
    assert insp.status_code == 201, insp.text
    items = ["ga.est.01", "ga.reg.06"]  # enforced by the inspectorate: a penalty is its own to impose
    orders = []
    for item in items:
        r = api.post(
            f"/inspections/{insp.json()['id']}/actions",
            json={"measure": "order_to_rectify", "item_id": item, "deadline_days": 14},
        )
        assert r.status_code == 201, r.text
        orders.append(r.json())
    return orders


def cli(tmp: Path, command: str) -> str:
    """Run one daily job through the CLI on the e2e backend's database (the worker runs the same function)."""
    env = {
        **os.environ,
        "LI_ENVIRONMENT": "test",
        "LI_DATABASE_URL": f"sqlite:///{tmp}/e2e.db",
        "LI_SECRET_KEY": "e2e-secret-key-0123456789abcdef-0123456789",
        "LI_CHECKLISTS_DIR": str(ROOT / "checklists"),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "backend.cli", command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def sweep(tmp: Path) -> str:
    return cli(tmp, "enforcement-sweep")


def test_the_supervisor_dismisses_one_escalation_and_escalates_another_to_a_penalty_then_an_appeal(browser, backend):
    url, tmp = backend
    first, second = two_late_orders(url)
    assert sweep(tmp).startswith("2 overdue, 2 proposed")
    context = browser.new_context(base_url=url, locale="en-GB", service_workers="block")
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/#/desk/cases/enforcement")
        page.get_by_label("E-mail").fill("supervisor@test.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        overdue = page.get_by_test_id(f"overdue-{first['id']}")
        expect(overdue).to_contain_text("Order to rectify")
        expect(overdue).to_contain_text("overdue")
        proposal = page.get_by_test_id(f"escalation_proposals-{first['id']}")
        expect(proposal).to_contain_text("Proposed next step: Administrative penalty")
        # Dismiss the first proposal with a reason, by keyboard.
        proposal.get_by_label("Reason").fill("works under way, a week's grace")
        proposal.get_by_test_id(f"dismiss-{first['id']}").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_test_id(f"escalation_proposals-{first['id']}")).to_have_count(0)
        still = page.get_by_test_id(f"overdue-{first['id']}")
        still.get_by_test_id(f"show-history-{first['id']}").click()
        history = still.get_by_test_id(f"history-{first['id']}")
        expect(history).to_contain_text("escalation_dismissed")
        expect(history).to_contain_text("works under way, a week's grace")
        expect(history).to_contain_text("Daily sweep")  # the overdue step had no person
        # Escalate the second to a penalty.
        other = page.get_by_test_id(f"escalation_proposals-{second['id']}")
        other.get_by_test_id(f"penalty-amount-{second['id']}").fill("5000")
        other.get_by_test_id(f"penalty-article-{second['id']}").fill(ARTICLE)
        other.get_by_test_id(f"penalty-decision-{second['id']}").fill("〔2026〕第0012号")
        other.get_by_test_id(f"escalate-{second['id']}").click()
        penalty = page.locator("[data-testid^='penalties_unpaid-']").first
        expect(penalty).to_contain_text("5000.00 CNY")
        expect(penalty).to_contain_text(ARTICLE)
        expect(penalty).to_contain_text("〔2026〕第0012号")
        expect(penalty).to_contain_text("unpaid")
        # An appeal against the penalty: pending (deadline suspended), then decided upheld.
        penalty.locator("[data-testid^='appeal-kind-']").select_option("litigation")
        penalty.locator("[data-testid^='lodge-']").click()
        pending = page.locator("[data-testid^='appeals_pending-']").first
        expect(pending).to_contain_text("Administrative litigation")
        expect(pending).to_contain_text("deadline suspended")
        pending.locator("[data-testid^='outcome-']").select_option("upheld")
        pending.locator("[data-testid^='decide-']").click()
        expect(page.locator("[data-testid^='appeals_pending-']")).to_have_count(0)
        expect(page.locator("[data-testid^='penalties_unpaid-']").first).to_contain_text("upheld")
        # Disclosed to the public (Administrative Penalty Law Art. 48) by keyboard, its hash shown; then withdrawn.
        unpaid = page.locator("[data-testid^='penalties_unpaid-']").first
        penalty_id = unpaid.get_attribute("data-testid").removeprefix("penalties_unpaid-")
        unpaid.get_by_test_id(f"disclose-{penalty_id}").focus()
        expect(unpaid.get_by_test_id(f"disclose-{penalty_id}")).to_have_text("Disclose to the public / 向社会公开")
        page.keyboard.press("Enter")
        expect(unpaid.get_by_test_id(f"disclosure-status-{penalty_id}")).to_contain_text("Disclosed to the public on")
        published = httpx.get(
            f"{url}/api/v1/actions/{penalty_id}/disclosure", headers=token(url, "supervisor@test.example")
        )
        assert published.status_code == 200 and published.json()["content"]["decision_number"] == "〔2026〕第0012号"
        expect(unpaid.get_by_test_id(f"disclosure-sha-{penalty_id}")).to_have_text(published.json()["sha256"])
        withdraw = unpaid.get_by_test_id(f"withdraw-disclosure-{penalty_id}")
        expect(withdraw).to_be_disabled()  # a note is required: it is published with the reason
        unpaid.get_by_label("Why").select_option("varied")
        unpaid.get_by_label("Note (published)").fill("amount varied on review")
        unpaid.get_by_label("Note (published)").press("Enter")
        status = unpaid.get_by_test_id(f"disclosure-status-{penalty_id}")
        expect(status).to_contain_text("Disclosure withdrawn on")
        expect(status).to_contain_text("varied — amount varied on review")
        expect(withdraw).to_have_count(0)
        listed = httpx.get(
            f"{url}/api/v1/opendata/penalty-decisions.csv", headers=token(url, "supervisor@test.example")
        )
        assert listed.status_code == 200 and "〔2026〕第0012号" in listed.text and "withdrawn" in listed.text
    finally:
        context.close()
