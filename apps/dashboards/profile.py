"""A country profile: one agency's figures on one page, to print for a meeting or download as a PDF.

The page (templates/dashboards/profile.html) and the PDF (apps.dashboards.pdf) both render a `CountryProfile`:
sections of figures already written as text ("<5" and the withheld sign included for a division's reader),
so that what is printed and what is downloaded are the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from apps.core.countries import country_name
from apps.core.policies import Actor
from apps.dashboards import exports, selectors
from apps.dashboards.selectors import FigureTable
from apps.tenants.models import Tenant


@dataclass(frozen=True)
class ProfileSection:
    slug: str
    title: str
    columns: list[str]  # the headings: the first column's, then each figure's
    rows: list[list[str]]  # a label, then its figures, as text
    note: str = ""  # a line under the table (what a figure means)


@dataclass(frozen=True)
class CountryProfile:
    country: str  # ISO 3166-1 alpha-2
    title: str  # "Kenya: MSMEs and their IP"
    agency: str  # the national agency whose registry is counted
    counted_at: datetime | None  # when its figures were last counted (None: never)
    sections: list[ProfileSection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the signs mean, where the figures come from


# The tables of a profile, in its order: the MSMEs (sector, size), their maturity and how it moves, their IP,
# what they ask the helpdesk, and how far outreach and events reach them.
MSME_TABLES = ("size", "sector", "maturity", "ip-types")
DIVISION_TABLES = ("size", "sector", "maturity", "maturity-moves", "ip-types", "help-topics", "outreach", "events")
# An agency's own profile: its MSMEs' tables, with the maturity's trend and movement after its distribution,
# then what its services did.
AGENCY_ORDER = (
    "size",
    "sector",
    "maturity",
    "maturity-trend",
    "diagnostics-months",
    "ip-types",
    "help-topics",
    "outreach-channels",
    "events-kinds",
)


def title_of(country: str) -> str:
    return _("%(country)s: MSMEs and their IP") % {"country": country}


def _from_figures(table: FigureTable) -> ProfileSection:
    rows = [[label, *(str(figure) for figure in figures)] for label, figures in table.rows]
    return ProfileSection(table.slug, table.title, [table.heading, *table.columns], rows, table.note)


def agency_profile(tenant: Tenant) -> CountryProfile:
    """The active tenant's profile, from its own figures (whole: they are its own)."""
    sections: dict[str, ProfileSection] = {}
    for table in selectors.agency_tables(tenant, {}):
        if table.slug in MSME_TABLES:
            rows = [[label, str(n), share] for label, n, share in table.rows_with_share]
            if table.breakdown.additive:
                rows.append([_("Total"), str(table.total), ""])
            columns = [str(table.breakdown.heading), _("MSMEs"), _("Share")]
            sections[table.slug] = ProfileSection(table.slug, str(table.breakdown.title), columns, rows)
    for table in selectors.agency_figure_tables(tenant):
        if table.slug == "help-topics":  # the demand: questions, answered, answered on time
            table = FigureTable(
                table.slug,
                _("Helpdesk questions by topic"),
                table.heading,
                table.columns[:2] + table.columns[3:4],
                [(label, figures[:2] + figures[3:4]) for label, figures in table.rows],
            )
        sections[table.slug] = _from_figures(table)
    reach = [[label, str(figure)] for label, figure in selectors.agency_headlines()]
    ordered = [sections[slug] for slug in AGENCY_ORDER if slug in sections]
    ordered.append(ProfileSection("reach", _("Reach of the agency's services"), [_("Figure"), _("MSMEs")], reach))
    return CountryProfile(
        country=tenant.country,
        title=title_of(country_name(tenant.country) or tenant.name),
        agency=tenant.name,
        counted_at=selectors.last_counted(),
        sections=ordered,
        notes=[
            _("Counted from the agency's registry of MSMEs and the portal's services; no figure is about one business.")
        ],
    )


def division_profile(actor: Actor, slug: str) -> CountryProfile | None:
    """An agency's column of the tables the division sees, as suppressed there (None: not one of its
    countries, or not counted yet)."""
    view = selectors.division_view(actor)
    if slug not in view.agencies:
        return None
    column = view.agencies.index(slug)
    tables = {table.slug: table for table in view.tables}
    sections = []
    for table_slug in DIVISION_TABLES:
        table = tables.get(table_slug)
        if table is None:
            continue
        rows = [[label, figures[column].text] for label, figures, _total in table.rows]
        if table.column_totals:
            rows.append([_("Total"), table.column_totals[column].text])
        columns = [str(table.breakdown.heading), _("Count")]
        sections.append(ProfileSection(table.slug, str(table.breakdown.title), columns, rows))
    code, name = view.countries[column]
    agency = Tenant.objects.filter(slug=slug).values_list("name", flat=True).first() or name
    legend = exports.legend()
    notes = [
        _(
            "Counts of MSMEs registered with the national agency, and of the questions, messages and "
            "registrations of the portal's services; never a figure about one business."
        ),
        *(f"{sign}: {meaning}" for sign, meaning in legend.items()),
    ]
    return CountryProfile(code, title_of(name), agency, view.agencies_counted[column], sections, notes)
