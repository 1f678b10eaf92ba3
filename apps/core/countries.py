"""Country names in the active language, from the ISO 3166 data and translations pycountry ships."""

from __future__ import annotations

import functools
import gettext as gettext_module

import pycountry
from django.utils.translation import get_language


@functools.cache
def _country_names(language: str) -> gettext_module.NullTranslations:
    return gettext_module.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language.replace("-", "_")], fallback=True
    )


def country_name(code: str | None) -> str:
    """A country's name in the active language (pycountry ships the ISO 3166 translations); the code
    itself when it is not a country."""
    country = pycountry.countries.get(alpha_2=code or "")
    if country is None:
        return code or ""
    return _country_names(get_language() or "en").gettext(country.name)


@functools.cache
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _country_names(language)
    pairs = ((country.alpha_2, names.gettext(country.name)) for country in pycountry.countries)
    return tuple(sorted(pairs, key=lambda pair: pair[1].casefold()))


def country_choices() -> list[tuple[str, str]]:
    """Every ISO 3166 country as (code, name in the active language), by name."""
    return list(_country_choices(get_language() or "en"))
