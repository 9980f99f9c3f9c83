"""Read a folder of Chinese statute texts (one Markdown file per law, ``第三十六条 …`` opening each article) into
their articles, paragraphs (款) and items (项), so that citations can be checked against the text.

Pure: reads files, no database. A file's title is its name up to the first ``(`` (``劳动法(2018-12-29).md`` is
``劳动法``); ``第二百四十四条之一`` is article ``244-1``.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL = "零〇一二两三四五六七八九十百千"
ARTICLE_START = re.compile(rf"^\s*第([{NUMERAL}]+)条(?:之([{NUMERAL}]+))?(?=[\s\u3000]|$)")
ITEM_START = re.compile(rf"^\s*[（(]([{NUMERAL}]+)[)）]")
HEADING = re.compile(r"^\s*(#|<!--)")


def chinese_number(text: str) -> int:
    """``三十六`` -> 36, ``一百零一`` -> 101, ``十`` -> 10."""
    total, digit = 0, None
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in UNITS:
            total += (1 if digit is None else digit) * UNITS[char]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + (digit or 0)


@dataclass
class Paragraph:
    """One 款 of an article: its text and the number of its 项 (items ``（一）`` …)."""

    text: str
    items: int = 0


@dataclass
class StatuteArticle:
    ref: str
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass
class Statute:
    title: str
    heading: str
    articles: dict[str, StatuteArticle]


def parse_statute(text: str, title: str) -> Statute:
    """The articles of one statute text, in order."""
    heading = title
    articles: dict[str, StatuteArticle] = {}
    current: StatuteArticle | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("# "):
            heading = line[2:].strip()
        if HEADING.match(line):
            current = None if line.startswith("#") else current
            continue
        match = ARTICLE_START.match(line)
        if match:
            ref = str(chinese_number(match.group(1)))
            if match.group(2):
                ref += f"-{chinese_number(match.group(2))}"
            current = articles.setdefault(ref, StatuteArticle(ref))
            current.paragraphs.append(Paragraph(line[match.end() :].strip()))
        elif current is not None:
            if ITEM_START.match(line) and current.paragraphs:
                current.paragraphs[-1].items += 1
                current.paragraphs[-1].text += "\n" + line
            else:
                current.paragraphs.append(Paragraph(line))
    return Statute(title=title, heading=heading, articles=articles)


def statute_title(path: Path) -> str:
    return path.stem.split("(")[0].strip()


def read_laws(directory: Path | str) -> dict[str, Statute]:
    """Title -> statute for every ``*.md`` of ``directory`` that holds articles (a README holds none)."""
    laws: dict[str, Statute] = {}
    for path in sorted(Path(directory).glob("*.md")):
        statute = parse_statute(path.read_text(encoding="utf-8"), statute_title(path))
        if statute.articles:
            laws[statute.title] = statute
    return laws


ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
REF = re.compile(r"^(\d+(?:-\d+)?)((?:\([0-9a-z]+\))*)$")


def split_ref(ref: str) -> tuple[str, list[str]] | None:
    """``26(1)(ii)`` -> ``("26", ["1", "ii"])``; None when the reference has another form."""
    match = REF.match(ref)
    if match is None:
        return None
    return match.group(1), re.findall(r"\(([0-9a-z]+)\)", match.group(2))


def locate(statute: Statute, ref: str) -> str | None:
    """Why ``ref`` (article, then paragraph 款, then item 项) is not in the statute; None when it is."""
    parts = split_ref(ref)
    if parts is None:
        return f"article reference {ref!r} has no recognised form"
    article_ref, subs = parts
    article = statute.articles.get(article_ref)
    if article is None:
        return f"no article {article_ref}"
    if not subs:
        return None
    paragraph_no = int(subs[0]) if subs[0].isdigit() else None
    if paragraph_no is None or not 1 <= paragraph_no <= len(article.paragraphs):
        return f"article {article_ref} has {len(article.paragraphs)} paragraph(s), not ({subs[0]})"
    if len(subs) < 2:
        return None
    item = subs[1]
    item_no = ROMAN.get(item) or (int(item) if item.isdigit() else None)
    items = article.paragraphs[paragraph_no - 1].items
    if item_no is None or not 1 <= item_no <= items:
        return f"article {article_ref} paragraph {paragraph_no} has {items} item(s), not ({item})"
    return None
