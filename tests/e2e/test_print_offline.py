"""The printable inspection report on the tablet (issue 19, "Per inspection"): built from the device's own records
with the network off, in both languages side by side (or one), with print styles that leave the app out; the
official citation forms, notes, photo and measure are on it, and a complaint-triggered visit's copy never says so."""

import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.flows import answer, sign_in_and_register
from tests.e2e.images import png

# Deadlines within the 365 days after the visit that a measure may take (counted from the visit, as the server).
DUE, DUE2 = ((date.today() + timedelta(days=d)).isoformat() for d in (30, 60))
PHOTO_SHOWN = """() => [...document.querySelectorAll('[data-testid=print-photo] img')]
  .some((i) => i.complete && i.naturalWidth > 0)"""


# A block of notice numbers as the tablet keeps one (the fake API reserves none), in the visit's district.
PUT_BLOCK = """async () => {
  const [est] = (await window.__li.dump('establishments')).filter((e) => e.name.startsWith('Harbour Garments'));
  const db = await new Promise((ok, ko) => { const r = indexedDB.open('labour-inspection');
    r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
  await new Promise((ok, ko) => { const t = db.transaction('notice_blocks', 'readwrite');
    t.objectStore('notice_blocks').put({ id: '0193a5e1-0000-7000-8000-0000000000c9', org_unit_id: est.district_id,
      year: 2099, first_serial: 7, last_serial: 8, numbers: ['〔2099〕第0007号', '〔2099〕第0008号'], next_serial: 7,
      reserved_at: new Date().toISOString() });
    t.oncomplete = ok; t.onerror = () => ko(t.error); });
  db.close();
}"""


def start_complaint_visit(page) -> str:
    page.get_by_role("link", name="Establishments", exact=True).first.click()
    page.get_by_test_id("est-search").fill("Harbour Garments")
    page.get_by_role("link", name="Harbour Garments").first.click()
    page.get_by_test_id("start-inspection").click()
    page.get_by_label("Complaint", exact=True).check()
    page.get_by_label("E2E basic checklist").check()
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("progress")).to_be_visible()
    return page.url.rsplit("/", 1)[-1]


def test_the_report_prints_offline_from_the_device_records(tablet, server, api, tmp_path: Path):
    context = tablet()
    page = context.new_page()
    sign_in_and_register(page)
    inspection_id = start_complaint_visit(page)
    answer(page, "basic.01", "Compliant")
    answer(page, "basic.03", "Non-compliant")
    card = page.locator('[data-item="basic.03"]')
    card.get_by_role("button", name=re.compile("^Note, workers affected")).click()
    card.get_by_label("Note", exact=True).fill("Guard missing on press 4 / 4号冲床无防护罩")
    card.get_by_label("Women", exact=True).fill("2")
    card.get_by_label("Women", exact=True).blur()
    card.locator("input[type=file]").set_input_files({"name": "p.png", "mimeType": "image/png", "buffer": png(seed=7)})
    expect(card.get_by_test_id("photo")).to_contain_text("GPS 26.08120, 119.30210")
    page.get_by_role("link", name="Measures").click()
    form = page.get_by_test_id("measure-form")  # the free-form measure, not the item's proposed one
    form.get_by_label("Order to rectify").check()
    form.get_by_label("Rectify by").fill(DUE)
    form.get_by_label("What was decided").fill("Fit machine guards")
    form.get_by_role("button", name="Record measure").click()
    expect(page.get_by_text(f"Order to rectify · by {DUE}")).to_be_visible()
    # A second order, whose notice this tablet issues from a block of numbers it holds: the copy prints that number.
    form.get_by_label("Order to rectify").check()
    form.get_by_label("Rectify by").fill(DUE2)
    form.get_by_label("What was decided").fill("Post the working hours")
    form.get_by_role("button", name="Record measure").click()
    expect(page.get_by_text(f"Order to rectify · by {DUE2}")).to_be_visible()
    page.evaluate(PUT_BLOCK)
    page.get_by_role("link", name="Print / 打印").click()
    page.go_back()  # the measures again, reading the block just stored
    measure = page.get_by_test_id("measure").filter(has_text="Post the working hours")
    measure.get_by_role("button", name="Issue notice").click()
    expect(measure.get_by_test_id("notice-number")).to_have_text("〔2099〕第0007号")

    api.offline = True
    context.set_offline(True)
    server.down = True
    before = len(server.requests)
    page.get_by_role("link", name="Print / 打印").click()
    doc = page.get_by_test_id("print-doc")
    expect(doc).to_contain_text("《中华人民共和国安全生产法》第三十六条")
    assert inspection_id in page.url and page.url.endswith("/print")
    text = doc.inner_text()
    for wanted in (
        "Inspection report — notice of findings", "劳动保障监察检查结果告知书",
        "Harbour Garments Ltd", "91350102MA2XYZ0001", "12 Harbour Road, Gulou District",
        "Question 3: is requirement 3 met?", "问题3：是否符合第3项要求？",
        "Legal basis: Work Safety Law of the PRC, Art. 36", "法律依据：《中华人民共和国安全生产法》第三十六条",
        "ILO Convention No. 81, Art. 3 (benchmark)", "第81号公约第三条（参照标准）",
        "Guard missing on press 4 / 4号冲床无防护罩", "women 2", "女2人",
        "Order to rectify", "责令改正", DUE, "Fit machine guards", "Notice No. ________",
        "Post the working hours", "Notice No. 〔2099〕第0007号", "文书编号 〔2099〕第0007号",
        "Amina Chen (lead)", "Amina Chen（主办）", "26.081200, 119.302100 ± 12.0 m",
        "DRAFT — not submitted", "草稿——尚未提交", "Not submitted yet", "尚未提交",
    ):  # fmt: skip
        assert wanted in text, wanted
    assert "complain" not in text.lower() and "投诉" not in text and "举报" not in text
    page.wait_for_function(PHOTO_SHOWN)  # the thumbnail, read back from IndexedDB

    page.get_by_test_id("print-lang-zh").click()
    expect(page.get_by_test_id("print-lang-zh")).to_have_attribute("aria-pressed", "true")
    zh = doc.inner_text()
    assert "法律依据：《中华人民共和国安全生产法》第三十六条" in zh and "问题3：是否符合第3项要求？" in zh
    assert "Legal basis" not in zh and "Question 3" not in zh
    page.get_by_test_id("print-lang-en").click()
    en = doc.inner_text()
    assert "Legal basis: Work Safety Law of the PRC, Art. 36" in en and "法律依据" not in en
    page.get_by_test_id("print-lang-both").click()

    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_test_id("print-now").click()
    assert page.evaluate("() => window.__printed") == 1
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.get_by_test_id("print-now")).to_be_hidden()
    expect(doc).to_be_visible()
    pdf = page.pdf(format="A4", print_background=True)  # what the tablet's printer receives
    tool = shutil.which("pdftotext") or "/usr/bin/pdftotext"
    (tmp_path / "copy.pdf").write_bytes(pdf)
    printed = subprocess.run([tool, str(tmp_path / "copy.pdf"), "-"], capture_output=True, check=True, text=True)
    squashed = "".join(printed.stdout.split())
    on_paper = (
        "劳动保障监察检查结果告知书",
        "《中华人民共和国安全生产法》第三十六条",
        "HarbourGarmentsLtd",
        "Legalbasis",
    )
    for wanted in on_paper:
        assert wanted in squashed, wanted
    assert "Establishments" not in printed.stdout  # the app's navigation is not printed
    assert server.requests[before:] == [], "a request reached the server while printing offline"
    server.down = False
