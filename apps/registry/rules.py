"""The registry's rules on MSMEs and IP assets: each is written here, and only here.

Every rule is a plain function of plain values that returns its errors by field ({field: [message]}), so that
each write path adapts the same rule and words: the pages' forms (form errors), the API's serializers (a 400
naming the field), the import cleaner (row errors with line and column), the services (a ValidationError by
field: the admin and every caller of a service), and the PostgreSQL import, whose fast checks take their
bounds from here (sql_path.py) and leave every cell they do not accept to the import cleaner.
tests/registry/test_one_rule.py fails when a rule's constant or message is written anywhere else.
"""

from __future__ import annotations

import gettext as gettext_module
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

import pycountry
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import to_locale

if TYPE_CHECKING:
    from apps.registry.models import Msme
    from apps.tenants.models import Tenant

Errors = dict[str, list[str]]

# A business founded before this year is a typing error (1008 for 2008), as one founded after this year is.
FOUNDED_FROM = 1800
# More staff than the largest employers have: a typing error; and a bound PostgreSQL's integer holds.
MAX_EMPLOYEES = 10_000_000
# An error message repeats the bad value cut to this many characters, so that a huge cell stays one line.
ECHO = 100


def _echo(value: Any) -> str:
    return Truncator(str(value)).chars(ECHO)


def _add(errors: Errors, field: str, message: str | None) -> None:
    if message:
        errors.setdefault(field, []).append(message)


# MSMEs ----------------------------------------------------------------------------------------------------------


def founded_year_error(year: int | None, *, today: date | None = None) -> str | None:
    """A founding year is not after this year and not before FOUNDED_FROM."""
    if year is None:
        return None
    if year > (today or timezone.localdate()).year:
        return _("The founding year cannot be in the future.")
    if year < FOUNDED_FROM:
        return _("The founding year is implausibly early.")
    return None


def employees_error(employees: int | None) -> str | None:
    if employees is not None and employees > MAX_EMPLOYEES:
        return _("The number of employees is implausibly large.")
    return None


@cache
def subdivisions(country: str) -> tuple[tuple[str, str], ...]:
    """The country's regions (ISO 3166-2 subdivisions) as (code, name), by name."""
    found = sorted(pycountry.subdivisions.get(country_code=country) or [], key=lambda s: s.name)
    return tuple((s.code, s.name) for s in found)


@cache
def regions(country: str) -> dict[str, str]:
    """Each way a region of the country may be written (its code in capitals, its name case-folded) -> its code."""
    found: dict[str, str] = {}
    for code, name in subdivisions(country):
        found[code.upper()] = code
        found[name.casefold()] = code
    return found


def region_code(value: str, *, country: str) -> str | None:
    """The region's ISO 3166-2 code for its code or name in any case; None when it is not one of the country's."""
    found = regions(country)
    return found.get(value.upper()) or found.get(value.casefold())


def _not_a_region(value: str) -> str:
    return _("%(value)s is not a region of this country.") % {"value": _echo(value)}


def region_error(value: str | None, *, country: str) -> str | None:
    if not value or region_code(value, country=country) is not None:
        return None
    return _not_a_region(value)


@cache
def _region_translations(language: str) -> gettext_module.NullTranslations:
    # pycountry ships the ISO 3166-2 names' translations as the gettext domain "iso3166-2".
    return gettext_module.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True)


@cache
def region_names(country: str, language: str) -> tuple[tuple[str, str], ...]:
    """The country's regions as (code, name), the name in `language` (a Django language code) where pycountry has
    it translated, else in English; by that name."""
    names = _region_translations(to_locale(language))
    found = ((code, names.gettext(name)) for code, name in subdivisions(country))
    return tuple(sorted(found, key=lambda pair: (_folded(pair[1]), pair[0])))


