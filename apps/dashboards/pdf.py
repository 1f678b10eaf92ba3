"""A country profile as a PDF, in the active language: the same `CountryProfile` as its page, so that what is
downloaded and what is printed are the same figures (the fonts, Arabic and right to left: apps.core.pdf)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.core.pdf import LINE, PortalPdf, new_document, paragraph, table, table_height, table_layout
from apps.dashboards.profile import CountryProfile, ProfileSection

ROWS_WITH_HEADING = 3  # a section's title starts a page rather than stand above fewer of its rows than this


def render_profile_pdf(profile: CountryProfile) -> bytes:
    """The profile's PDF: its title and when it was counted, then each section's table, then its notes."""
    pdf = new_document(profile.title)
    paragraph(pdf, _("Country profile"), size=11, colour=90)
    paragraph(pdf, profile.title, size=18, style="B", after=1)
    if profile.counted_at is None:
        counted = _("figures not counted yet")
    else:
        # The day in the active time zone, as the page's date filter shows it.
        when = timezone.localtime(profile.counted_at) if timezone.is_aware(profile.counted_at) else profile.counted_at
        counted = _("figures counted on %(date)s") % {"date": date_format(when, "DATE_FORMAT")}
    paragraph(pdf, _("%(agency)s · %(counted)s") % {"agency": profile.agency, "counted": counted}, size=9, colour=90)
    pdf.ln(4)
    for section in profile.sections:
        _section(pdf, section)
    for note in profile.notes:
        paragraph(pdf, note, size=8, colour=110, after=1)
    return bytes(pdf.output())


def _section(pdf: PortalPdf, section: ProfileSection) -> None:
    title_height = LINE + 1.5
    if section.columns:
        layout = table_layout(pdf, section.columns, section.rows)
        title_height += table_height(pdf, section.columns, section.rows[:ROWS_WITH_HEADING], layout)
    if pdf.will_page_break(title_height):
        pdf.add_page()
    paragraph(pdf, section.title, size=11, style="B", after=1.5)
    if section.columns:
        table(pdf, section.columns, section.rows)
    if section.note:
        pdf.ln(1)
        paragraph(pdf, section.note, size=8, colour=110)
    pdf.ln(5)
