"""Cleaning one import row: each column's text to a value, or a reason it is wrong.

Cleaners are plain functions looked up once per file, so a row costs a few dictionary look-ups
and conversions: the import runs at 100,000 rows in seconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, ProhibitNullCharactersValidator, URLValidator
from django.utils.translation import gettext as _

from apps.core.countries import country_name
from apps.registry import rules
from apps.registry.importing import columns
from apps.tenants.models import OutreachChannel

TRUE = {"true", "yes", "1", "y"}
FALSE = {"false", "no", "0", "n"}
MAX_NAME = 200
MAX_REGISTRATION_NUMBER = 64
MAX_EMPLOYEES = rules.MAX_EMPLOYEES
MAX_TURNOVER = Decimal("99999999999999.99")
MAX_EMAIL = 254
MAX_WEBSITE = 200
PHONE_LENGTH = (5, 32)
PHONE_CHARACTERS = "0-9 ()./-"
_PHONE = re.compile(rf"^\+?[{PHONE_CHARACTERS}]{{{PHONE_LENGTH[0]},{PHONE_LENGTH[1]}}}$")
WEBSITE_SCHEMES = ("http", "https")
# What a number cell may look like before it is converted: Decimal would take "1e1000000", and turning
# that into an int takes the worker minutes. The exponent has at most three digits, the whole at most 40
# characters; sql_path.py's checks accept less and leave the rest to this cleaner.
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$")
MAX_NUMBER_LENGTH = 40
ECHO_LENGTH = 100
_email = EmailValidator()
_url = URLValidator(schemes=list(WEBSITE_SCHEMES))


class CellError(ValueError):
    pass


def shown(text: str) -> str:
    """A cell as an error message repeats it: cut to ECHO_LENGTH characters, so a huge cell stays one line."""
    return text if len(text) <= ECHO_LENGTH else text[:ECHO_LENGTH] + "…"


def _number(compact: str, text: str, message: str) -> Decimal:
    if len(compact) > MAX_NUMBER_LENGTH or not _NUMBER.match(compact):
        raise CellError(message % {"value": shown(text)})
    return Decimal(compact)


@dataclass
class CleanRow:
    line: int
    values: dict[str, Any]
    errors: list[tuple[str, str]] = field(default_factory=list)


def _required_text(max_length: int) -> Callable[[str], str]:
    def clean(text: str) -> str:
        if not text:
            raise CellError(_("is required"))
        if len(text) > max_length:
            raise CellError(_("is longer than %(max)d characters") % {"max": max_length})
        return text

    return clean


def _employees(text: str) -> int:
    if not text:
        raise CellError(_("is required"))
    value = _number(text.replace(" ", "").replace("\u00a0", ""), text, _("%(value)r is not a whole number"))
    # Bounds before int(): int(Decimal("1e999")) is cheap, but only because the exponent is short.
    if value != value.to_integral_value():
        raise CellError(_("%(value)r is not a whole number") % {"value": shown(text)})
    if value < 0:
        raise CellError(_("cannot be negative"))
    if error := rules.employees_error(value):
        raise CellError(error)
    return int(value)


def _turnover(text: str) -> Decimal:
    compact = text.replace(" ", "").replace("\u00a0", "")
    if "," in compact and "." not in compact:
        compact = compact.replace(",", ".")  # decimal comma, as semicolon-separated files use
    elif "," in compact:
        compact = compact.replace(",", "")  # thousands separators
    value = _number(compact, text, _("%(value)r is not a number"))
    if value < 0:
        raise CellError(_("cannot be negative"))
    if value > MAX_TURNOVER:
        raise CellError(_("is too large"))
    return value.quantize(Decimal("0.01"))


def _boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise CellError(_("%(value)r is not a yes/no value (use true/false, yes/no or 1/0)") % {"value": shown(text)})


def _email_cell(text: str) -> str:
    if len(text) > MAX_EMAIL:  # Django's validator allows 320; the column holds 254
        raise CellError(_("is longer than %(max)d characters") % {"max": MAX_EMAIL})
    try:
        _email(text)
    except ValidationError:
        raise CellError(_("%(value)r is not a valid e-mail address") % {"value": shown(text)}) from None
    return text.lower()


def _phone(text: str) -> str:
    if not _PHONE.match(text):
        raise CellError(_("%(value)r is not a phone number") % {"value": shown(text)})
    return text


def _website(text: str) -> str:
    url = text if "://" in text else f"https://{text}"
    try:
        _url(url)
    except ValidationError:
        raise CellError(_("%(value)r is not a web address") % {"value": shown(text)}) from None
    if len(url) > MAX_WEBSITE:
        raise CellError(_("is longer than %(max)d characters") % {"max": MAX_WEBSITE})
    return url


def _language(text: str) -> str:
    if error := rules.language_error(text):
        raise CellError(error)
    return text.lower()


CHANNELS = frozenset(OutreachChannel.values)
LANGUAGES = rules.LANGUAGES


def _channel(text: str) -> str:
    value = text.lower()
    if value not in CHANNELS:
        raise CellError(
            _("%(value)r is not a channel (use %(choices)s)")
            % {"value": shown(text), "choices": "|".join(OutreachChannel.values)}
        )
    return value


class RowCleaner:
    """Cleans rows for one tenant: knows its country's regions and the ISIC codes."""

    def __init__(self, *, isic_sections: dict[str, str], country: str, today: date) -> None:
        # isic_sections: code -> section letter, for every ISIC Rev.4 code.
        self.isic_sections = isic_sections
        self.today = today
        self.country = country
        self.regions = rules.regions(country)  # shared and cached: not to be changed
        self.cleaners: dict[str, Callable[[str], Any]] = {
            "name": _required_text(MAX_NAME),
            "registration_number": _required_text(MAX_REGISTRATION_NUMBER),
            "sector_isic": self._isic,
            "employees": _employees,
            "annual_turnover_eur": _turnover,
            "region": self._region,
            "founded_year": self._founded_year,
            "email": _email_cell,
            "phone": _phone,
            "website": _website,
            "preferred_language": _language,
            "preferred_channel": _channel,
            **dict.fromkeys(columns.BOOLEAN, _boolean),
        }

    def _isic(self, text: str) -> str:
        if not text:
            raise CellError(_("is required"))
        code = text.upper().replace(".", "")
        if code not in self.isic_sections:
            raise CellError(_("%(value)r is not an ISIC Rev.4 section letter or class code") % {"value": shown(text)})
        return code

    def _region(self, text: str) -> str:
        code = rules.region_code(text, country=self.country)
        if code is None:
            raise CellError(rules.region_error(text, country=self.country))
        return code

    def _founded_year(self, text: str) -> int:
        try:
            year = int(text)
        except ValueError:
            raise CellError(_("%(value)r is not a year") % {"value": shown(text)}) from None
        if error := rules.founded_year_error(year, today=self.today):
            raise CellError(error)
        return year

    def clean(self, line: int, raw: dict[str, str]) -> CleanRow:
        row = CleanRow(line=line, values={})
        if "__error__" in raw:
            row.errors.append(("", raw["__error__"]))
            return row
        for column, text in raw.items():
            text = text.strip()
            if "\x00" in text:  # PostgreSQL cannot store it: the batch would fail, not the row
                row.errors.append((column, str(ProhibitNullCharactersValidator.message)))
                continue
            if len(text) > settings.IMPORT_MAX_CELL_CHARS:
                reason = _("%(value)r is longer than %(max)d characters") % {
                    "value": shown(text),
                    "max": settings.IMPORT_MAX_CELL_CHARS,
                }
                row.errors.append((column, reason))
                continue
            if not text and column not in columns.REQUIRED:
                continue  # empty optional cell: nothing to set (an update keeps what is stored)
            try:
                row.values[column] = self.cleaners[column](text)
            except CellError as exc:
                row.errors.append((column, str(exc)))
        return row


