"""Deadlines computed from an IP asset's dates: renewals, annuities, the PCT national phase, expiry.

Periods are counted as PCT Rule 80.2-80.4 counts them (apps.core.dates): the same day number so many
months or years later, or the last day of that month when the day does not exist there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.core.dates import add_months, add_years
from apps.registry.models import IpAsset

TRADEMARK_RENEWAL_YEARS = 10  # TRIPS Art. 18; Madrid Protocol Art. 6(1)
DESIGN_RENEWAL_YEARS = 5  # Hague Agreement (1999 Act) Art. 17(1)
DESIGN_DEFAULT_MAX_YEARS = 15  # Hague 1999 Act Art. 17(3): at least 15 years
PATENT_TERM_YEARS = 20  # TRIPS Art. 33
PCT_NATIONAL_PHASE_MONTHS = 30  # PCT Art. 22(1), 39(1)(a)
UTILITY_MODEL_DEFAULT_YEARS = 10
# Utility model terms from filing, by country (national laws); others use the default above.
UTILITY_MODEL_TERM_YEARS = {
    "CN": 10,
    "DE": 10,
    "JP": 10,
    "KR": 10,
    "BR": 15,
    "PH": 7,
    "KE": 10,
    "MY": 10,
    "TH": 10,
    "FR": 10,
    "ES": 10,
    "IT": 10,
    "AT": 10,
    "RU": 10,
    "AU": 8,
    "MX": 10,
    "EG": 7,
}


@dataclass(frozen=True)
class Deadline:
    due: date
    kind: str
    label: str | Promise
    asset_id: object
    asset_title: str


def _deadline(asset: IpAsset, due: date, kind: str, label: str | Promise) -> Deadline:
    return Deadline(due=due, kind=kind, label=label, asset_id=asset.pk, asset_title=asset.title)


def _periodic(start: date, every_years: int, until: date | None, today: date) -> date | None:
    """The first date start + k*every_years (k >= 1) on or after today, before `until`."""
    k = 1
    while True:
        due = add_years(start, k * every_years)
        if until is not None and due >= until:
            return None
        if due >= today:
            return due
        k += 1


def deadlines_for_asset(asset: IpAsset, *, today: date) -> list[Deadline]:
    if asset.status in {IpAsset.Status.LAPSED, IpAsset.Status.EXPIRED, IpAsset.Status.REFUSED}:
        return []
    found: list[Deadline] = []
    kind = asset.asset_type
    if kind == IpAsset.Type.TRADEMARK:
        start = asset.grant_date or asset.filing_date
        if start is not None:
            due = _periodic(start, TRADEMARK_RENEWAL_YEARS, None, today)
            found.append(_deadline(asset, due, "renewal", _("Trademark renewal (every 10 years)")))
    elif kind == IpAsset.Type.INDUSTRIAL_DESIGN:
        start = asset.grant_date or asset.filing_date
        if start is not None:
            until = asset.expiry_date or add_years(start, DESIGN_DEFAULT_MAX_YEARS)
            due = _periodic(start, DESIGN_RENEWAL_YEARS, until, today)
            if due is not None:
                found.append(_deadline(asset, due, "renewal", _("Design renewal (every 5 years)")))
            if asset.expiry_date is None and until >= today:
                found.append(_deadline(asset, until, "expiry", _("Design protection ends (15-year minimum term)")))
    elif kind == IpAsset.Type.PATENT and asset.jurisdiction.upper() == "PCT":
        base = asset.priority_date or asset.filing_date
        if base is not None:
            due = add_months(base, PCT_NATIONAL_PHASE_MONTHS)
            if due >= today:
                found.append(_deadline(asset, due, "national_phase", _("PCT national phase entry (30 months)")))
    elif kind == IpAsset.Type.PATENT and asset.filing_date is not None:
        end = add_years(asset.filing_date, PATENT_TERM_YEARS)
        due = _periodic(asset.filing_date, 1, end, today)
        if due is not None:
            found.append(_deadline(asset, due, "annuity", _("Patent annuity (yearly)")))
        if asset.expiry_date is None and end >= today:
            found.append(_deadline(asset, end, "expiry", _("Patent expires (20 years from filing)")))
    elif kind == IpAsset.Type.UTILITY_MODEL and asset.filing_date is not None:
        years = UTILITY_MODEL_TERM_YEARS.get(asset.jurisdiction.upper(), UTILITY_MODEL_DEFAULT_YEARS)
        end = add_years(asset.filing_date, years)
        if asset.expiry_date is None and end >= today:
            found.append(
                _deadline(asset, end, "expiry", _("Utility model expires (%(years)d-year term)") % {"years": years})
            )
    if asset.expiry_date is not None and asset.expiry_date >= today:
        found.append(_deadline(asset, asset.expiry_date, "expiry", _("Protection expires")))
    return found


def deadlines_for_assets(assets: Iterable[IpAsset], *, today: date) -> list[Deadline]:
    """Every upcoming deadline of these assets, soonest first."""
    found = [deadline for asset in assets for deadline in deadlines_for_asset(asset, today=today)]
    return sorted(found, key=lambda d: (d.due, str(d.label)))
