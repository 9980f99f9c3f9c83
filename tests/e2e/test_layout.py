"""Tablet layouts (portrait 768x1024, landscape 1366x1024), touch targets, Chinese, and a 300-item checklist."""

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LANDSCAPE, PORTRAIT
from tests.e2e.flows import answer, sign_in_and_register, start_inspection

SHOTS = Path(os.environ.get("LI_SCREENSHOTS") or tempfile.mkdtemp(prefix="li-pwa-shots-"))

LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth + 1) problems.push('horizontal scroll ' + width);
  const targets = 'button, a.btn, .top nav a, .tabs a, .sections a, input, select, textarea, .choice, .rowlink';
  for (const el of document.querySelectorAll(targets)) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || el.closest('.visually-hidden')) continue;
    if (el.matches('.choice input')) continue;  // the whole label is the 48px target
    const name = (el.textContent || el.name || '').trim().slice(0, 30);
    if (r.height < 47.5 || r.width < 47.5) problems.push(`${el.tagName} "${name}" ${r.width}x${r.height}`);
  }
  return problems;
}"""


def _shoot(page: Page, name: str) -> Path:
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    print(f"screenshot: {path}")
    return path


@pytest.mark.parametrize("name,viewport", [("portrait", PORTRAIT), ("landscape", LANDSCAPE)])
def test_tablet_layouts(tablet, name, viewport):
    page = tablet(viewport).new_page()
    sign_in_and_register(page)
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    _shoot(page, f"{name}-home")
    start_inspection(page)
    answer(page, "basic.05", "Non-compliant")
    page.locator('[data-item="basic.01"]').get_by_role("button", name="Guidance and legal basis").click()
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    _shoot(page, f"{name}-checklist")
    page.get_by_test_id("lang").click()
    expect(page.get_by_role("link", name="用人单位")).to_be_visible()
    expect(page.get_by_test_id("progress")).to_have_text("已回答 1/5")
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    _shoot(page, f"{name}-checklist-zh")


def test_a_300_item_checklist_renders(tablet):
    page = tablet(LANDSCAPE).new_page()
    sign_in_and_register(page)
    start_inspection(page, checklist="E2E large checklist (300 items)")
    expect(page.get_by_test_id("progress")).to_have_text("0 of 300 answered")
    expect(page.get_by_test_id("item-card")).to_have_count(300)
    answer(page, "large.299", "Compliant")
    expect(page.get_by_test_id("progress")).to_have_text("1 of 300 answered")
    took = page.evaluate("window.__li.marks.checklist_rendered - window.__li.marks.checklist_mount")
    print(f"300-item checklist: mount to rendered {took:.0f} ms (unthrottled)")
    assert took < 3000
