"""What every PDF of the portal shares (fpdf2): the DejaVu Sans font installed by npm (dejavu-fonts-ttf), text
shaped by HarfBuzz (uharfbuzz) so that Arabic is joined and right to left, a page number in the footer, and
helpers for paragraphs and tables that follow the active language's direction.

A document is made in the language active when `new_document` is called; its direction is kept on it."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from fpdf import FPDF

# fontTools logs every glyph of every font subset at INFO: one PDF would write hundreds of log lines.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(settings.NODE_MODULES) / "dejavu-fonts-ttf" / "ttf"
FONT = "DejaVu"
LINE = 5.5  # the line height (mm) of a paragraph of 11 pt or less

# Tables: font sizes tried in turn until the figure columns leave the first column this share of the width.
TABLE_SIZES = (9.0, 8.0, 7.0, 6.0)
TABLE_FIRST_COLUMN_SHARE = 0.3
TABLE_FIRST_COLUMN_MIN = 0.15  # at the smallest size, the first column narrows to this before the figures wrap
TABLE_FIRST_COLUMN_TARGET = 0.45  # the first column's share when its labels are that long
TABLE_FIGURE_COLUMN_MAX = 32.0  # mm: wider figure columns would leave figures far from their labels
TABLE_PADDING = 1.0  # mm above and below a cell's text
TABLE_CELL_MARGIN = 0.7  # mm left and right of a cell's text (fpdf2's c_margin, 1 mm by default, while drawing)
TABLE_LABEL_LINES = 3  # a longer label is cut, with an ellipsis, so that one row stays a few lines high


def font_files() -> dict[str, Path]:
    """The font files by style ("" and "B"); ImproperlyConfigured names any missing one."""
    files = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
    missing = [str(path) for path in files.values() if not path.exists()]
    if missing:
        raise ImproperlyConfigured(f"Font files missing ({', '.join(missing)}): run `npm ci` (dejavu-fonts-ttf).")
    return files


class PortalPdf(FPDF):
    """An A4 document with the page number in its footer; `rtl` is the direction of its language."""

    def __init__(self, *, rtl: bool = False) -> None:
        super().__init__(format="A4")
        self.rtl = rtl

    @property
    def text_start(self) -> str:
        """The alignment of running text: "R" in a right-to-left language, else "L"."""
        return "R" if self.rtl else "L"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(110)
        self.cell(0, 5, _("Page %(number)s") % {"number": self.page_no()}, align="C")


def new_document(title: str) -> PortalPdf:
    """A document in the active language, its fonts added and its first page begun."""
    pdf = PortalPdf(rtl=get_language_bidi())
    for style, path in font_files().items():
        pdf.add_font(FONT, style, str(path))
    # HarfBuzz joins Arabic letters; fpdf2's bidi algorithm orders each paragraph (direction found per line).
    pdf.set_text_shaping(use_shaping_engine=True)
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_title(title)
    pdf.set_lang(get_language() or "en")
    pdf.set_creator(_("MSME IP one-stop portal"))
    pdf.add_page()
    return pdf


LRM = "\u200e"  # LEFT-TO-RIGHT MARK: a strong left-to-right character that is never drawn


def left_to_right(text: str) -> str:
    """A web address, an e-mail, a code, kept in one left-to-right run inside an Arabic line: without the marks
    the bidi algorithm moves its last "/" or "." to the other end ("/http://...")."""
    return f"{LRM}{text}{LRM}"


def paragraph(
    pdf: PortalPdf, text: str, *, size: float = 10, style: str = "", colour: int = 0, after: float = 0
) -> None:
    """A paragraph across the page, aligned to the start of the language's lines; `after`: space below (mm)."""
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(colour)
    pdf.multi_cell(0, LINE if size <= 11 else size * 0.55, text, align=pdf.text_start, new_x="LMARGIN", new_y="NEXT")
    if after:
        pdf.ln(after)


# --- Tables -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableLayout:
    size: float  # the font size (pt)
    widths: tuple[float, ...]  # mm, in reading order: the first column's first

    @property
    def line(self) -> float:
        return self.size * 0.47  # mm: the font's height and a little leading


@contextmanager
def _table_margins(pdf: PortalPdf) -> Iterator[None]:
    # Narrower than fpdf2's cell margin: more figure columns fit before the font has to be made smaller.
    c_margin = pdf.c_margin
    pdf.c_margin = TABLE_CELL_MARGIN
    try:
        yield
    finally:
        pdf.c_margin = c_margin


