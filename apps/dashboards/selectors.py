"""The dashboards' reads: an agency's own tenant from its summary tables, and a division's countries side by
side from the counts of every tenant (summed, then suppressed; never a row about one MSME)."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.core.cache import cache
from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, gettext_lazy

from apps.core.countries import country_name
from apps.core.policies import Actor
from apps.core.roles import Division
from apps.dashboards import activity, suppression
from apps.dashboards.activity import ALL
from apps.dashboards.models import (
    ActivityCount,
    AssetCount,
    MsmeCount,
    MsmeCountSnapshot,
    MsmeFact,
    RollupState,
    encode,
)
from apps.dashboards.regions import countries_of
from apps.dashboards.rollups import nice_class_counts
from apps.dashboards.tables import (
    ACTIVITY_BY_SLUG,
    ASSET_BREAKDOWNS,
    BREAKDOWNS,
    BY_SLUG,
    DIVISION_BREAKDOWNS,
    METRIC_LABELS,
    MOVEMENTS,
    Breakdown,
    ChoiceLabels,
)
from apps.events.models import Event
from apps.helpdesk.models import Tier
from apps.outreach.models import Delivery
from apps.registry.models import IpAsset
from apps.surveys.models import Survey
from apps.tenants.cache import global_cache_key
from apps.tenants.context import unscoped
from apps.tenants.models import OutreachChannel, Tenant


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
        return chart_payload(self.breakdown.chart, self.rows)


def chart_payload(kind: str, points: list[tuple[str, Any]]) -> dict[str, Any]:
    """What the page's script draws (static/js/dashboards.js) of (label, value) points; the table under the
    chart holds the same figures. Long labels are cut on the axis and given whole in the tooltip."""
    return {
        "kind": kind,
        "labels": [_short(label) for label, _ in points],
        "titles": [label for label, _ in points],
        "values": [value for _, value in points],
    }


def _short(label: str, length: int = 24) -> str:
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
        if breakdown.column == "nice_class":
            assets = IpAsset.objects.filter(msme_id__in=MsmeFact.objects.filter(**lookups).values("id"))
            return {number: msmes for number, (msmes, _) in nice_class_counts(assets).items()}
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
    return chart_payload("line", [(date_format(m.month, "YEAR_MONTH_FORMAT"), m.msmes) for m in months])


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
    agencies: tuple[str, ...] = ()  # the slug of each column's agency (its country profile's address)
    agencies_counted: tuple[datetime | None, ...] = ()  # when each column's agency was last counted


# What serves each division most comes first on its page: the PCT the MSMEs holding or planning patents and
# the offices they file in, Madrid and Hague the same for marks and designs, the law divisions the maturity.
DIVISION_FOCUS: dict[str, tuple[str, ...]] = {
    Division.PCT: ("ip-types", "ip-routes", "help-topics", "ip-status"),
    Division.MADRID: ("ip-types", "ip-routes", "help-topics", "ip-status"),
    Division.HAGUE: ("ip-types", "ip-routes", "help-topics", "ip-status"),
    Division.AMC: ("help-topics", "help-routes"),
    Division.TISC: ("help-topics", "help-routes", "maturity"),
    Division.GLOBAL_CHALLENGES: ("help-topics", "outreach", "events"),
    Division.PATENT_LAW: ("maturity", "maturity-moves", "ip-types"),
    Division.COPYRIGHT: ("maturity", "maturity-moves", "ip-types"),
}


def division_view(actor: Actor) -> DivisionView:
    """The division's countries side by side (a regional bureau's region, every country for the others), the
    tables that serve the division first."""
    view = countries_view()
    if (countries := countries_of(actor.division)) is not None:
        view = _columns_of(view, countries)
    focus = DIVISION_FOCUS.get(actor.division, ())
    ordered = sorted(view.tables, key=lambda t: focus.index(t.slug) if t.slug in focus else len(focus))
    return replace(view, tables=ordered)


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
    return replace(
        view,
        countries=[view.countries[i] for i in keep],
        tables=tables if keep else [],
        agencies=tuple(view.agencies[i] for i in keep),
        agencies_counted=tuple(view.agencies_counted[i] for i in keep),
    )


# The tables of every country change only when a tenant's counts do (a run): kept until then, per language.
VIEW_SECONDS = 24 * 60 * 60
# The shape of what is kept: a new field of DivisionView or DivisionTable changes it, so that the tables kept by
# the code before are not read back without it.
VIEW_SHAPE = "2"


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
            *ActivityCount.objects.filter(tenant__in=active).aggregate(n=Count("id"), m=Sum("amount")).values(),
        ]
    version = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    key = global_cache_key("dashboards", "countries", VIEW_SHAPE, get_language() or "", version)
    view = cache.get(key)
    if view is None:
        view = _countries_view()
        cache.set(key, view, VIEW_SECONDS)
    return view


def _countries_view() -> DivisionView:
    tenants = Tenant.objects.filter(is_active=True)
    slugs = {(b.source, b.column): b.slug for b in DIVISION_BREAKDOWNS if b.source in ("msmes", "assets")}
    by_breakdown: dict[str, list[tuple[int, str, int]]] = {b.slug: [] for b in DIVISION_BREAKDOWNS}
    with unscoped("statistics across tenants: their summary counts, side by side and suppressed"):
        for source, model in (("msmes", MsmeCount), ("assets", AssetCount)):
            counts = model.objects.filter(
                tenant__in=tenants, dimension__in=[c for s, c in slugs if s == source]
            ).values_list("dimension", "tenant_id", "value", "msmes")
            for dimension, tenant_id, value, n in counts:
                by_breakdown[slugs[source, dimension]].append((tenant_id, value, n))
        for breakdown, tenant_id, value, n in _activity_counts(tenants):
            by_breakdown[breakdown.slug].append((tenant_id, value, n))
        runs = RollupState.objects.filter(tenant__in=tenants).aggregate(
            oldest=Min("last_run_at"), newest=Max("last_run_at")
        )
        last_runs = dict(RollupState.objects.filter(tenant__in=tenants).values_list("tenant_id", "last_run_at"))
        counted = {row[0] for rows in by_breakdown.values() for row in rows}
        agencies = list(Tenant.objects.filter(pk__in=counted).values_list("pk", "country", "name", "slug"))
    per_country = Counter(country for _, country, _, _ in agencies)
    slug_of = {pk: slug for pk, _, _, slug in agencies}
    columns = sorted(
        (
            (pk, country, country_name(country) if per_country[country] == 1 else f"{country_name(country)} ({name})")
            for pk, country, name, _ in agencies
        ),
        key=lambda column: column[2],
    )
    # Tables that count the same things (every MSME; every helpdesk question) add up to the same totals per
    # agency: protected once, shown or withheld alike in each of them.
    fixed: dict[tuple[str, str], dict[Any, bool]] = {}
    for breakdown in DIVISION_BREAKDOWNS:
        group = _margin_group(breakdown)
        if group is None or group in fixed:
            continue
        totals: Counter[int] = Counter()
        for tenant_id, _, n in by_breakdown[breakdown.slug]:
            totals[tenant_id] += n
        margins = suppression.protect_margins([totals[pk] for pk, _, _ in columns])
        fixed[group] = suppression.fixed_margins(*margins)
    ids = [(pk, label) for pk, _, label in columns]
    tables = [
        _division_table(b, ids, by_breakdown[b.slug], fixed.get(_margin_group(b)) or {}) for b in DIVISION_BREAKDOWNS
    ]
    named = [(country, label) for _, country, label in columns]
    slugs = tuple(slug_of[pk] for pk, _, _ in columns)
    counted = tuple(last_runs.get(pk) for pk, _, _ in columns)
    return DivisionView(named, tables if columns else [], runs["oldest"], runs["newest"], slugs, counted)


def _margin_group(breakdown: Breakdown) -> tuple[str, str] | None:
    """What the columns of an additive table add up to (None: its rows overlap, nothing adds up)."""
    if not breakdown.additive:
        return None
    return (breakdown.source, breakdown.metric or ",".join(breakdown.metrics))


def _activity_counts(tenants: Any) -> list[tuple[Breakdown, int, str, int]]:
    """The division tables' figures of the services' activity: (table, tenant, row's value, amount)."""
    wanted = [b for b in DIVISION_BREAKDOWNS if b.source not in ("msmes", "assets")]
    query = Q(pk__in=[])
    for b in wanted:
        if b.metrics:
            query |= Q(source=b.source, dimension=ALL, metric__in=b.metrics)
        else:
            query |= Q(source=b.source, dimension=b.column, metric=b.metric)
    found = []
    rows = ActivityCount.objects.filter(query, tenant__in=tenants).values_list(
        "source", "dimension", "tenant_id", "value", "metric", "amount"
    )
    for source, dimension, tenant_id, value, metric, amount in rows:
        for b in wanted:
            if b.source != source:
                continue
            if b.metrics and dimension == ALL and metric in b.metrics:
                found.append((b, tenant_id, metric, amount))
            elif not b.metrics and (dimension, metric) == (b.column, b.metric):
                found.append((b, tenant_id, b.shown_as(value), amount))
    return found


def _division_table(
    breakdown: Breakdown,
    countries: list[tuple[int, str]],
    found: list[tuple[int, str, int]],
    fixed: dict[Any, bool],
) -> DivisionTable:
    counts: Counter[tuple[int, Any]] = Counter()
    for tenant_id, value, n in found:  # two values may be counted under one (see Breakdown.known_values)
        counts[tenant_id, value] += n
    # Every value the breakdown has, not only those counted: an absent one is a count of 0, and small.
    values = breakdown.labels({*breakdown.every_value, *(value for _, value, _ in found)}, "")
    grid = [[counts.get((code, value), 0) for code, _ in countries] for value, _ in values]
    if breakdown.additive:
        protected = suppression.protect(grid, fixed=fixed or None)
    else:
        protected = suppression.protect(grid, columns_add_up=False)
    rows = [(label, protected.cells[i], protected.row_totals[i]) for i, (_, label) in enumerate(values)]
    return DivisionTable(breakdown, [name for _, name in countries], rows, protected.column_totals, protected.total)


# --- An agency's own figures of its services (apps.dashboards.activity) ------------------------------------


@dataclass(frozen=True)
class FigureTable:
    """A table of several figures per row (the agency's services): questions, messages, registrations..."""

    slug: str
    title: str
    heading: str
    columns: list[str]
    rows: list[tuple[str, list[Any]]]  # a label and its figures (a figure may be text: "42%", "3.5")
    chart: str = "bar"  # the chart drawn of the first figure ("" none)
    note: str = ""

    @property
    def chart_id(self) -> str:
        return f"chart-{self.slug}"

    @property
    def chart_data(self) -> dict[str, Any]:
        """The chart of its first figure."""
        return chart_payload(self.chart, [(label, figures[0]) for label, figures in self.rows])


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def _average(total: int, n: int, unit_minutes: int) -> str:
    """An average time in hours (unit 60) or days (unit 1,440), one decimal; "-" with nothing to average."""
    return f"{total / n / unit_minutes:.1f}" if n else "-"


def _service_row(f: dict[str, int]) -> list[Any]:
    on_time = [
        _share(f.get(f"{name}_met", 0), f.get(f"{name}_met", 0) + f.get(f"{name}_missed", 0))
        for name in ("response", "resolution")
    ]
    rated = f.get("rated_good", 0) + f.get("rated_bad", 0)
    return [
        f.get("opened", 0),
        f.get("answered", 0),
        _average(f.get("answer_minutes", 0), f.get("answered", 0), 60),
        on_time[0],
        f.get("resolved", 0),
        _average(f.get("resolve_minutes", 0), f.get("resolved", 0), 1_440),
        on_time[1],
        _share(f.get("rated_good", 0), rated),
    ]


SERVICE_COLUMNS = (
    gettext_lazy("Questions"),
    gettext_lazy("Answered"),
    gettext_lazy("Hours to first answer (average)"),
    gettext_lazy("First answer on time"),
    gettext_lazy("Resolved"),
    gettext_lazy("Days to resolve (average)"),
    gettext_lazy("Resolved on time"),
    gettext_lazy("Rated good"),
)


def _tier_labels(values: Any, country: str) -> list[tuple[Any, str]]:
    return ChoiceLabels(Tier.choices)(values, country)


def _by(source: str, dimension: str, labels: Any, country: str) -> list[tuple[str, dict[str, int]]]:
    found = activity.figures_of(source, dimension)
    return [(label, found[value]) for value, label in labels(found, country)]


def agency_activity(tenant: Tenant) -> list[FigureTable]:
    """The active tenant's helpdesk, outreach, events, surveys and diagnostics, a table each (none for a
    service that has done nothing yet)."""
    return [*_helpdesk_tables(tenant), *_outreach_tables(tenant), *_event_tables(tenant), *_survey_and_diagnostics()]


def _helpdesk_tables(tenant: Tenant) -> list[FigureTable]:
    everything = activity.figures_of("tickets").get("", {})
    if not everything:
        return []
    columns = [str(c) for c in SERVICE_COLUMNS]
    rows = [(label, _service_row(f)) for label, f in _by("tickets", "tier", _tier_labels, tenant.country)]
    rows.append((gettext("All questions"), _service_row(everything)))
    note = gettext("On time: within the service level agreed for the question's service tier and priority.")
    title = gettext("Helpdesk service by tier")
    tables = [FigureTable("help-service", title, gettext("Service tier"), columns, rows, note=note)]
    for breakdown in (ACTIVITY_BY_SLUG["help-topics"], ACTIVITY_BY_SLUG["help-routes"]):
        found = _by("tickets", breakdown.column, breakdown.labels, tenant.country)
        rows = [(label, _service_row(f)) for label, f in found]
        tables.append(FigureTable(breakdown.slug, str(breakdown.title), str(breakdown.heading), columns, rows))
    metrics = ("opened", "answered", "resolved")
    months = activity.figures_of("tickets", "month")
    rows = [(month, [months[month].get(m, 0) for m in metrics]) for month in sorted(months)]
    heads = [str(METRIC_LABELS[m]) for m in metrics]
    title = gettext("Helpdesk questions by month opened")
    tables.append(FigureTable("help-months", title, gettext("Month"), heads, rows, "line"))
    return tables


def _outreach_tables(tenant: Tenant) -> list[FigureTable]:
    channels = _by("outreach", "channel", ChoiceLabels(OutreachChannel.choices), tenant.country)
    if not channels:
        return []
    metrics = ("sent", "skipped", "failed", "unsubscribed")
    heads = [str(METRIC_LABELS[m]) for m in metrics]
    rows = [(label, [f.get(m, 0) for m in metrics]) for label, f in channels]
    title = gettext("Outreach messages by channel")
    tables = [FigureTable("outreach-channels", title, gettext("Channel"), heads, rows)]
    reasons = _by("outreach", "skip_reason", ChoiceLabels(Delivery.SkipReason.choices), tenant.country)
    if reasons:
        rows = [(label, [f.get("skipped", 0)]) for label, f in reasons]
        title = gettext("Outreach messages not sent, by reason")
        tables.append(FigureTable("outreach-skipped", title, gettext("Reason"), [gettext("Messages")], rows))
    return tables


def _event_tables(tenant: Tenant) -> list[FigureTable]:
    kinds = _by("events", "kind", ChoiceLabels(Event.Kind.choices), tenant.country)
    if not kinds:
        return []
    metrics = ("confirmed", "waiting", "cancelled", "attended_yes", "attended_no")
    heads = [str(METRIC_LABELS[m]) for m in metrics]
    rows = [(label, [f.get(m, 0) for m in metrics]) for label, f in kinds]
    title = gettext("Event registrations by kind of event")
    return [FigureTable("events-kinds", title, gettext("Kind of event"), heads, rows)]


def maturity_trend(months: int = 12) -> FigureTable | None:
    """The active tenant's MSMEs by maturity level at the end of each of the last `months` months counted
    (the month's last run), from the counts' history; None before a first run."""
    since = date.today().replace(day=1) - timedelta(days=31 * (months - 1))
    found: dict[str, tuple[date, dict[str, int]]] = {}
    rows = MsmeCountSnapshot.objects.filter(dimension="maturity_level", day__gte=since).values_list(
        "day", "value", "msmes"
    )
    for day, value, msmes in rows.order_by("day"):
        month = day.strftime("%Y-%m")
        if month not in found or found[month][0] != day:
            found[month] = (day, {})  # a later day of the month replaces an earlier one
        found[month][1][value] = msmes
    if not found:
        return None
    levels = BY_SLUG["maturity"].labels(BY_SLUG["maturity"].every_value, "")
    heads = [label for _, label in levels]
    table_rows = [
        (month, [counts.get(value, 0) for value, _ in levels]) for month, (_, counts) in sorted(found.items())
    ]
    title = gettext("MSMEs by IP maturity level, month by month")
    note = gettext("As counted on the last day of each month the figures were counted.")
    return FigureTable("maturity-trend", title, gettext("Month"), heads, table_rows, "", note)


def agency_table(tenant: Tenant, slug: str, lookups: dict[str, Any]) -> AgencyTable | FigureTable | None:
    """One table of the agency's page by its slug (None: no such table), for its download and the API."""
    if slug in BY_SLUG:
        return next(t for t in agency_tables(tenant, lookups) if t.slug == slug)
    return next((t for t in agency_figure_tables(tenant) if t.slug == slug), None)


def agency_figure_tables(tenant: Tenant) -> list[FigureTable]:
    """Every table of several figures of the agency's page (for its downloads and the API)."""
    trend = maturity_trend()
    return [*([trend] if trend is not None else []), *agency_activity(tenant)]


def _survey_and_diagnostics() -> list[FigureTable]:
    tables = []
    surveys = activity.figures_of("surveys", "survey")
    if surveys:
        titles = dict(Survey.objects.filter(pk__in=list(surveys)).values_list("pk", "title"))
        found = ((titles.get(UUID(pk), "?"), [f.get("responses", 0)]) for pk, f in surveys.items())
        rows = sorted(found, key=lambda row: row[0].casefold())
        tables.append(
            FigureTable("surveys", gettext("Survey responses"), gettext("Survey"), [gettext("Responses")], rows)
        )
    months = activity.figures_of("diagnostics", "month")
    if months:
        heads = [str(METRIC_LABELS[m]) for m in MOVEMENTS]
        rows = [(month, [months[month].get(m, 0) for m in MOVEMENTS]) for month in sorted(months)]
        title = gettext("Diagnostics by month and how the level moved")
        note = gettext("How each diagnostic's maturity level compares with the MSME's previous diagnostic.")
        tables.append(FigureTable("diagnostics-months", title, gettext("Month"), heads, rows, "line", note))
    return tables


def agency_headlines() -> list[tuple[str, int]]:
    """The active tenant's reach in a few figures: MSMEs reached by outreach, registered for events, that
    answered a survey, assessed, and above the level of their first diagnostic."""
    picks = (
        ("outreach", "msmes_reached"),
        ("events", "msmes_registered"),
        ("surveys", "msmes_answered"),
        ("diagnostics", "msmes_assessed"),
        ("diagnostics", "msmes_up"),
    )
    found = ActivityCount.objects.filter(dimension=ALL, metric__in=[m for _, m in picks])
    rows = {(source, metric): amount for source, metric, amount in found.values_list("source", "metric", "amount")}
    return [(str(METRIC_LABELS[metric]), rows.get((source, metric), 0)) for source, metric in picks]