@dataclass(frozen=True)
class ColumnRule:
    """What one import column takes, as the import page and the sample workbook tell it."""

    name: str
    required: bool
    rule: str
    choices: tuple[tuple[str, str], ...] = ()  # (value as written in the file, what it means)


def column_rules(*, country: str, today: date, isic_sections: Iterable[tuple[str, str]] = ()) -> list[ColumnRule]:
    """Each import column (columns.ALL, in order) with what it takes: made from the bounds and lists the cleaner
    above checks with (a test cleans every value listed), never written out a second time.

    `isic_sections`: (letter, title) of the ISIC Rev.4 sections, listed as the sector's choices.
    """
    numbers = {"max": MAX_NAME}
    regions = rules.subdivisions(country)
    yes = ", ".join(sorted(TRUE))
    no = ", ".join(sorted(FALSE))
    boolean = ColumnRule(
        "",
        False,
        _("Yes or no: %(yes)s for yes; %(no)s for no (in any case); empty is no for a new MSME.")
        % {"yes": yes, "no": no},
        tuple((word, _("yes")) for word in sorted(TRUE)) + tuple((word, _("no")) for word in sorted(FALSE)),
    )
    described = {
        "name": ColumnRule("", True, _("Text of at most %(max)d characters.") % numbers),
        "registration_number": ColumnRule(
            "",
            True,
            _(
                "Text of at most %(max)d characters, one per MSME. A number already in the registry updates or skips "
                "the stored MSME, as chosen on upload; a number repeated in the file fails on its later rows."
            )
            % {"max": MAX_REGISTRATION_NUMBER},
        ),
        "sector_isic": ColumnRule(
            "",
            True,
            _(
                "An ISIC Rev.4 code: a section letter, or a division, group or class code (dots are left out: 01.11 "
                "is 0111). The sections are listed here; the sample workbook lists every code."
            ),
            tuple(isic_sections),
        ),
        "employees": ColumnRule("", True, _("A whole number from 0 to %(max)s.") % {"max": f"{MAX_EMPLOYEES:,}"}),
        "annual_turnover_eur": ColumnRule(
            "",
            False,
            _(
                "A number of euros from 0 to %(max)s, rounded to cents: decimals after a point, or after a comma "
                "when there is no point (then commas separate thousands); spaces are left out."
            )
            % {"max": f"{MAX_TURNOVER:,}"},
        ),
        "region": ColumnRule(
            "",
            False,
            _("A region of %(country)s: its ISO 3166-2 code or its English name, in any case.")
            % {"country": country_name(country)}
            if regions
            else _("No regions are listed for %(country)s: leave it empty.") % {"country": country_name(country)},
            regions,
        ),
        "founded_year": ColumnRule(
            "",
            False,
            _("A year from %(first)d to %(last)d.") % {"first": rules.FOUNDED_FROM, "last": today.year},
        ),
        "email": ColumnRule("", False, _("An e-mail address of at most %(max)d characters.") % {"max": MAX_EMAIL}),
        "phone": ColumnRule(
            "",
            False,
            _("A phone number of %(min)d to %(max)d characters: digits, spaces and %(signs)s, after an optional +.")
            % {"min": PHONE_LENGTH[0], "max": PHONE_LENGTH[1], "signs": "( ) . / -"},
        ),
        "website": ColumnRule(
            "",
            False,
            _("A web address (%(schemes)s) of at most %(max)d characters; https:// is added when it has none.")
            % {"schemes": ", ".join(WEBSITE_SCHEMES), "max": MAX_WEBSITE},
        ),
        "preferred_language": ColumnRule(
            "", False, _("An ISO 639-1 language code (two letters), in any case."), rules.languages()
        ),
        "preferred_channel": ColumnRule(
            "",
            False,
            _("One of the outreach channels listed, in any case."),
            tuple((value, str(label)) for value, label in OutreachChannel.choices),
        ),
        **dict.fromkeys(columns.BOOLEAN, boolean),
    }
    return [
        ColumnRule(name, name in columns.REQUIRED, described[name].rule, described[name].choices)
        for name in columns.ALL
    ]
