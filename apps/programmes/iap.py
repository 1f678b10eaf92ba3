"""The Inventor Assistance Programme: who may ask (figures: data/iap.json).

WIPO's four criteria: basic knowledge of the patent system (the programme's online training module, or a
patent application already filed), an income under the participating country's threshold, an invention its
screening board accepts, and residence in a participating country. The portal checks what can be checked
before a request (the country, the applicant's own statements); the screening board decides the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.core.countries import country_name

DATA_FILE = Path(__file__).resolve().parent / "data" / "iap.json"

# The data file's English texts, marked for makemessages.
DATA_FILE_TEXTS = (
    gettext_noop(
        "An average monthly income over the previous six months of no more than 45 UF; micro-enterprises with "
        "annual sales under 2,400 UF, SMEs with 2,400 to 100,000 UF."
    ),
    gettext_noop(
        "A monthly income of no more than four legal minimum monthly salaries; micro-enterprises (up to 10 staff, "
        "assets under 500 minimum salaries) and small companies (11 to 50 staff)."
    ),
    gettext_noop(
        "An individual earning less than 3 unified basic monthly salaries; micro-enterprises (1 to 9 employees, "
        "turnover under USD 100,000) and small enterprises."
    ),
    gettext_noop(
        "A person earning less than R 30,000 a month after tax, or an enterprise with an annual turnover under "
        "R 5 million."
    ),
)


@cache
def iap_data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def participating() -> dict[str, dict[str, str]]:
    return {entry["code"]: entry for entry in iap_data()["countries"]}


def country_choices() -> list[tuple[str, str]]:
    return sorted(((code, country_name(code)) for code in participating()), key=lambda pair: pair[1].casefold())


def income_rule(code: str) -> str:
    """The country's income threshold in the active language; a note when it was not found."""
    entry = participating().get(code)
    if entry is None:
        return ""
    if entry["income"]:
        return _(entry["income"])
    return _("The threshold is set by %(office)s: ask it, or the programme, for the current figure.") % {
        "office": entry["office"]
    }


@dataclass
class Eligibility:
    eligible: bool
    reasons: list[str] = field(default_factory=list)  # why not, one per failed criterion
    income_rule: str = ""


def eligibility(
    *, country: str, resident: bool, income_within: bool, has_invention: bool, knows_patents: bool
) -> Eligibility:
    """The four criteria, as far as they can be checked before the request."""
    reasons = []
    if country not in participating():
        reasons.append(
            _("%(country)s does not take part in the programme yet: ask your national IP office about other help.")
            % {"country": country_name(country)}
        )
    elif not resident:
        reasons.append(_("You must live in the participating country where you ask."))
    if not income_within:
        reasons.append(_("Your income must be under the country's threshold."))
    if not has_invention:
        reasons.append(_("You need an invention: the country's screening board decides whether it qualifies."))
    if not knows_patents:
        reasons.append(
            _("First complete the programme's online training module, or file a patent application at the office.")
        )
    return Eligibility(eligible=not reasons, reasons=reasons, income_rule=income_rule(country))
