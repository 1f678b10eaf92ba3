"""The sample import file an agency starts from: the import's columns as its header and two example rows, as CSV
or XLSX; the workbook also lists what each column takes ("Allowed values") and every ISIC Rev.4 code.

Everything comes from columns.py and the cleaner's own bounds and lists (validation.column_rules); a test reads
both files back through the importer's reader and cleaner.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from apps.registry import rules
from apps.registry.importing import columns
from apps.registry.importing.validation import ColumnRule, column_rules
from apps.registry.models import IsicCode

# Two ISIC Rev.4 classes the examples are in: manufacture of bakery products, computer programming.
EXAMPLE_SECTORS = ("1071", "6201")
NUMERIC = frozenset({"employees", "annual_turnover_eur", "founded_year"})  # numbers in the workbook, not text
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_TITLE_LENGTH = 31  # Excel's limit
_NOT_IN_SHEET_TITLES = re.compile(r"[\[\]:*?/\\]")


def example_rows(*, country: str) -> list[dict[str, str]]:
    """Two MSMEs as an agency of `country` would write them, every column filled in one or the other; both valid
    (in the country's regions, when it has any)."""
    regions = [code for code, _name in rules.subdivisions(country)]
    return [
        {
            "name": _("Example Bakery Ltd"),
            "registration_number": "EXAMPLE-0001",
            "sector_isic": EXAMPLE_SECTORS[0],
            "employees": "12",
            "annual_turnover_eur": "250000.00",
            "region": regions[0] if regions else "",
            "founded_year": "2015",
            "email": "info@bakery.example",
            "phone": "020 123 4567",
            "website": "https://bakery.example",
            "preferred_language": "en",
            "preferred_channel": "email",
            "is_university_spinoff": "no",
            "is_informal": "no",
            "exports": "yes",
            "consent_outreach": "yes",
        },
        {
            "name": _("Example Software Studio"),
            "registration_number": "EXAMPLE-0002",
            "sector_isic": EXAMPLE_SECTORS[1],
            "employees": "3",
            "annual_turnover_eur": "",
            "region": regions[-1] if regions else "",
            "founded_year": "2021",
            "email": "hello@studio.example",
            "phone": "+1 555 0100",
            "website": "studio.example",
            "preferred_language": "fr",
            "preferred_channel": "sms",
            "is_university_spinoff": "yes",
            "is_informal": "no",
            "exports": "no",
            "consent_outreach": "no",
        },
    ]


def sample_rules(*, country: str, today: date) -> list[ColumnRule]:
    """What each column takes (validation.column_rules), with the ISIC Rev.4 sections as the sector's choices."""
    sections = IsicCode.objects.filter(level=IsicCode.Level.SECTION).order_by("code").values_list("code", "title")
    return column_rules(country=country, today=today, isic_sections=list(sections))


def sample_csv(*, country: str) -> bytes:
    """The header and the two example rows, as UTF-8 CSV with a byte order mark (spreadsheets then read it as
    UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns.ALL)
    for row in example_rows(country=country):
        writer.writerow([row[name] for name in columns.ALL])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(text: str) -> str:
    return _NOT_IN_SHEET_TITLES.sub(" ", text)[:_SHEET_TITLE_LENGTH].strip() or "Sheet"


def _cell(name: str, text: str) -> object:
    if name in NUMERIC and text:
        return float(text) if "." in text else int(text)
    return text


def sample_xlsx(*, country: str, today: date) -> bytes:
    """A workbook: the import sheet first (the one the import reads), then "Allowed values" (each column's rule
    and choices) and the ISIC Rev.4 codes."""
    bold = Font(bold=True)
    workbook = Workbook()
    data = workbook.active
    data.title = _sheet_title(_("MSMEs"))
    data.append(list(columns.ALL))
    for row in example_rows(country=country):
        data.append([_cell(name, row[name]) for name in columns.ALL])
    for cell in data[1]:
        cell.font = bold
    data.freeze_panes = "A2"
    for index, name in enumerate(columns.ALL, start=1):
        data.column_dimensions[data.cell(1, index).column_letter].width = max(14, len(name) + 2)

    allowed = workbook.create_sheet(_sheet_title(_("Allowed values")))
    allowed.append([_("Column"), _("Required"), _("What it takes"), _("Value"), _("Meaning")])
    for rule in sample_rules(country=country, today=today):
        value, meaning = rule.choices[0] if rule.choices else ("", "")
        allowed.append([rule.name, _("yes") if rule.required else _("no"), rule.rule, value, meaning])
        for value, meaning in rule.choices[1:]:
            allowed.append(["", "", "", value, meaning])
    allowed.append([])
    allowed.append(
        [_("An empty optional cell leaves the field empty on a new MSME and keeps what is stored on an update.")]
    )
    allowed.append([_("A column named error is read past: the file of a job's rejected rows has one.")])
    for cell in allowed[1]:
        cell.font = bold
    allowed.freeze_panes = "A2"
    for letter, width in zip("ABCDE", (24, 10, 70, 14, 48), strict=True):
        allowed.column_dimensions[letter].width = width
    for (cell,) in allowed.iter_rows(min_col=3, max_col=3):
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    codes = workbook.create_sheet(_sheet_title(_("ISIC Rev.4 codes")))
    codes.append([_("Code"), _("Level"), _("Title")])
    for code, level, title in IsicCode.objects.values_list("code", "level", "title"):
        codes.append([code, str(IsicCode.Level(level).label), title])
    for cell in codes[1]:
        cell.font = bold
    codes.freeze_panes = "A2"
    codes.column_dimensions["C"].width = 90

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
