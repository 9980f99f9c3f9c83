"""Printed documents per inspection (issue 19, "Per inspection"): the inspection report as PDF in Chinese, English
and both side by side — read back with ``pdftotext``, its CJK font embedded and subset (``pdffonts``) — scoped as
reading the inspection, and a complaint-triggered visit's report never says so."""

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from backend.auth import service as auth
from backend.auth.models import Role, Sex, UserCreate
from backend.orgs.models import Establishment
from tests.backend.test_inspections import start, upload_photo
from tests.backend.world import PASSWORD, uscc

NON_COMPLIANT = ("ga.est.01", "ga.reg.01")
COMPANY = "河畔制衣有限公司"


def poppler(tool: str, data: bytes, tmp_path: Path, *args: str) -> str:
    path = shutil.which(tool) or f"/usr/bin/{tool}"
    if not Path(path).exists():
        pytest.fail(f"{tool} is missing: install the Debian package poppler-utils (apt-get install -y poppler-utils)")
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(data)
    return subprocess.run([path, *args, str(pdf), *(["-"] if tool == "pdftotext" else [])],
                          capture_output=True, check=True, text=True).stdout  # fmt: skip


def text_of(data: bytes, tmp_path: Path) -> str:
    """The text in content order (each column of a side-by-side row whole), without spaces and line breaks."""
    return "".join(poppler("pdftotext", data, tmp_path, "-raw").split())


def squash(text: str) -> str:
    return "".join(text.split())


def items(checklist: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for s in checklist["definition"]["sections"] for i in s["items"]}


def new_company(session, world) -> Establishment:
    row = Establishment(name=COMPANY, registration_number=uscc(77), district_id=world.district.id, isic="1410",
                        address="河畔路1号", workers_total=40)  # fmt: skip
    session.add(row)
    session.flush()
    return row


@pytest.fixture
def company(session, world) -> Establishment:
    return new_company(session, world)


def visit(api, establishment, checklist, **extra) -> dict[str, Any]:
    """An inspection with two non-compliances (one with a photo and notes), everything else compliant."""
    insp = start(api, establishment, checklist, **extra)
    photo = upload_photo(api)
    for item in items(checklist).values():
        bad = item["id"] in NON_COMPLIANT
        value = "1" if item["answer_type"] == "number" else None
        if item["answer_type"] == "choice":
            value = item["choices"][0]["en"]
        status = "non_compliant" if bad else "compliant"
        body = {"checklist_key": checklist["key"], "item_id": item["id"], "status": status, "value": value}
        if bad:
            body |= {"evidence": [photo], "note": "无书面劳动合同 no written contracts", "workers_women": 3}
        r = api.put(f"/inspections/{insp['id']}/findings", json=body)
        assert r.status_code == 200, r.text
    return insp


def test_the_report_in_both_languages_reads_back_with_its_font_embedded_and_subset(
    as_, inspector, supervisor, other_district_inspector, world, checklist, company, tmp_path
):
    api = as_(inspector)
    insp = visit(api, company, checklist, team=[str(world.second_inspector.id)])
    order = api.post(f"/inspections/{insp['id']}/actions",
                     json={"measure": "order_to_rectify", "item_id": NON_COMPLIANT[0], "deadline_days": 14,
                           "text": "限期补签劳动合同"})  # fmt: skip
    assert order.status_code == 201, order.text
    submitted = api.post(f"/inspections/{insp['id']}/submit", json={})
    assert submitted.status_code == 200, submitted.text
    notice = api.post(f"/actions/{order.json()['id']}/notices")
    assert notice.status_code == 201, notice.text
    sha256 = submitted.json()["submissions"][-1]["sha256"]

    r = api.get(f"/inspections/{insp['id']}/report.pdf?lang=both")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")
    text = text_of(r.content, tmp_path)
    defined = items(checklist)
    for item_id in NON_COMPLIANT:
        item = defined[item_id]
        assert squash(item["text"]["zh"]) in text and squash(item["text"]["en"]) in text, item_id
        for citation in item["citations"]:
            assert squash(citation["line"]["zh"]) in text and squash(citation["line"]["en"]) in text
    assert "《中华人民共和国" in text and "ofthePRC,Art." in text  # the official citation forms
    for wanted in (COMPANY, "河畔路1号", uscc(77), "Inspector", "Second", "劳动保障监察检查结果告知书",
                   "Inspectionreport—noticeoffindings", "法律依据", "Legalbasis", "限期补签劳动合同",
                   "无书面劳动合同nowrittencontracts", "责令改正", "Ordertorectify", notice.json()["number"],
                   "39.900000,116.400000±8.5m", "2026-11-02", "Asia/Shanghai", sha256, "Toverify", "核验方法",
                   "女3人", "women3"):  # fmt: skip
        assert squash(wanted) in text, wanted
    assert "/api/v1" not in text and "PROTOCOL" not in text  # the employer's copy names no internal route or file
    deadline = order.json()["deadline"]
    assert deadline and deadline in text
    fonts = poppler("pdffonts", r.content, tmp_path)
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(re.fullmatch(r"[A-Z]{6}\+NotoSansCJK\w*", row[0]) for row in rows), fonts
    assert all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows), fonts  # embedded, subset, unicode map
    images = poppler("pdfimages", r.content, tmp_path, "-list").splitlines()[2:]
    assert len(images) >= 2, images  # the photo's thumbnail beside each non-compliance

    zh = text_of(api.get(f"/inspections/{insp['id']}/report.pdf?lang=zh").content, tmp_path)
    en = text_of(api.get(f"/inspections/{insp['id']}/report.pdf?lang=en").content, tmp_path)
    assert "法律依据" in zh and "Legalbasis" not in zh and squash(defined[NON_COMPLIANT[0]]["text"]["zh"]) in zh
    assert "Legalbasis" in en and "法律依据" not in en and squash(defined[NON_COMPLIANT[0]]["text"]["en"]) in en
    assert sha256 in zh and sha256 in en

    assert as_(supervisor).get(f"/inspections/{insp['id']}/report.pdf?lang=zh").status_code == 200
    outside = as_(other_district_inspector).get(f"/inspections/{insp['id']}/report.pdf")
    assert outside.status_code == 404 and outside.json()["code"] == "inspection.not_found"
    bad = api.get(f"/inspections/{insp['id']}/report.pdf?lang=fr")
    assert bad.status_code == 422 and bad.json()["code"] == "request.invalid"


