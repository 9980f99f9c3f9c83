"""End to end against the real backend: at the desk's Exports screen (an entry of its navigation, added at the end) a
supervisor downloads a small CSV at once (keyboard only), then starts a findings XLSX job, the worker
(``python -m backend.cli worker --once``) writes it, the screen shows its progress complete and the download link,
and the file downloaded holds the findings; in Chinese the screen reads 数据导出."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.backend.exportdata import xlsx_cells
from tests.e2e.realbackend import PASSWORD, ROOT, run_backend

ITEM = "ga.est.03"


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-exports")
    for url in run_backend(tmp, dist, {"LI_EXPORT_DIR": str(tmp / "exports")}):
        yield url, tmp


def _visit(url: str) -> str:
    """An inspection with one answered item, made through the API as the inspector."""
    token = httpx.post(f"{url}/api/v1/auth/token", data={"username": "inspector@test.example", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    lists = httpx.get(f"{url}/api/v1/checklists", headers=headers).json()
    ga = next(c for c in lists if c["key"] == "general-administration")
    places = httpx.get(f"{url}/api/v1/establishments", headers=headers).json()
    factory = next(
        e for e in (places["items"] if isinstance(places, dict) else places) if e["name"] == "Riverside Garments"
    )
    r = httpx.post(f"{url}/api/v1/inspections", headers=headers, json={
        "establishment_id": factory["id"], "type": "planned", "started_at": "2026-11-02T01:00:00Z",
        "checklists": [{"key": "general-administration", "version": ga["version"]}]})  # fmt: skip
    assert r.status_code == 201, r.text
    answer = {"checklist_key": "general-administration", "item_id": ITEM, "status": "compliant", "note": "=2+2"}
    put = httpx.put(f"{url}/api/v1/inspections/{r.json()['id']}/findings", headers=headers, json=answer)
    assert put.status_code == 200, put.text
    return r.json()["id"]


def test_a_supervisor_exports_at_once_and_through_a_worker_job(browser, backend):
    url, tmp = backend
    visit = _visit(url)
    context = browser.new_context(base_url=url, locale="en-GB", service_workers="block", accept_downloads=True)
    context.set_default_timeout(20_000)
    expect.set_options(timeout=20_000)
    try:
        page = context.new_page()
        page.goto("/#/desk/exports")
        page.get_by_label("E-mail").fill("supervisor@test.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Data exports")).to_be_visible()
        entry = page.get_by_role("navigation").get_by_role("link", name="Exports")
        expect(entry).to_have_attribute("aria-current", "page")
        # Keyboard only: the dataset chosen, the direct download asked with Enter.
        page.get_by_label("Dataset").focus()
        page.keyboard.press("Home")
        expect(page.get_by_label("Dataset")).to_have_value("inspections")
        with page.expect_download() as got:
            page.get_by_test_id("x-direct").focus()
            page.keyboard.press("Enter")
        body = Path(got.value.path()).read_bytes()
        assert body.startswith("\ufeff".encode()) and visit.encode() in body and b"complaint" not in body
        # The job: findings as XLSX, written by the worker, its progress shown complete, then downloaded.
        page.get_by_label("Dataset").select_option("findings")
        page.get_by_test_id("x-format-xlsx").check()
        page.get_by_test_id("x-job").click()
        state = page.get_by_test_id("x-job-state")
        expect(state).to_contain_text("Waiting for the worker")
        env = {**os.environ, "LI_ENVIRONMENT": "test", "LI_DATABASE_URL": f"sqlite:///{tmp}/e2e.db",
               "LI_EXPORT_DIR": str(tmp / "exports"), "PYTHONPATH": str(ROOT)}  # fmt: skip
        run = subprocess.run([sys.executable, "-m", "backend.cli", "worker", "--once"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)  # fmt: skip
        assert run.returncode == 0, run.stderr
        expect(state).to_contain_text("Ready")
        expect(state).to_contain_text("100% done")
        expect(page.get_by_test_id("x-progress")).to_have_attribute("value", "100")
        expect(state).to_contain_text("The link works for you only")
        with page.expect_download() as got:
            page.get_by_test_id("x-download").click()
        assert got.value.suggested_filename == "findings.xlsx"
        cells = xlsx_cells(Path(got.value.path()).read_bytes())
        row = next(dict(zip(cells[0], c, strict=False)) for c in cells[1:] if ITEM in c)
        assert row["inspection_id"] == visit and row["note"] == "'=2+2" and row["legal_basis_zh"]
        page.get_by_test_id("lang").click()
        expect(page.get_by_role("heading", name="数据导出")).to_be_visible()
        expect(state).to_contain_text("已完成")
    finally:
        context.close()
