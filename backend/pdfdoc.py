"""The shared PDF base of every printed document (checklists, inspection reports, official notices): fpdf2 with
Debian's Noto Sans CJK (package ``fonts-noto-cjk``) embedded and subset, A4, a page footer, wrapped paragraphs and
two-column rows for English and Chinese side by side. The lowest layer: it imports nothing of ``backend``.
"""

import re
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_FILES = {"": "NotoSansCJK-Regular.ttc", "B": "NotoSansCJK-Bold.ttc"}
FONT_FACE = "Noto Sans CJK SC"
FONT_PACKAGE = "fonts-noto-cjk"
FAMILY = "noto"
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
GUTTER = 6.0  # mm between the two columns of a side-by-side row
LANGS = {"en": ("en",), "zh": ("zh",), "both": ("en", "zh")}  # a document's ``lang`` and what it prints


class FontMissingError(RuntimeError):
    """The CJK font needed for the PDF is not installed."""


def font_path(style: str = "", font_dir: Path = FONT_DIR) -> Path:
    path = font_dir / FONT_FILES[style]
    if not path.exists():
        raise FontMissingError(
            f"PDF rendering needs the Noto CJK font {path}; install the Debian package "
            f"'{FONT_PACKAGE}' (apt-get install -y {FONT_PACKAGE})"
        )
    return path


@lru_cache(maxsize=4)
def collection_index(path: Path, face: str = FONT_FACE) -> int:
    """Index of the Simplified Chinese face inside a Noto CJK font collection."""
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    for index, font in enumerate(collection.fonts):
        if (font["name"].getDebugName(4) or "").startswith(face):
            return index
    raise FontMissingError(f"{path} has no face named {face!r}; reinstall the Debian package '{FONT_PACKAGE}'")


def wrap_mode(text: str) -> WrapMode:
    """Mostly-Chinese text wraps between characters, other text between words."""
    return WrapMode.CHAR if len(CJK.findall(text)) * 3 > len(text) else WrapMode.WORD


class DocPDF(FPDF):
    """A4 portrait, 15 mm margins, the CJK font in regular and bold (fpdf2 embeds only the glyphs used: a subset),
    and ``footer_text`` with the page number at the foot of every page."""

    def __init__(self, footer_text: str, *, title: str = "", lang: str = "zh-CN", mode: str = "both") -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.langs = LANGS[mode]
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)
        for style in FONT_FILES:
            path = font_path(style)
            self.add_font(FAMILY, style=style, fname=path, collection_font_number=collection_index(path))
        if title:
            self.set_title(title)
        self.set_lang(lang)
        self.set_creator("Labour inspection")

    @property
    def text_width(self) -> float:
        return float(self.w - self.l_margin - self.r_margin)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FAMILY, size=7.5)
        self.set_text_color(110)
        self.cell(0, 5, f"{self.footer_text}   {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0)

    def para(self, text: str, size: float, style: str = "", height: float | None = None, grey: int = 0) -> None:
        """A wrapped paragraph across the text width."""
        self.set_font(FAMILY, style=style, size=size)
        self.set_text_color(grey)
        self.multi_cell(
            0, height or size * 0.5, text, align="L", wrapmode=wrap_mode(text), new_x="LMARGIN", new_y="NEXT"
        )
        self.set_text_color(0)

    def columns(
        self, texts: list[str], size: float, style: str = "", height: float | None = None, grey: int = 0
    ) -> None:
        """Texts side by side in equal columns (English beside Chinese), each wrapped in its column; the row
        moves whole to the next page when it does not fit, and the cursor ends below its longest column."""
        line_h = height or size * 0.5
        self.set_font(FAMILY, style=style, size=size)
        width = (self.text_width - GUTTER * (len(texts) - 1)) / len(texts)
        row_h = max(self.lines_of(t, width) for t in texts) * line_h
        if row_h > self.h - self.t_margin - self.b_margin - 5:  # longer than a page: one after the other
            for text in texts:
                self.para(text, size, style, line_h, grey)
            return
        if self.will_page_break(row_h):
            self.add_page()
        top = self.get_y()
        self.set_text_color(grey)
        for index, text in enumerate(texts):
            self.set_xy(self.l_margin + index * (width + GUTTER), top)
            self.multi_cell(width, line_h, text, align="L", wrapmode=wrap_mode(text), new_x="LEFT", new_y="NEXT")
        self.set_text_color(0)
        self.set_xy(self.l_margin, top + row_h)

    def say(
        self, en: str, zh: str, size: float = 9.5, style: str = "", height: float | None = None, grey: int = 0
    ) -> None:
        """One text in the document's language; with both, English and Chinese side by side (once if equal)."""
        if len(self.langs) == 2 and en != zh:
            self.columns([en, zh], size, style, height, grey)
        else:
            self.para(zh if self.langs == ("zh",) else en, size, style, height, grey)

    def lines_of(self, text: str, width: float) -> int:
        """How many lines ``text`` wraps to in ``width`` at the current font."""
        lines = self.multi_cell(width, 1, text, wrapmode=wrap_mode(text), dry_run=True, output="LINES")
        return len(lines) if isinstance(lines, list) else 1

    def rule(self, grey: int = 0) -> None:
        """A horizontal line across the text width at the cursor."""
        self.set_draw_color(grey)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_draw_color(0)

    def output_bytes(self) -> bytes:
        return bytes(self.output())