def table_layout(pdf: PortalPdf, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> TableLayout:
    """Column widths filling the page's width: each figure column as wide as its widest figure and its
    heading's longest word, the first column the rest; the font is made smaller until the first column keeps
    TABLE_FIRST_COLUMN_SHARE of the width (at the smallest size, TABLE_FIRST_COLUMN_MIN)."""
    room = pdf.epw
    figures = range(1, len(columns))
    pad = 2 * TABLE_CELL_MARGIN + 0.2  # the cell's margins, and a little so that a fitting figure never wraps
    for size in TABLE_SIZES:
        needed = [_widest(pdf, size, [columns[i]], [row[i] for row in rows if i < len(row)]) + pad for i in figures]
        if room - sum(needed) >= room * TABLE_FIRST_COLUMN_SHARE:
            break
    labels = _widest(pdf, size, [columns[0]] if columns else [], [row[0] for row in rows if row]) + pad
    first_target = min(max(labels, room * TABLE_FIRST_COLUMN_SHARE), room * TABLE_FIRST_COLUMN_TARGET)
    if figures:
        share = min((room - first_target) / len(figures), TABLE_FIGURE_COLUMN_MAX)
        widths = [max(width, share) for width in needed]
        if sum(widths) > room * (1 - TABLE_FIRST_COLUMN_MIN):
            # Too many columns even at the smallest size: narrow every figure column alike (figures then wrap).
            scale = room * (1 - TABLE_FIRST_COLUMN_MIN) / sum(widths)
            widths = [width * scale for width in widths]
    else:
        widths = []
    return TableLayout(size=size, widths=(room - sum(widths), *widths))


def _widest(pdf: PortalPdf, size: float, headings: list[str], cells: list[str]) -> float:
    """The widest of the cells (each on one line) and of the headings' words (in bold, as they are drawn)."""
    pdf.set_font(FONT, "B", size)
    widest = max((pdf.get_string_width(word) for heading in headings for word in heading.split()), default=0.0)
    pdf.set_font(FONT, "", size)
    return max([widest, *(pdf.get_string_width(cell) for cell in cells)])


def table_height(pdf: PortalPdf, columns: Sequence[str], rows: Sequence[Sequence[str]], layout: TableLayout) -> float:
    """The height (mm) that the heading row and these rows take when drawn with `layout`."""
    with _table_margins(pdf):
        return _row_height(pdf, _cells(columns, layout, pdf, heading=True), layout, "B") + sum(
            _row_height(pdf, _cells(row, layout, pdf), layout, "") for row in rows
        )


def table(pdf: PortalPdf, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A bordered table across the page: the heading row in bold, the first column's labels aligned to the start
    of the language's lines and the figures to their end; in a right-to-left language the first column is on the
    right. A row that does not fit goes to the next page, under the heading row again."""
    layout = table_layout(pdf, columns, rows)
    with _table_margins(pdf):
        heading = _cells(columns, layout, pdf, heading=True)
        _draw_row(pdf, heading, layout, "B")
        for row in rows:
            cells = _cells(row, layout, pdf)
            if pdf.will_page_break(_row_height(pdf, cells, layout, "")):
                pdf.add_page()
                _draw_row(pdf, heading, layout, "B")
            _draw_row(pdf, cells, layout, "")
    pdf.set_x(pdf.l_margin)


def _cells(row: Sequence[str], layout: TableLayout, pdf: PortalPdf, *, heading: bool = False) -> list[str]:
    """The row's texts, one per column (a short row is completed with empty cells), its label cut if too long."""
    cells = [str(text) for text in row][: len(layout.widths)]
    cells += [""] * (len(layout.widths) - len(cells))
    if not heading and cells[0]:
        cells[0] = _cut(pdf, cells[0], layout.widths[0], layout)
    return cells


def _lines(pdf: PortalPdf, text: str, width: float, layout: TableLayout) -> int:
    return len(pdf.multi_cell(width, layout.line, text, dry_run=True, output="LINES")) if text else 1


def _cut(pdf: PortalPdf, label: str, width: float, layout: TableLayout) -> str:
    """The label, or as many of its first words as fit TABLE_LABEL_LINES lines with an ellipsis after them."""
    pdf.set_font(FONT, "", layout.size)
    if _lines(pdf, label, width, layout) <= TABLE_LABEL_LINES:
        return label
    words = label.split()
    low, high = 0, len(words)  # the most words that fit, found by halving: a label may be a long one
    while low < high:
        middle = (low + high + 1) // 2
        if _lines(pdf, " ".join(words[:middle]) + "…", width, layout) <= TABLE_LABEL_LINES:
            low = middle
        else:
            high = middle - 1
    if low:
        return " ".join(words[:low]) + "…"
    # One word longer than the cell's lines: cut within it (fpdf2 breaks a word that does not fit one line).
    characters = words[0]
    while characters and _lines(pdf, characters + "…", width, layout) > TABLE_LABEL_LINES:
        characters = characters[:-1]
    return characters + "…"


def _row_height(pdf: PortalPdf, cells: list[str], layout: TableLayout, style: str) -> float:
    pdf.set_font(FONT, style, layout.size)
    lines = max(_lines(pdf, text, width, layout) for text, width in zip(cells, layout.widths, strict=True))
    return lines * layout.line + 2 * TABLE_PADDING


def _draw_row(pdf: PortalPdf, cells: list[str], layout: TableLayout, style: str) -> None:
    height = _row_height(pdf, cells, layout, style)
    top = pdf.y
    label_align, figure_align = ("R", "L") if pdf.rtl else ("L", "R")
    x = pdf.l_margin + pdf.epw if pdf.rtl else pdf.l_margin
    pdf.set_text_color(0)
    pdf.set_draw_color(150)
    pdf.set_line_width(0.2)
    # The row was measured to fit: no automatic page break may split one of its cells from the others.
    auto, margin = pdf.auto_page_break, pdf.b_margin
    pdf.set_auto_page_break(False)
    for index, (text, width) in enumerate(zip(cells, layout.widths, strict=True)):
        if pdf.rtl:
            x -= width
        pdf.rect(x, top, width, height)
        pdf.set_xy(x, top + TABLE_PADDING)
        pdf.multi_cell(width, layout.line, text, align=label_align if index == 0 else figure_align)
        if not pdf.rtl:
            x += width
    pdf.set_auto_page_break(auto, margin=margin)
    pdf.set_xy(pdf.l_margin, top + height)
