"""Coverage of the instruments registry by checklist items: instrument x article -> item ids, with totals.

Registered articles and instruments that no item cites stand out, so gaps in the library are visible.
"""

import csv
import io
from dataclasses import dataclass

from backend.checklists.definition import Instrument, LegalBasis
from backend.checklists.loader import Library


@dataclass(frozen=True)
class ArticleRow:
    instrument: str
    article: str
    item_ids: tuple[str, ...]


@dataclass(frozen=True)
class InstrumentCoverage:
    instrument: Instrument
    articles: tuple[ArticleRow, ...]

    @property
    def item_ids(self) -> set[str]:
        return {item_id for row in self.articles for item_id in row.item_ids}

    @property
    def cited(self) -> bool:
        return bool(self.item_ids)


@dataclass(frozen=True)
class Coverage:
    instruments: tuple[InstrumentCoverage, ...]
    items_per_checklist: dict[str, int]

    @property
    def total_items(self) -> int:
        return sum(self.items_per_checklist.values())

    @property
    def cited_instruments(self) -> list[str]:
        return [c.instrument.code for c in self.instruments if c.cited]

    @property
    def uncited_instruments(self) -> list[str]:
        return [c.instrument.code for c in self.instruments if not c.cited]

    @property
    def article_counts(self) -> tuple[int, int]:
        """(registered articles cited by at least one item, registered articles)."""
        rows = [row for c in self.instruments for row in c.articles]
        return sum(1 for row in rows if row.item_ids), len(rows)


def registered_ref(instrument: Instrument, article: str) -> str | None:
    """The registered article that covers a citation: ``12(1)(c)`` -> ``12(1)`` or ``12``."""
    refs = {a.ref for a in instrument.articles}
    ref = article
    while ref not in refs:
        if "(" not in ref:
            return None
        ref = ref[: ref.rindex("(")]
    return ref


def compute(library: Library) -> Coverage:
    cited: dict[tuple[str, str], list[str]] = {}
    by_code = {i.code: i for i in library.registry.instruments}
    for checklist in library.checklists:
        for item in checklist.items():
            for basis in item.legal_basis:
                _record(cited, by_code, basis, item.id)
    instruments = tuple(
        InstrumentCoverage(
            instrument=inst,
            articles=tuple(
                ArticleRow(inst.code, a.ref, tuple(cited.get((inst.code, a.ref), []))) for a in inst.articles
            ),
        )
        for inst in library.registry.instruments
    )
    return Coverage(instruments, {c.key: len(c.items()) for c in library.checklists})


def _record(
    cited: dict[tuple[str, str], list[str]], by_code: dict[str, Instrument], basis: LegalBasis, item_id: str
) -> None:
    instrument = by_code.get(basis.instrument)
    ref = registered_ref(instrument, basis.article) if instrument else None
    if ref is None:
        return  # the loader refuses such citations; nothing to count
    ids = cited.setdefault((basis.instrument, ref), [])
    if item_id not in ids:
        ids.append(item_id)


def _status(instrument: Instrument) -> str:
    if instrument.kind.startswith("ilo"):
        return f"ratified {instrument.ratified_by_china}" if instrument.ratified_by_china else "not ratified"
    return f"in force {instrument.effective}" if instrument.effective else "national"


def render_text(coverage: Coverage) -> str:
    lines: list[str] = []
    for entry in coverage.instruments:
        inst = entry.instrument
        flag = "" if entry.cited else "  << NOT CITED"
        lines.append(f"{inst.code}  {inst.title.en} ({_status(inst)}){flag}")
        for row in entry.articles:
            ids = ", ".join(row.item_ids) if row.item_ids else "-"
            lines.append(f"    Art. {row.article:<10} {len(row.item_ids):>3}  {ids}")
    cited_articles, total_articles = coverage.article_counts
    lines += ["", "Items per checklist:"]
    lines += [f"    {key:<32} {count:>4}" for key, count in coverage.items_per_checklist.items()]
    lines += [
        f"Total items: {coverage.total_items}",
        f"Instruments cited: {len(coverage.cited_instruments)} of {len(coverage.instruments)}",
        f"Instruments not cited: {', '.join(coverage.uncited_instruments) or 'none'}",
        f"Articles cited: {cited_articles} of {total_articles}",
    ]
    return "\n".join(lines) + "\n"


def render_csv(coverage: Coverage) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["instrument", "kind", "ratified_by_china", "article", "item_count", "item_ids"])
    for entry in coverage.instruments:
        inst = entry.instrument
        for row in entry.articles:
            writer.writerow(
                [
                    inst.code,
                    inst.kind,
                    inst.ratified_by_china or "",
                    row.article,
                    len(row.item_ids),
                    " ".join(row.item_ids),
                ]
            )
    return out.getvalue()
