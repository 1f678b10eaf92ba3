"""The dashboards' reads: an agency's own tenant from its summary tables, and a division's countries side by
side from the counts of every tenant (summed, then suppressed; never a row about one MSME)."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Max, Min, Sum
from django.db.models.functions import ExtractYear
from django.utils.formats import date_format
from django.utils.translation import get_language

from apps.core.countries import country_name
from apps.core.policies import Actor
from apps.core.roles import Division
from apps.dashboards import suppression
from apps.dashboards.models import AssetCount, MsmeCount, MsmeFact, RollupState, encode
from apps.dashboards.regions import countries_of
from apps.dashboards.tables import ASSET_BREAKDOWNS, BREAKDOWNS, DIVISION_BREAKDOWNS, Breakdown
from apps.registry.models import IpAsset
from apps.tenants.cache import global_cache_key
from apps.tenants.context import unscoped
from apps.tenants.models import Tenant


@dataclass(frozen=True)
class AgencyTable:
    breakdown: Breakdown
    rows: list[tuple[str, int]]  # (label, MSMEs)
    total: int

    @property
    def slug(self) -> str:
        return self.breakdown.slug

    @property
    def rows_with_share(self) -> list[tuple[str, int, str]]:
        return [(label, n, f"{n / self.total:.0%}" if self.total else "") for label, n in self.rows]

    @property
    def chart_id(self) -> str:
        return f"chart-{self.slug}"

    @property
    def chart(self) -> dict[str, Any]:
        """What the page's script draws (static/js/dashboards.js); the table under it holds the same figures."""
        return {
            "kind": self.breakdown.chart,
            "labels": [_short(label) for label, _ in self.rows],
            "titles": [label for label, _ in self.rows],
            "values": [n for _, n in self.rows],
        }


def _short(label: str, length: int = 24) -> str:
    """A chart's axis label: long ones cut (the tooltip and the table under the chart give them whole)."""
    return label if len(label) <= length else label[: length - 1].rstrip() + "\u2026"


@dataclass(frozen=True)
class Month:
    month: date
    msmes: int


def _counts(breakdown: Breakdown, lookups: dict[str, Any]) -> dict[str, int]:
    """{value: MSMEs} of the active tenant: from its counts (a few dozen rows) without filters, else by
    grouping its facts (one row per MSME: any filter, the tenant's rows only)."""
    if breakdown.source == "assets":
        if not lookups:
            return dict(AssetCount.objects.filter(dimension=breakdown.column).values_list("value", "msmes"))
        value = ExtractYear("filing_date") if breakdown.column == "filing_year" else F(breakdown.column)
        rows = (
            IpAsset.objects.filter(msme_id__in=MsmeFact.objects.filter(**lookups).values("id"))
            .annotate(_value=value)
            .values_list("_value")
            .annotate(n=Count("msme_id", distinct=True))
            .order_by()
        )
        return {"" if v is None else str(v): n for v, n in rows}
    if lookups:
        rows = MsmeFact.objects.filter(**lookups).values_list(breakdown.column).annotate(n=Count("id")).order_by()
        return {encode(value): n for value, n in rows}
    return dict(MsmeCount.objects.filter(dimension=breakdown.column).values_list("value", "msmes"))


def agency_tables(tenant: Tenant, lookups: dict[str, Any]) -> list[AgencyTable]:
    """The active tenant's MSMEs by each breakdown, under the filters' lookups."""
    tables = []
    msmes = 0
    for breakdown in (*BREAKDOWNS, *ASSET_BREAKDOWNS):
        counts = _counts(breakdown, lookups)
        rows = [(label, counts[value]) for value, label in breakdown.labels(counts, tenant.country)]
        if breakdown.additive:
            msmes = sum(counts.values())
        # An IP table's rows overlap: its shares are of all the MSMEs (the total of the tables before it).
        tables.append(AgencyTable(breakdown, rows, msmes))
    return tables


