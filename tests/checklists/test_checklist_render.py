"""Printable checklists: HTML and PDF in English, Chinese and both; Chinese must survive in the PDF."""

import shutil
import subprocess
from html import escape
from pathlib import Path

import pytest

from backend.checklists import pdf as pdf_module
from backend.checklists.definition import Authority, Checklist
from backend.checklists.loader import Library, load_library
from backend.checklists.render import STATUSES, render

CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"
PDFTOTEXT = "/usr/bin/pdftotext"


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(CHECKLISTS)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    tool = shutil.which("pdftotext") or PDFTOTEXT
    if not Path(tool).exists():
        pytest.fail("pdftotext is missing: install the Debian package poppler-utils (apt-get install -y poppler-utils)")
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    result = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, check=True, text=True)
    return "".join(result.stdout.split())  # compare without the layout's spaces and line breaks


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("lang", ["en", "zh", "en+zh"])
def test_html(library: Library, lang: str) -> None:
    checklist = library.get("general-administration")
    assert checklist is not None
    html = render(checklist, lang, "html", library.registry).decode("utf-8")  # type: ignore[arg-type]
    first = checklist.items()[0]
    assert html.startswith("<!DOCTYPE html>")
    assert first.id in html
    assert (escape(first.text.en) in html) == (lang != "zh")
    assert (escape(first.text.zh) in html) == (lang != "en")
    assert html.count("☐") >= len(checklist.items()) * len(STATUSES)
    assert "Legal basis" in html or "法律依据" in html


def _with_item(checklist: Checklist, **changes: object) -> Checklist:
    data = checklist.model_dump(mode="json")
    data["sections"][0]["items"][0].update(changes)
    return Checklist.model_validate(data)


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_paper_prints_official_citations_benchmarks_and_referrals(library: Library, fmt: str, tmp_path: Path) -> None:
    base = library.get("working-time")
    assert base is not None
    checklist = _with_item(
        base,
        legal_basis=[{"instrument": "CN-LL", "article": "36"}, {"instrument": "C1", "article": "2"}],
        authority="work_safety",
        measure={"type": "stop_work", "deadline_days": None},
    )
    data = render(checklist, "en+zh", fmt, library.registry)  # type: ignore[arg-type]
    text = squash(data.decode("utf-8")) if fmt == "html" else pdf_text(data, tmp_path)
    for wanted in (
        "《中华人民共和国劳动法》第三十六条",
        "第1号公约第二条（参照标准）",
        "LabourLawofthePRC,Art.36",
        "ILOConventionNo.1,Art.2(benchmark)",
        "移送有管辖权的部门（应急管理（安全生产监督管理））",
        "Referraltothecompetentauthority",
    ):
        assert wanted in text, wanted
    allowed = render(checklist, "en", "html", library.registry, frozenset(Authority)).decode("utf-8")
    assert "stop-work order" in allowed and "Referral to the competent authority" not in allowed


@pytest.mark.parametrize("lang", ["en", "zh", "en+zh"])
def test_pdf_reads_back(library: Library, lang: str, tmp_path: Path) -> None:
    checklist = library.get("child-labour")
    assert checklist is not None
    data = render(checklist, lang, "pdf", library.registry)  # type: ignore[arg-type]
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for item in (checklist.items()[0], checklist.items()[-1]):
        assert item.id in text
        assert (squash(item.text.zh) in text) == (lang != "en"), item.id
        if lang != "zh":
            assert squash(item.text.en) in text, item.id
    if lang != "en":
        assert "不符合" in text and "法律依据" in text
    if lang != "zh":
        assert "Non-compliant" in text and "Legalbasis" in text


def test_every_checklist_renders_every_chinese_text_to_pdf(library: Library, tmp_path: Path) -> None:
    for checklist in library.checklists:
        text = pdf_text(render(checklist, "zh", "pdf"), tmp_path)
        assert squash(checklist.title.zh) in text, checklist.key
        for item in checklist.items():
            assert squash(f"{item.id}{item.text.zh}") in text, item.id
            assert squash(item.guidance.zh) in text, item.id


def test_missing_font_names_the_debian_package(tmp_path: Path) -> None:
    with pytest.raises(pdf_module.FontMissingError, match="fonts-noto-cjk"):
        pdf_module.font_path("", font_dir=tmp_path)


def test_unknown_language_or_format_is_refused(library: Library) -> None:
    checklist = library.checklists[0]
    with pytest.raises(ValueError, match="lang"):
        render(checklist, "fr", "html")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fmt"):
        render(checklist, "en", "docx")  # type: ignore[arg-type]