def _folded(text: str) -> str:
    """Text compared without case or accents ("Qinā" and "qina")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()


@cache
def _region_search_names(country: str, language: str) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """({code or folded name: code}, ((folded name, code), ...)): each region's code, its English name and its
    name in `language`."""
    exact: dict[str, str] = {}
    named: list[tuple[str, str]] = []
    for code, name in (*subdivisions(country), *region_names(country, language)):
        exact[code.upper()] = code
        exact[_folded(name)] = code
        named.append((_folded(name), code))
    return exact, tuple(named)


# A search that fits several regions names at most this many of them; the start of a name finds a region from
# this many characters on.
REGIONS_LISTED = 5
REGION_START_MIN = 3


# What an ISO 3166-2 code looks like: the country's two letters, a hyphen, and one to three letters or digits.
REGION_CODE_FORM = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}", re.ASCII)


def region_search(value: str, *, country: str, language: str) -> tuple[str | None, str | None]:
    """What a search for a region finds: `(code, None)`, or `(None, error)`.

    A region is found by its ISO 3166-2 code, by its name in English or in `language`, in any case and with or
    without accents, or by the start of its name (REGION_START_MIN characters or more) when that starts only one
    region's name ("Nairobi" for "Nairobi City"). A value in the form of a code that is not one of the country's
    is kept, in capitals: it finds no MSME, as a code always did (a stored segment with one keeps its meaning)."""
    exact, named = _region_search_names(country, language)
    value = value.strip()
    start = _folded(value)
    code = exact.get(value.upper()) or exact.get(start)
    if code is not None:
        return code, None
    if REGION_CODE_FORM.fullmatch(value.upper()):
        return value.upper(), None
    codes = {code for name, code in named if name.startswith(start)} if len(start) >= REGION_START_MIN else set()
    if len(codes) == 1:
        return codes.pop(), None
    if codes:
        shown = dict(region_names(country, language))
        names = sorted((shown[code] for code in codes), key=_folded)
        listed = ", ".join(names[:REGIONS_LISTED]) + (", …" if len(names) > REGIONS_LISTED else "")
        message = _("%(value)s starts the names of several regions (%(names)s): give the whole name.")
        return None, message % {"value": _echo(value), "names": listed}
    return None, _not_a_region(value)


@cache
def languages() -> tuple[tuple[str, str], ...]:
    """The ISO 639-1 languages as (code, name), by name."""
    found = sorted((lang for lang in pycountry.languages if hasattr(lang, "alpha_2")), key=lambda lang: lang.name)
    return tuple((lang.alpha_2, lang.name) for lang in found)


LANGUAGES = frozenset(code for code, _name in languages())
# The same list in order, for a schema's enum (a frozenset's order changes from one process to the next).
LANGUAGE_CHOICES = languages()


def language_error(value: str | None) -> str | None:
    if not value or value.lower() in LANGUAGES:
        return None
    return _("%(value)s is not an ISO 639-1 language code.") % {"value": _echo(value)}


# IP maturity assessments of this kind (DESIGN.md's five levels) were not made before this date;
# an earlier one is a typing error (19 for 2019), as a date after today is.
ASSESSMENTS_FROM = date(2000, 1, 1)


def assessment_date_error(value: date | None, *, today: date | None = None) -> str | None:
    """An IP maturity assessment date: not after today, not before ASSESSMENTS_FROM."""
    if value is None:
        return None
    if value > (today or timezone.localdate()):
        return _("The assessment date cannot be in the future.")
    if value < ASSESSMENTS_FROM:
        return _("The assessment date cannot be before %(date)s.") % {"date": ASSESSMENTS_FROM.isoformat()}
    return None


# The MSME fields these rules read: a caller passes what it has of them (a service, all on a create).
MSME_FIELDS = ("founded_year", "employees", "region", "preferred_language", "maturity_assessed_at")


def msme_errors(values: Mapping[str, Any], *, country: str, today: date | None = None) -> Errors:
    """The errors of the MSME values given (any subset of the profile's fields), by field."""
    errors: Errors = {}
    if "founded_year" in values:
        _add(errors, "founded_year", founded_year_error(values["founded_year"], today=today))
    if "employees" in values:
        _add(errors, "employees", employees_error(values["employees"]))
    if "region" in values:
        _add(errors, "region", region_error(values["region"], country=country))
    if "preferred_language" in values:
        _add(errors, "preferred_language", language_error(values["preferred_language"]))
    if "maturity_assessed_at" in values:
        _add(errors, "maturity_assessed_at", assessment_date_error(values["maturity_assessed_at"], today=today))
    return errors


def msme_normalised(values: Mapping[str, Any], *, country: str) -> dict[str, Any]:
    """The values as they are stored: a region as its code, a language code in small letters."""
    normal = dict(values)
    if normal.get("region"):
        normal["region"] = region_code(normal["region"], country=country) or normal["region"]
    if normal.get("preferred_language"):
        normal["preferred_language"] = normal["preferred_language"].lower()
    return normal


def registration_number_taken(*, tenant: Tenant, number: str, msme: Msme | None = None) -> bool:
    """Whether another MSME of the tenant holds the registration number (it is unique per tenant)."""
    from apps.registry.models import Msme  # the models import nothing from here; this keeps it so

    clash = Msme.objects.filter(tenant=tenant, registration_number=number)
    if msme is not None and msme.pk is not None:
        clash = clash.exclude(pk=msme.pk)
    return clash.exists()


def registration_number_message(*, for_agency: bool) -> str:
    """Only agency staff learn that another MSME holds the number: to anyone else (a member, a visitor
    registering their business) that would tell what the agency's registry holds."""
    if for_agency:
        return _("Another MSME of this agency already has this registration number.")
    return _("This registration number cannot be used; contact your agency.")


# IP assets ------------------------------------------------------------------------------------------------------

# The international filing systems an asset may be recorded under, beside a country's two-letter code.
JURISDICTION_SYSTEMS = frozenset({"PCT", "MADRID", "HAGUE", "EM", "EP", "OAPI", "ARIPO", "WO"})
ASSET_DATE_FIELDS = ("priority_date", "filing_date", "grant_date", "expiry_date")
# Renewals and annuities are counted from these dates decades ahead: a year like 9999 would overflow.
ASSET_DATES_FROM, ASSET_DATES_UNTIL = date(1900, 1, 1), date(2199, 12, 31)
# (earlier, later): the later date cannot come before the earlier one.
ASSET_DATE_ORDER = (
    ("priority_date", "filing_date"),
    ("filing_date", "grant_date"),
    ("grant_date", "expiry_date"),
    ("filing_date", "expiry_date"),
)
# A trade secret is held by label, custodian and location only.
TRADE_SECRET_BLANK = ("application_number", "registration_number", "notes")


ASSET_FIELDS = ("jurisdiction", "asset_type", *TRADE_SECRET_BLANK, *ASSET_DATE_FIELDS)


def jurisdiction_normalised(value: str | None) -> str:
    return (value or "").strip().upper()


def jurisdiction_error(value: str | None) -> str | None:
    code = jurisdiction_normalised(value)
    if code in JURISDICTION_SYSTEMS or pycountry.countries.get(alpha_2=code) is not None:
        return None
    return _("Use a two-letter country code (e.g. KE) or an international system: %(systems)s.") % {
        "systems": ", ".join(sorted(JURISDICTION_SYSTEMS))
    }


def _asset_label(name: str) -> str:
    from apps.registry.models import IpAsset

    return str(capfirst(IpAsset._meta.get_field(name).verbose_name))


def asset_errors(values: Mapping[str, Any]) -> Errors:
    """The errors of an IP asset's values (all of them, or those known: a check needs both its dates), by field."""
    from apps.registry.models import IpAsset

    errors: Errors = {}
    if "jurisdiction" in values:
        _add(errors, "jurisdiction", jurisdiction_error(values["jurisdiction"]))
    if values.get("asset_type") == IpAsset.Type.TRADE_SECRET:
        for name in TRADE_SECRET_BLANK:
            if values.get(name):
                message = _(
                    "A trade secret is recorded by its label, custodian and location only: "
                    "never write the secret (or where to find its content) here."
                )
                _add(errors, name, message)
    dates = {}
    for name in ASSET_DATE_FIELDS:
        value = values.get(name)
        if value and not ASSET_DATES_FROM <= value <= ASSET_DATES_UNTIL:
            message = _("Enter a date between %(start)s and %(end)s.") % {
                "start": ASSET_DATES_FROM.year,
                "end": ASSET_DATES_UNTIL.year,
            }
            _add(errors, name, message)
        elif value:
            dates[name] = value  # a date out of range is not compared with the others
    for earlier, later in ASSET_DATE_ORDER:
        if earlier in dates and later in dates and dates[earlier] > dates[later]:
            message = _("%(later)s cannot be before %(earlier)s.") % {
                "later": _asset_label(later),
                "earlier": _asset_label(earlier),
            }
            _add(errors, later, message)
    return errors


def asset_normalised(values: Mapping[str, Any]) -> dict[str, Any]:
    normal = dict(values)
    if "jurisdiction" in normal:
        normal["jurisdiction"] = jurisdiction_normalised(normal["jurisdiction"])
    return normal
