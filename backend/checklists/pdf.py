"""PDF rendering of a printable checklist on the shared document base (``backend/pdfdoc.py``: fpdf2 with Debian's
Noto Sans CJK embedded and subset); without the font rendering fails with ``FontMissingError``.
"""

from backend.checklists.definition import Authority, Checklist, Item, Registry
from backend.checklists.render import (
    DEFAULT_AUTHORITIES,
    LABELS,
    STATUSES,
    Lang,
    answer_prompt,
    basis_lines,
    cited_instruments,
    joined,
    meta_lines,
    pick,
)
from backend.pdfdoc import FONT_DIR, FONT_FILES, DocPDF, FontMissingError, collection_index, font_path

__all__ = ["FONT_DIR", "FONT_FILES", "ChecklistPDF", "FontMissingError", "collection_index", "font_path", "render_pdf"]


class ChecklistPDF(DocPDF):
    """The paper checklist: the shared document base (``backend/pdfdoc.py``) with check boxes and notes boxes."""

    def boxes(self, labels: list[str], size: float = 9) -> None:
        """A row of empty check boxes, each followed by its label; wraps onto a new line when full."""
        self.set_font("noto", size=size)
        line_h = 6.0
        if self.will_page_break(line_h):
            self.add_page()
        x_end = self.w - self.r_margin
        for label in labels:
            width = 5 + self.get_string_width(label) + 6
            if self.get_x() + width > x_end:
                self.ln(line_h)
            x, y = self.get_x(), self.get_y()
            self.rect(x, y + 1.3, 3.4, 3.4)
            self.set_xy(x + 5, y)
            self.cell(width - 5, line_h, label)
        self.ln(line_h)

    def notes_box(self, label: str, height: float = 14) -> None:
        if self.will_page_break(height + 2):
            self.add_page()
        x, y = self.l_margin, self.get_y() + 1
        self.set_draw_color(150)
        self.rect(x, y, self.w - self.l_margin - self.r_margin, height)
        self.set_draw_color(0)
        self.set_xy(x + 1, y + 0.5)
        self.set_font("noto", size=7)
        self.set_text_color(120)
        self.cell(0, 4, label)
        self.set_text_color(0)
        self.set_xy(x, y + height + 3)


def render_pdf(
    checklist: Checklist,
    lang: Lang,
    registry: Registry | None = None,
    authorities: frozenset[Authority] = DEFAULT_AUTHORITIES,
) -> bytes:
    title = joined(checklist.title, lang)
    pdf = ChecklistPDF(f"{checklist.key} v{checklist.version}", title=title, lang="zh-CN" if lang == "zh" else "en")
    pdf.add_page()
    for line in pick(checklist.title, lang):
        pdf.para(line, 16, "B", height=8)
    pdf.para(f"{checklist.key} · {joined(LABELS['version'], lang)} {checklist.version}", 8.5, grey=90)
    pdf.ln(1)
    for line in pick(checklist.description, lang):
        pdf.para(line, 9.5)
    pdf.ln(2)
    for key in ("establishment", "date", "inspectors"):
        pdf.para(f"{joined(LABELS[key], lang)}: ________________________________", 10, height=7)
    for section in checklist.sections:
        pdf.ln(3)
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.para(joined(section.title, lang), 13, "B", height=7)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(2)
        for item in section.items:
            _item(pdf, item, lang, checklist, registry, authorities)
    if registry is not None:
        pdf.ln(3)
        pdf.para(joined(LABELS["instruments"], lang), 12, "B", height=7)
        for code, name in cited_instruments(checklist, registry):
            pdf.para(f"{code}: {joined(name, lang)}", 8.5)
    return pdf.output_bytes()


def _item(
    pdf: ChecklistPDF,
    item: Item,
    lang: Lang,
    checklist: Checklist,
    registry: Registry | None,
    authorities: frozenset[Authority],
) -> None:
    if pdf.will_page_break(45):
        pdf.add_page()
    questions = pick(item.text, lang)
    pdf.para(f"{item.id}   {questions[0]}", 10.5, "B", height=5.5)
    for extra in questions[1:]:
        pdf.para(extra, 10.5, "B", height=5.5)
    pdf.boxes([joined(s, lang) for s in STATUSES])
    if item.choices:
        pdf.boxes([joined(c, lang) for c in item.choices])
    prompt = answer_prompt(item, lang)
    if prompt:
        pdf.para(prompt, 9.5, height=6)
    for line in basis_lines(item, lang, registry):
        pdf.para(line, 8.5, height=4.5)
    for line in pick(item.guidance, lang):
        pdf.para(line, 8.5, height=4.3, grey=70)
    for line in meta_lines(item, lang, checklist, authorities):
        pdf.para(line, 7.5, height=4, grey=90)
    pdf.notes_box(joined(LABELS["notes"], lang))