def registrations_by_month(lookups: dict[str, Any]) -> list[Month]:
    """The active tenant's MSMEs by the month they were registered in, every month from the first to the last."""
    found = dict(MsmeFact.objects.filter(**lookups).values_list("registered_month").annotate(n=Count("id")).order_by())
    if not found:
        return []
    months, month, last = [], min(found), max(found)
    while month <= last:
        months.append(Month(month, found.get(month, 0)))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def months_chart(months: list[Month]) -> dict[str, Any]:
    return {
        "kind": "line",
        "labels": [date_format(m.month, "YEAR_MONTH_FORMAT") for m in months],
        "values": [m.msmes for m in months],
    }


def last_counted() -> datetime | None:
    """When the active tenant's MSMEs were last counted (None: never)."""
    return RollupState.objects.values_list("last_run_at", flat=True).first()


@dataclass(frozen=True)
class DivisionTable:
    breakdown: Breakdown
    countries: list[str]  # names, in the columns' order
    # (label, a figure per country, its total: None in a regional bureau's part of the table)
    rows: list[tuple[str, list[suppression.Shown], suppression.Shown | None]]
    column_totals: list[suppression.Shown]  # none when the rows overlap (IP held: one MSME in several rows)
    total: suppression.Shown | None

    @property
    def slug(self) -> str:
        return self.breakdown.slug

    @property
    def has_row_totals(self) -> bool:
        return bool(self.rows) and self.rows[0][2] is not None


@dataclass(frozen=True)
class DivisionView:
    countries: list[tuple[str, str]]  # (code, name) of the countries with counts, by name
    tables: list[DivisionTable]
    counted_from: datetime | None  # the oldest and newest of the tenants' last counts
    counted_to: datetime | None


# What serves each division most comes first on its page: the PCT the MSMEs holding or planning patents and
# the offices they file in, Madrid and Hague the same for marks and designs, the law divisions the maturity.
DIVISION_FOCUS: dict[str, tuple[str, ...]] = {
    Division.PCT: ("ip-types", "ip-routes", "ip-status"),
    Division.MADRID: ("ip-types", "ip-routes", "ip-status"),
    Division.HAGUE: ("ip-types", "ip-routes", "ip-status"),
    Division.PATENT_LAW: ("maturity", "ip-types"),
    Division.COPYRIGHT: ("maturity", "ip-types"),
}


def division_view(actor: Actor) -> DivisionView:
    """The division's countries side by side (a regional bureau's region, every country for the others), the
    tables that serve the division first."""
    view = countries_view()
    if (countries := countries_of(actor.division)) is not None:
        view = _columns_of(view, countries)
    focus = DIVISION_FOCUS.get(actor.division, ())
    ordered = sorted(view.tables, key=lambda t: focus.index(t.slug) if t.slug in focus else len(focus))
    return DivisionView(view.countries, ordered, view.counted_from, view.counted_to)


def _columns_of(view: DivisionView, countries: frozenset[str]) -> DivisionView:
    """A regional bureau's countries cut from the tables of every country, as they were suppressed there.

    Not suppressed on their own: a bureau's analyst can also read the open data, and a count withheld in one
    table but shown in the other would give the first's small counts away. The rows' totals over the region
    are left out for the same reason (the region's total less the shown counts would be a withheld one)."""
    keep = [i for i, (code, _) in enumerate(view.countries) if code in countries]
    tables = [
        DivisionTable(
            table.breakdown,
            [table.countries[i] for i in keep],
            [(label, [figures[i] for i in keep], None) for label, figures, _ in table.rows],
            [table.column_totals[i] for i in keep] if table.column_totals else [],
            None,
        )
        for table in view.tables
    ]
    return DivisionView([view.countries[i] for i in keep], tables if keep else [], view.counted_from, view.counted_to)


# The tables of every country change only when a tenant's counts do (a run): kept until then, per language.
VIEW_SECONDS = 24 * 60 * 60


