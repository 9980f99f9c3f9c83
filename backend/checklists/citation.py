"""The official citation form of a legal basis, in both languages: the form an order uses.

zh: 《中华人民共和国劳动法》第三十六条, 《中华人民共和国劳动合同法》第二十六条第一款第（二）项, 第138号公约第二条第三款;
en: "Labour Law of the PRC, Art. 36", "ILO Convention No. 138, Art. 2(3)". A citation of an ILO instrument China has
not ratified is a benchmark (参照标准), marked as such. Pure; one implementation for screen, paper and exports.
"""

import re

from pydantic import BaseModel

from backend.checklists.definition import Instrument, LegalBasis, Registry, Text
from backend.checklists.laws import ROMAN, split_ref

ZH_DIGITS = "零一二三四五六七八九"
BENCHMARK = Text(en="benchmark", zh="参照标准")
PRC = "of the People's Republic of China"


def zh_number(n: int) -> str:
    """36 -> 三十六, 101 -> 一百零一, 10 -> 十, 110 -> 一百一十 (0 < n < 10000)."""
    if not 0 < n < 10000:
        raise ValueError(f"out of range: {n}")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += ("" if (unit == "十" and digit == 1 and not out) else ZH_DIGITS[digit]) + unit
    return out


class Citation(BaseModel):
    """A formatted citation: ``text`` is the official form, ``line`` what screen, paper and exports print (a
    benchmark marked as such)."""

    instrument: str
    article: str
    text: Text
    benchmark: bool
    line: Text


def _citation(basis: LegalBasis, text: Text, benchmark: bool) -> Citation:
    line = Text(en=f"{text.en} ({BENCHMARK.en})", zh=f"{text.zh}（{BENCHMARK.zh}）") if benchmark else text
    return Citation(instrument=basis.instrument, article=basis.article, text=text, benchmark=benchmark, line=line)


def _zh_article(ref: str) -> str:
    parts = split_ref(ref)
    if parts is None:
        return f"第{ref}条"
    article, subs = parts
    number, _, sub_article = article.partition("-")
    out = f"第{zh_number(int(number))}条" + (f"之{zh_number(int(sub_article))}" if sub_article else "")
    if subs:
        out += f"第{zh_number(int(subs[0]))}款" if subs[0].isdigit() else f"（{subs[0]}）"
    for sub in subs[1:]:
        item = ROMAN.get(sub) or (int(sub) if sub.isdigit() else None)
        out += f"第（{zh_number(item)}）项" if item else f"第（{sub}）项"
    return out


def _ilo_number(code: str) -> str | None:
    match = re.fullmatch(r"[CP](\d+)", code)
    return match.group(1) if match else None


def _en_title(instrument: Instrument) -> str:
    title = instrument.title.en
    if instrument.kind == "ilo_convention":
        return f"ILO Convention No. {_ilo_number(instrument.code)}"
    return title.replace(PRC, "of the PRC")


def _zh_title(instrument: Instrument) -> str:
    if instrument.kind == "ilo_convention":
        return f"第{_ilo_number(instrument.code)}号公约"
    return f"《{instrument.title.zh}》"


def format_citation(basis: LegalBasis, registry: Registry) -> Citation:
    """The official form of one citation; an instrument not in the registry is printed by its code."""
    instrument = registry.instrument(basis.instrument)
    if instrument is None:
        text = Text(
            en=f"{basis.instrument}, Art. {basis.article}", zh=f"{basis.instrument}{_zh_article(basis.article)}"
        )
        return _citation(basis, text, benchmark=False)
    text = Text(
        en=f"{_en_title(instrument)}, Art. {basis.article}", zh=f"{_zh_title(instrument)}{_zh_article(basis.article)}"
    )
    return _citation(basis, text, benchmark=instrument.is_benchmark)


def citation_line(citation: Citation, lang: str) -> str:
    """One citation as printed in ``lang`` (en or zh), a benchmark marked as such."""
    return citation.line.zh if lang == "zh" else citation.line.en
