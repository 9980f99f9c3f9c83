"""``checklists verify-citations --laws DIR``: national citations checked against statute texts the tests write."""

from pathlib import Path

from typer.testing import CliRunner

from backend.checklists.commands import app
from backend.checklists.laws import chinese_number, parse_statute, read_laws

runner = CliRunner()

LABOUR_LAW = """# 中华人民共和国劳动法

<!-- INFO END -->

## 第一章 总则

第一条 为了保护劳动者的合法权益，制定本法。

第二条 本法适用于用人单位。

第三十六条 国家实行劳动者每日工作时间不超过八小时的工时制度。

第四十二条 有下列情形之一的，延长工作时间不受本法第四十一条规定的限制：

（一）发生自然灾害的；

（二）生产设备发生故障的；

第二百四十四条之一 雇用童工的，处罚。
"""

REGISTRY = """instruments:
  - code: C1
    kind: ilo_convention
    title: {en: "Hours of Work (Industry) Convention, 1919", zh: "1919年（工业）工时公约"}
    adopted: 1919
    articles:
      - {ref: "99"}
  - code: CN-LL
    kind: national_law
    title: {en: "Labour Law of the PRC", zh: "中华人民共和国劳动法"}
    adopted: 1994
    text: "劳动法"
    articles:
      - {ref: "1"}
      - {ref: "36"}
      - {ref: "42"}
      - {ref: "77"}
  - code: CN-WH
    kind: national_regulation
    title: {en: "State Council Provisions on Working Hours", zh: "国务院关于职工工作时间的规定"}
    adopted: 1994
    articles:
      - {ref: "3"}
"""


def checklist(citations: list[tuple[str, str]]) -> str:
    bases = "\n".join(f'          - {{instrument: {code}, article: "{art}"}}' for code, art in citations)
    return f"""key: hours
version: 1
title: {{en: Hours, zh: 工时}}
description: {{en: Hours, zh: 工时}}
sections:
  - id: h.s
    title: {{en: Hours, zh: 工时}}
    items:
      - id: h.s.01
        text: {{en: "Hours?", zh: "工时？"}}
        guidance: {{en: Check., zh: 核查。}}
        legal_basis:
{bases}
        verification: [documents]
        severity: major
        evidence_required: false
        measure: {{type: advice}}
"""


def write_library(tmp_path: Path, citations: list[tuple[str, str]]) -> Path:
    directory = tmp_path / "checklists"
    directory.mkdir()
    (directory / "instruments.yaml").write_text(REGISTRY, encoding="utf-8")
    (directory / "hours.yaml").write_text(checklist(citations), encoding="utf-8")
    return directory


def write_laws(tmp_path: Path) -> Path:
    laws = tmp_path / "laws"
    laws.mkdir()
    (laws / "劳动法(2018-12-29).md").write_text(LABOUR_LAW, encoding="utf-8")
    (laws / "README.md").write_text("# Statute texts\n\nNo articles here.\n", encoding="utf-8")
    return laws


def test_chinese_numerals() -> None:
    assert [chinese_number(t) for t in ["一", "十", "十二", "三十六", "一百", "一百零一", "二百四十四"]] == [
        1, 10, 12, 36, 100, 101, 244,
    ]  # fmt: skip


def test_parse_articles_paragraphs_and_items() -> None:
    statute = parse_statute(LABOUR_LAW, "劳动法")
    assert statute.heading == "中华人民共和国劳动法"
    assert list(statute.articles) == ["1", "2", "36", "42", "244-1"]
    article = statute.articles["42"]
    assert len(article.paragraphs) == 1 and article.paragraphs[0].items == 2


def test_read_laws_skips_files_without_articles(tmp_path: Path) -> None:
    assert list(read_laws(write_laws(tmp_path))) == ["劳动法"]


def test_clean_library_exits_zero(tmp_path: Path) -> None:
    laws = write_laws(tmp_path)
    directory = write_library(tmp_path, [("CN-LL", "36"), ("CN-LL", "42(1)(ii)"), ("C1", "99")])
    (laws / "国务院关于职工工作时间的规定(1995-03-25).md").write_text(
        "# 国务院关于职工工作时间的规定\n\n第三条 每周40小时。\n"
    )
    registry = directory / "instruments.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace('      - {ref: "77"}\n', ""), encoding="utf-8")
    result = runner.invoke(app, ["verify-citations", "--laws", str(laws), "--dir", str(directory)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_lists_missing_texts_articles_paragraphs_and_items(tmp_path: Path) -> None:
    laws = write_laws(tmp_path)
    citations = [("CN-LL", "36"), ("CN-LL", "77"), ("CN-LL", "36(2)"), ("CN-LL", "42(1)(iii)"), ("CN-WH", "3")]
    directory = write_library(tmp_path, citations)
    result = runner.invoke(app, ["verify-citations", "--laws", str(laws), "--dir", str(directory)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "hours h.s.01: CN-LL Art. 77: no article 77",
        "hours h.s.01: CN-LL Art. 36(2): article 36 has 1 paragraph(s), not (2)",
        "hours h.s.01: CN-LL Art. 42(1)(iii): article 42 paragraph 1 has 2 item(s), not (iii)",
        "instruments.yaml: CN-LL Art. 77: no article 77",
        "instruments.yaml: CN-WH: no statute text titled '国务院关于职工工作时间的规定' in the folder; "
        "cited by 1 item(s): h.s.01",
    ]
    assert "5 problem(s)" in result.stderr


def test_matches_a_text_by_chinese_title_without_a_text_key(tmp_path: Path) -> None:
    laws = write_laws(tmp_path)
    directory = write_library(tmp_path, [("CN-WH", "3"), ("CN-WH", "4")])
    (laws / "国务院关于职工工作时间的规定(1995-03-25).md").write_text(
        "# 国务院关于职工工作时间的规定\n\n第三条 每周40小时。\n"
    )
    registry = directory / "instruments.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + '      - {ref: "4"}\n', encoding="utf-8")
    result = runner.invoke(app, ["verify-citations", "--laws", str(laws), "--dir", str(directory)])
    assert result.exit_code == 1
    assert "hours h.s.01: CN-WH Art. 4: no article 4" in result.stdout
    assert "CN-LL Art. 77" in result.stdout and "no statute text" not in result.stdout


def test_not_a_folder(tmp_path: Path) -> None:
    directory = write_library(tmp_path, [("CN-LL", "36")])
    result = runner.invoke(app, ["verify-citations", "--laws", str(tmp_path / "none"), "--dir", str(directory)])
    assert result.exit_code == 2
