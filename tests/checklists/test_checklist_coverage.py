"""The coverage table: instrument x article -> item ids, uncited instruments, totals."""

import csv
import io
import shutil
from pathlib import Path

import yaml

from backend.checklists.coverage import compute, registered_ref, render_csv, render_text
from backend.checklists.loader import load_library

CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"


def test_totals_match_the_library() -> None:
    library = load_library(CHECKLISTS)
    coverage = compute(library)
    assert coverage.items_per_checklist == {c.key: len(c.items()) for c in library.checklists}
    assert coverage.total_items == sum(len(c.items()) for c in library.checklists)
    cited_codes = {b.instrument for c in library.checklists for item in c.items() for b in item.legal_basis}
    assert set(coverage.uncited_instruments) == {i.code for i in library.registry.instruments} - cited_codes
    assert len(coverage.cited_instruments) + len(coverage.uncited_instruments) == len(library.registry.instruments)
    cited, total = coverage.article_counts
    assert 0 < cited <= total == sum(len(i.articles) for i in library.registry.instruments)


def test_every_citation_lands_in_the_table() -> None:
    library = load_library(CHECKLISTS)
    rows = {(r.instrument, r.article): set(r.item_ids) for c in compute(library).instruments for r in c.articles}
    by_code = {i.code: i for i in library.registry.instruments}
    for checklist in library.checklists:
        for item in checklist.items():
            for basis in item.legal_basis:
                ref = registered_ref(by_code[basis.instrument], basis.article)
                assert item.id in rows[(basis.instrument, ref)], (item.id, basis)


def test_an_uncited_instrument_stands_out(tmp_path: Path) -> None:
    for name in ("instruments.yaml", "wages.yaml"):
        shutil.copy(CHECKLISTS / name, tmp_path / name)
    data = yaml.safe_load((tmp_path / "instruments.yaml").read_text(encoding="utf-8"))
    data["instruments"].append(
        {
            "code": "C999",
            "kind": "ilo_convention",
            "title": {"en": "Test Convention", "zh": "测试公约"},
            "adopted": 2030,
            "articles": [{"ref": "1"}],
        }
    )
    (tmp_path / "instruments.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    coverage = compute(load_library(tmp_path))
    assert "C999" in coverage.uncited_instruments
    assert "C81" in coverage.uncited_instruments  # wages.yaml alone does not cite C81
    assert "C95" in coverage.cited_instruments
    text = render_text(coverage)
    assert "C999  Test Convention (not ratified)  << NOT CITED" in text
    assert f"Total items: {coverage.total_items}" in text


def test_csv_has_one_row_per_registered_article() -> None:
    library = load_library(CHECKLISTS)
    rows = list(csv.DictReader(io.StringIO(render_csv(compute(library)))))
    assert len(rows) == sum(len(i.articles) for i in library.registry.instruments)
    c138 = next(r for r in rows if r["instrument"] == "C138" and r["article"] == "2")
    assert c138["ratified_by_china"] == "1999-04-28"
    assert "cl.age.01" in c138["item_ids"].split()
    assert int(c138["item_count"]) == len(c138["item_ids"].split())
