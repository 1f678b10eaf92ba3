"""The action plan as a PDF (fpdf2), in the active language: French and Spanish accents, Arabic shaped and
right to left (HarfBuzz through uharfbuzz), with the DejaVu Sans font installed by npm (dejavu-fonts-ttf)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.formats import date_format
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from fpdf import FPDF

from apps.plan.engine import action_url
from apps.plan.pages import MsmePlan
from apps.registry.models import MaturityLevel

# fontTools logs every glyph of every font subset at INFO: one PDF would write hundreds of log lines.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(settings.NODE_MODULES) / "dejavu-fonts-ttf" / "ttf"
FONT = "DejaVu"
LINE = 5.5


def _font_files() -> dict[str, Path]:
    files = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
    missing = [str(path) for path in files.values() if not path.exists()]
    if missing:
        raise ImproperlyConfigured(f"Font files missing ({', '.join(missing)}): run `npm ci` (dejavu-fonts-ttf).")
    return files


class _PlanPdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(110)
        self.cell(0, 5, _("Page %(number)s") % {"number": self.page_no()}, align="C")


def render_plan_pdf(plan: MsmePlan, *, base_url: str = "") -> bytes:
    """The plan's PDF; `base_url` (scheme and host) makes the topic links absolute."""
    rtl = get_language_bidi()
    align = "R" if rtl else "L"
    pdf = _PlanPdf(format="A4")
    for style, path in _font_files().items():
        pdf.add_font(FONT, style, str(path))
    # HarfBuzz joins Arabic letters; fpdf2's bidi algorithm orders each paragraph (direction found per line).
    pdf.set_text_shaping(use_shaping_engine=True)
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_title(_("IP action plan: %(name)s") % {"name": plan.msme.name})
    pdf.set_lang(get_language() or "en")
    pdf.set_creator(_("MSME IP one-stop portal"))
    pdf.add_page()

    def paragraph(text: str, *, size: float = 10, style: str = "", colour: int = 0, after: float = 0) -> None:
        pdf.set_font(FONT, style, size)
        pdf.set_text_color(colour)
        pdf.multi_cell(0, LINE if size <= 11 else size * 0.55, text, align=align, new_x="LMARGIN", new_y="NEXT")
        if after:
            pdf.ln(after)

    paragraph(_("IP action plan"), size=11, colour=90)
    paragraph(plan.msme.name, size=18, style="B", after=1)
    level = (
        _("IP maturity level: %(level)s") % {"level": MaturityLevel(plan.level).label}
        if plan.level
        else _("IP maturity level: not assessed yet")
    )
    paragraph(
        _("%(agency)s · generated on %(date)s · %(level)s")
        % {"agency": plan.msme.tenant.name, "date": date_format(plan.generated_on, "DATE_FORMAT"), "level": level},
        size=9,
        colour=90,
        after=4,
    )
    if not plan.actions:
        paragraph(_("No action for now: keep your IP asset register and your diagnostic up to date."))
    for number, action in enumerate(plan.actions, start=1):
        if pdf.will_page_break(4 * LINE):
            pdf.add_page()
        paragraph(f"{number}. {action.title}", size=12, style="B", after=0.5)
        if action.deadline:
            paragraph(
                _("Deadline: %(date)s (%(label)s)")
                % {"date": date_format(action.deadline, "DATE_FORMAT"), "label": action.deadline_label},
                style="B",
                colour=150,
            )
        paragraph(_("Why: %(why)s") % {"why": action.why})
        paragraph(_("Cost: %(cost)s") % {"cost": action.cost})
        paragraph(_("Learn more: %(url)s") % {"url": base_url + action_url(action)}, size=9, colour=90, after=3)
    paragraph(
        _(
            "This plan is general guidance worked out from your profile, your IP asset register and your latest "
            "diagnostic. It is not legal advice."
        ),
        size=8,
        colour=110,
    )
    return bytes(pdf.output())
