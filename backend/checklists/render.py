"""Printable paper version of a checklist, in English, Chinese or both, as HTML or PDF.

Paper is the fallback when a tablet fails: every item gets boxes for the four statuses, its legal basis in the
official citation form (``citation.py``; benchmarks marked), the guidance, the measure this inspectorate can take
(a referral where the power is another authority's: ``authority.py``) and space for notes. The PDF is built in
``pdf.py``.
"""

from collections.abc import Iterator
from html import escape
from typing import Literal

from backend.checklists.authority import OfferedMeasure, offered_measure
from backend.checklists.citation import citation_line, format_citation
from backend.checklists.definition import (
    AnswerType,
    Authority,
    Checklist,
    Item,
    MeasureType,
    Registry,
    Severity,
    Text,
    Verification,
)

Lang = Literal["en", "zh", "en+zh"]
Fmt = Literal["html", "pdf"]
LANGS: tuple[Lang, ...] = ("en", "zh", "en+zh")
FORMATS: tuple[Fmt, ...] = ("html", "pdf")


def _t(en: str, zh: str) -> Text:
    return Text(en=en, zh=zh)


STATUSES: tuple[Text, ...] = (
    _t("Compliant", "符合"),
    _t("Non-compliant", "不符合"),
    _t("Not applicable", "不适用"),
    _t("Not verified", "未核实"),
)
LABELS: dict[str, Text] = {
    "legal_basis": _t("Legal basis", "法律依据"),
    "guidance": _t("Guidance", "检查指引"),
    "notes": _t("Notes", "记录"),
    "severity": _t("Severity", "严重程度"),
    "verification": _t("Verify by", "核查方式"),
    "measure": _t("Usual measure", "常用措施"),
    "evidence": _t("photo or document required if non-compliant", "不符合时须拍照或留存文件"),
    "value": _t("Value", "数值"),
    "record": _t("Record", "记录"),
    "establishment": _t("Establishment", "被检查单位"),
    "date": _t("Date", "日期"),
    "inspectors": _t("Inspectors", "劳动保障监察员"),
    "version": _t("Version", "版本"),
    "instruments": _t("Instruments cited", "所引法律文件"),
}
SEVERITY: dict[Severity, Text] = {
    Severity.critical: _t("critical", "严重"),
    Severity.major: _t("major", "较重"),
    Severity.minor: _t("minor", "轻微"),
}
VERIFICATION: dict[Verification, Text] = {
    Verification.documents: _t("documents", "查阅资料"),
    Verification.observation: _t("observation", "现场观察"),
    Verification.interview: _t("interview", "询问"),
}
MEASURE: dict[MeasureType, Text] = {
    MeasureType.advice: _t("advice", "指导建议"),
    MeasureType.warning: _t("warning", "警告"),
    MeasureType.order_to_rectify: _t("order to rectify", "责令改正"),
    MeasureType.stop_work: _t("stop-work order", "责令停止作业"),
    MeasureType.penalty: _t("administrative penalty", "行政处罚"),
    MeasureType.referral: _t("referral to the competent authority", "移送有关机关"),
}


def pick(text: Text, lang: Lang) -> list[str]:
    """The strings to print for ``text``: one language, or English then Chinese."""
    if lang == "en":
        return [text.en]
    if lang == "zh":
        return [text.zh]
    return [text.en, text.zh]


def joined(text: Text, lang: Lang, sep: str = " / ") -> str:
    return sep.join(pick(text, lang))


EMPTY_REGISTRY = Registry(instruments=[])
DEFAULT_AUTHORITIES = frozenset({Authority.labour_inspection})


def _single(lang: Lang) -> list[Lang]:
    return ["en", "zh"] if lang == "en+zh" else [lang]


def basis_lines(item: Item, lang: Lang, registry: Registry | None) -> list[str]:
    """The item's citations in the official form, one line per language (``Legal basis: …``)."""
    citations = [format_citation(b, registry or EMPTY_REGISTRY) for b in item.legal_basis]
    sep = {"en": "; ", "zh": "；"}
    return [
        f"{joined(LABELS['legal_basis'], one)}: {sep[one].join(citation_line(c, one) for c in citations)}"
        for one in _single(lang)
    ]


def measure_text(offered: OfferedMeasure, lang: Lang) -> str:
    if offered.referral_to is not None:
        return joined(offered.referral_to, lang)
    base = joined(MEASURE[offered.type], lang)
    if offered.deadline_days is None:
        return base
    days = _t(f"within {offered.deadline_days} days", f"{offered.deadline_days}日内")
    return f"{base} ({joined(days, lang)})"


def meta_lines(
    item: Item, lang: Lang, checklist: Checklist, authorities: frozenset[Authority] = DEFAULT_AUTHORITIES
) -> list[str]:
    """Severity, verification method and the measure this inspectorate can take: one line per language."""
    offered = offered_measure(item, checklist, authorities)
    lines = []
    for one in _single(lang):
        parts = [
            f"{joined(LABELS['severity'], one)}: {joined(SEVERITY[item.severity], one)}",
            f"{joined(LABELS['verification'], one)}: "
            + ", ".join(joined(VERIFICATION[v], one) for v in item.verification),
            f"{joined(LABELS['measure'], one)}: {measure_text(offered, one)}",
        ]
        if item.evidence_required:
            parts.append(joined(LABELS["evidence"], one))
        lines.append(" · ".join(parts))
    return lines