def test_a_statistician_of_the_area_reads_the_report_and_a_draft_says_it_is_not_final(
    as_, inspector, session, world, checklist, company, tmp_path
):
    statistician = auth.create_user(
        session,
        UserCreate(
            email="stat.report@test.example",
            name="Stat",
            sex=Sex.female,
            role=Role.statistician,
            password=PASSWORD,
            org_unit_ids=[world.province.id],
        ),
        actor_id=None,
    )
    insp = visit(as_(inspector), company, checklist)
    r = as_(statistician).get(f"/inspections/{insp['id']}/report.pdf?lang=en")
    assert r.status_code == 200, r.text
    text = text_of(r.content, tmp_path)
    assert "DRAFT" in text and "Notsubmittedyet" in text


def test_a_complaint_triggered_inspection_report_never_says_so(as_, inspector, checklist, company, tmp_path):
    api = as_(inspector)
    insp = visit(api, company, checklist, type="complaint")
    assert api.get(f"/inspections/{insp['id']}").json()["type"] == "complaint"
    assert api.post(f"/inspections/{insp['id']}/submit", json={}).status_code == 200
    for lang in ("zh", "en", "both"):
        r = api.get(f"/inspections/{insp['id']}/report.pdf?lang={lang}")
        assert r.status_code == 200, r.text
        text = poppler("pdftotext", r.content, tmp_path, "-raw")
        assert COMPANY in text
        assert "complain" not in text.lower() and "投诉" not in text and "举报" not in text, lang


def test_the_order_and_the_penalty_decision_print_from_their_frozen_content(
    as_, inspector, other_district_inspector, checklist, company, tmp_path
):
    api = as_(inspector)
    insp = visit(api, company, checklist)
    order = api.post(f"/inspections/{insp['id']}/actions",
                     json={"measure": "order_to_rectify", "item_id": NON_COMPLIANT[0], "deadline_days": 14,
                           "text": "限期补签劳动合同"}).json()  # fmt: skip
    penalty = api.post(f"/inspections/{insp['id']}/actions",
                       json={"measure": "penalty", "item_id": NON_COMPLIANT[1], "penalty_minor": 200050,
                             "currency": "CNY", "penalty_article": "《中华人民共和国劳动合同法实施条例》第三十三条",
                             "decision_number": "河劳监罚〔2026〕1号"})  # fmt: skip
    assert penalty.status_code == 201, penalty.text
    assert api.post(f"/inspections/{insp['id']}/submit", json={}).status_code == 200
    defined = items(checklist)
    order_says = ["劳动保障监察责令改正指令书", "Ordertorectify", "限期补签劳动合同", order["deadline"]]
    penalty_says = ["劳动保障监察行政处罚决定书", "Administrativepenaltydecision", "2,000.50CNY"]
    penalty_says += ["河劳监罚〔2026〕1号", "《中华人民共和国劳动合同法实施条例》第三十三条"]
    penalty_says += ["行政复议", "administrativereconsideration"]
    for action, item_id, wanted in (
        (order, NON_COMPLIANT[0], order_says),
        (penalty.json(), NON_COMPLIANT[1], penalty_says),
    ):
        notice = api.post(f"/actions/{action['id']}/notices").json()
        r = api.get(f"/actions/{action['id']}/notices/{notice['id']}.pdf?lang=both")
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf", r.text
        text = text_of(r.content, tmp_path)
        item = defined[item_id]
        for w in [*wanted, notice["number"], notice["sha256"], COMPANY, uscc(77), squash(item["text"]["zh"]),
                  squash(item["text"]["en"]), *(squash(c["line"]["zh"]) for c in item["citations"]),
                  *(squash(c["line"]["en"]) for c in item["citations"])]:  # fmt: skip
            assert squash(w) in text, w
        assert "complain" not in text.lower() and "投诉" not in text
        zh = text_of(api.get(f"/actions/{action['id']}/notices/{notice['id']}.pdf?lang=zh").content, tmp_path)
        assert squash(item["text"]["zh"]) in zh and squash(item["text"]["en"]) not in zh
        fonts = poppler("pdffonts", r.content, tmp_path).splitlines()[2:]
        assert fonts and all("+NotoSansCJK" in f and f.split()[-5:-2] == ["yes", "yes", "yes"] for f in fonts)
        outside = as_(other_district_inspector).get(f"/actions/{action['id']}/notices/{notice['id']}.pdf")
        assert outside.status_code == 404 and outside.json()["code"] == "action.not_found"
    other = api.get(f"/actions/{order['id']}/notices/{notice['id']}.pdf")  # the penalty's notice, not the order's
    assert other.status_code == 404 and other.json()["code"] == "notice.not_found"