def countries_view() -> DivisionView:
    """Every agency's country side by side, each table's small and revealing counts withheld: the open data,
    what division analysts see (a regional bureau: its columns of it). One protection for all who read them.

    A column per agency, never two agencies summed: one agency of a country could take its own counts from
    their sum and read the other's. Kept in the cache under what the counts are (the protection, which also
    guards each column against its own agency, takes a second at 50 agencies)."""
    active = Tenant.objects.filter(is_active=True)
    with unscoped("statistics across tenants: what the summary counts are, to key their tables in the cache"):
        parts = [
            *RollupState.objects.filter(tenant__in=active).aggregate(n=Count("id"), at=Max("last_run_at")).values(),
            *MsmeCount.objects.filter(tenant__in=active).aggregate(n=Count("id"), m=Sum("msmes")).values(),
            *AssetCount.objects.filter(tenant__in=active).aggregate(n=Count("id"), m=Sum("msmes")).values(),
        ]
    version = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    key = global_cache_key("dashboards", "countries", get_language() or "", version)
    view = cache.get(key)
    if view is None:
        view = _countries_view()
        cache.set(key, view, VIEW_SECONDS)
    return view


def _countries_view() -> DivisionView:
    tenants = Tenant.objects.filter(is_active=True)
    slugs = {(b.source, b.column): b.slug for b in DIVISION_BREAKDOWNS}
    by_breakdown: dict[str, list[tuple[int, str, int]]] = {slug: [] for slug in slugs.values()}
    with unscoped("statistics across tenants: their summary counts, side by side and suppressed"):
        for source, model in (("msmes", MsmeCount), ("assets", AssetCount)):
            counts = model.objects.filter(
                tenant__in=tenants, dimension__in=[c for s, c in slugs if s == source]
            ).values_list("dimension", "tenant_id", "value", "msmes")
            for dimension, tenant_id, value, n in counts:
                by_breakdown[slugs[source, dimension]].append((tenant_id, value, n))
        runs = RollupState.objects.filter(tenant__in=tenants).aggregate(
            oldest=Min("last_run_at"), newest=Max("last_run_at")
        )
        counted = {row[0] for rows in by_breakdown.values() for row in rows}
        agencies = list(Tenant.objects.filter(pk__in=counted).values_list("pk", "country", "name"))
    per_country = Counter(country for _, country, _ in agencies)
    columns = sorted(
        (
            (pk, country, country_name(country) if per_country[country] == 1 else f"{country_name(country)} ({name})")
            for pk, country, name in agencies
        ),
        key=lambda column: column[2],
    )
    # Every table adds up to the same totals per agency: protected once, shown or withheld alike in each table.
    totals: Counter[int] = Counter()
    for tenant_id, _, n in by_breakdown[DIVISION_BREAKDOWNS[0].slug]:
        totals[tenant_id] += n
    margins = suppression.protect_margins([totals[pk] for pk, _, _ in columns])
    fixed = suppression.fixed_margins(*margins)
    ids = [(pk, label) for pk, _, label in columns]
    tables = [_division_table(b, ids, by_breakdown[b.slug], fixed) for b in DIVISION_BREAKDOWNS]
    named = [(country, label) for _, country, label in columns]
    return DivisionView(named, tables if columns else [], runs["oldest"], runs["newest"])


def _division_table(
    breakdown: Breakdown,
    countries: list[tuple[int, str]],
    found: list[tuple[int, str, int]],
    fixed: dict[Any, bool],
) -> DivisionTable:
    counts: dict[tuple[int, Any], int] = {(tenant_id, value): n for tenant_id, value, n in found}
    # Every value the breakdown has, not only those counted: an absent one is a count of 0, and small.
    values = breakdown.labels({*breakdown.every_value, *(value for _, value, _ in found)}, "")
    grid = [[counts.get((code, value), 0) for code, _ in countries] for value, _ in values]
    if breakdown.additive:
        protected = suppression.protect(grid, fixed=fixed)
    else:
        protected = suppression.protect(grid, columns_add_up=False)
    rows = [(label, protected.cells[i], protected.row_totals[i]) for i, (_, label) in enumerate(values)]
    return DivisionTable(breakdown, [name for _, name in countries], rows, protected.column_totals, protected.total)