def answer_prompt(item: Item, lang: Lang) -> str | None:
    """The line for a recorded value, or None for a status-only item (choices are drawn as boxes)."""
    if item.answer_type == AnswerType.number:
        return f"{joined(LABELS['value'], lang)}: ________ {item.unit or ''}".rstrip()
    if item.answer_type == AnswerType.text:
        return f"{joined(LABELS['record'], lang)}: ______________________________"
    return None


def cited_instruments(checklist: Checklist, registry: Registry) -> Iterator[tuple[str, Text]]:
    codes = sorted({b.instrument for item in checklist.items() for b in item.legal_basis})
    by_code = {i.code: i for i in registry.instruments}
    for code in codes:
        if code in by_code:
            yield code, by_code[code].title


def render(
    checklist: Checklist,
    lang: Lang = "en+zh",
    fmt: Fmt = "html",
    registry: Registry | None = None,
    authorities: frozenset[Authority] = DEFAULT_AUTHORITIES,
) -> bytes:
    """The printable checklist as UTF-8 HTML or as PDF bytes."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}")
    if fmt == "html":
        return render_html(checklist, lang, registry, authorities).encode("utf-8")
    if fmt == "pdf":
        from backend.checklists.pdf import render_pdf

        return render_pdf(checklist, lang, registry, authorities)
    raise ValueError(f"fmt must be one of {', '.join(FORMATS)}")


CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC",sans-serif;font-size:10.5pt;margin:1.5cm;color:#111}
h1{font-size:16pt;margin:0 0 .3em} h2{font-size:13pt;border-bottom:1px solid #444;margin-top:1.2em}
.head span{display:inline-block;min-width:30%;margin-right:1em}
.item{border:1px solid #999;padding:.4em .6em;margin:.6em 0;page-break-inside:avoid}
.q{font-weight:bold} .id{font-family:monospace;color:#555;margin-right:.5em}
.status span{margin-right:1.2em;white-space:nowrap} .meta,.basis{font-size:9pt} .guide{font-size:9pt;color:#444}
.notes{border:1px dashed #999;height:3.2em;margin-top:.3em;font-size:8pt;color:#777;padding:.2em}
@media print{body{margin:0}}
"""


def render_html(
    checklist: Checklist,
    lang: Lang,
    registry: Registry | None = None,
    authorities: frozenset[Authority] = DEFAULT_AUTHORITIES,
) -> str:
    e = escape
    html_lang = "zh-Hans" if lang == "zh" else "en"
    out = [
        f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">',
        f"<title>{e(joined(checklist.title, lang))}</title><style>{CSS}</style></head><body>",
        f"<h1>{'<br>'.join(e(s) for s in pick(checklist.title, lang))}</h1>",
        f'<p class="meta">{e(checklist.key)} · {e(joined(LABELS["version"], lang))} {checklist.version}</p>',
        *(f"<p>{e(s)}</p>" for s in pick(checklist.description, lang)),
        '<p class="head">'
        + "".join(
            f"<span>{e(joined(LABELS[k], lang))}: ____________</span>" for k in ("establishment", "date", "inspectors")
        )
        + "</p>",
    ]
    for section in checklist.sections:
        out.append(f"<h2>{e(joined(section.title, lang))}</h2>")
        for item in section.items:
            out.append(_html_item(item, lang, checklist, registry, authorities))
    if registry is not None:
        out.append(f"<h2>{e(joined(LABELS['instruments'], lang))}</h2><ul>")
        out += [
            f"<li>{e(code)}: {e(joined(title, lang))}</li>" for code, title in cited_instruments(checklist, registry)
        ]
        out.append("</ul>")
    out.append("</body></html>\n")
    return "\n".join(out)


def _html_item(
    item: Item, lang: Lang, checklist: Checklist, registry: Registry | None, authorities: frozenset[Authority]
) -> str:
    e = escape
    question = "<br>".join(e(s) for s in pick(item.text, lang))
    boxes = "".join(f"<span>☐ {e(joined(s, lang))}</span>" for s in STATUSES)
    parts = [
        '<div class="item">',
        f'<div class="q"><span class="id">{e(item.id)}</span>{question}</div>',
        f'<div class="status">{boxes}</div>',
    ]
    if item.choices:
        parts.append(
            '<div class="status">' + "".join(f"<span>☐ {e(joined(c, lang))}</span>" for c in item.choices) + "</div>"
        )
    prompt = answer_prompt(item, lang)
    if prompt:
        parts.append(f"<div>{e(prompt)}</div>")
    parts += [
        *(f'<div class="basis">{e(line)}</div>' for line in basis_lines(item, lang, registry)),
        *(f'<div class="guide">{e(s)}</div>' for s in pick(item.guidance, lang)),
        *(f'<div class="meta">{e(line)}</div>' for line in meta_lines(item, lang, checklist, authorities)),
        f'<div class="notes">{e(joined(LABELS["notes"], lang))}</div>',
        "</div>",
    ]
    return "\n".join(parts)
