"""Check national citations against a folder of statute texts: every cited or registered article of a Chinese law
or regulation must exist in its text (down to the paragraph 款 and item 项 cited).

Pure: takes the loaded library and the parsed texts (``backend.checklists.laws``), returns the findings.
"""

from dataclasses import dataclass

from backend.checklists.definition import Instrument
from backend.checklists.laws import Statute, locate
from backend.checklists.loader import Library

PRC_PREFIX = "中华人民共和国"


@dataclass(frozen=True)
class CitationProblem:
    """One national citation that the texts do not bear out. ``where`` is a checklist item or the registry."""

    where: str
    instrument: str
    article: str | None
    message: str

    def __str__(self) -> str:
        cited = f"{self.instrument} Art. {self.article}" if self.article else self.instrument
        return f"{self.where}: {cited}: {self.message}"


def statute_for(instrument: Instrument, laws: dict[str, Statute]) -> Statute | None:
    """The text of an instrument: by its ``text`` key, else by its Chinese title (with or without 中华人民共和国)."""
    if instrument.text is not None:
        return laws.get(instrument.text)
    title = instrument.title.zh
    return (
        laws.get(title)
        or laws.get(title.removeprefix(PRC_PREFIX))
        or next((s for s in laws.values() if s.heading == title), None)
    )


def verify_citations(library: Library, laws: dict[str, Statute]) -> list[CitationProblem]:
    """Every national citation (items, then registered articles) whose text is missing or lacks the article."""
    problems: list[CitationProblem] = []
    missing_text: dict[str, list[str]] = {}
    national = [i for i in library.registry.instruments if i.is_national]
    texts = {i.code: statute_for(i, laws) for i in national}
    for checklist in library.checklists:
        for item in checklist.items():
            for basis in item.legal_basis:
                if basis.instrument not in texts:
                    continue
                statute = texts[basis.instrument]
                if statute is None:
                    missing_text.setdefault(basis.instrument, []).append(item.id)
                    continue
                reason = locate(statute, basis.article)
                if reason is not None:
                    where = f"{checklist.key} {item.id}"
                    problems.append(CitationProblem(where, basis.instrument, basis.article, reason))
    for instrument in national:
        statute = texts[instrument.code]
        if statute is None:
            named = repr(instrument.text) if instrument.text else f"titled {instrument.title.zh!r}"
            cited = missing_text.get(instrument.code, [])
            cited_by = f"; cited by {len(cited)} item(s): {', '.join(cited)}" if cited else ""
            where = "instruments.yaml"
            problems.append(
                CitationProblem(where, instrument.code, None, f"no statute text {named} in the folder{cited_by}")
            )
            continue
        for article in instrument.articles:
            reason = locate(statute, article.ref)
            if reason is not None:
                problems.append(CitationProblem("instruments.yaml", instrument.code, article.ref, reason))
    return problems
