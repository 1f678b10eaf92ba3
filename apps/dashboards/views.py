"""The statistics pages: an agency's dashboard, a division's, their CSV downloads, and "count again now"."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.policies import requires
from apps.core.roles import Division
from apps.dashboards import selectors
from apps.dashboards.forms import AgencyFilterForm
from apps.dashboards.policies import is_agency_staff
from apps.dashboards.tables import BY_SLUG, DIVISION_BREAKDOWNS, MONTHS_SLUG
from apps.dashboards.tasks import rollup_tenant
from apps.tenants.tasks import enqueue_for_tenant


def _agency_filters(request: HttpRequest) -> AgencyFilterForm:
    form = AgencyFilterForm(request.GET or None, country=request.tenant.country)
    form.is_valid()
    return form


@requires("dashboards.view")
def index(request: HttpRequest) -> HttpResponse:
    if not is_agency_staff(request.actor):
        view = selectors.division_view(request.actor)
        division = Division(request.actor.division).label
        return render(request, "dashboards/division.html", {"view": view, "division_label": division})
    form = _agency_filters(request)
    context: dict[str, Any] = {"form": form, "last_counted": selectors.last_counted(), "query": request.GET.urlencode()}
    if form.is_bound and form.errors:
        return render(request, "dashboards/agency.html", context, status=400)
    lookups = form.filters() if form.is_bound else {}
    context["tables"] = selectors.agency_tables(request.tenant, lookups)
    context["months"] = selectors.registrations_by_month(lookups)
    context["total"] = context["tables"][0].total if context["tables"] else 0
    context["months_chart"] = selectors.months_chart(context["months"])
    return render(request, "dashboards/agency.html", context)


@requires("dashboards.view")
def table_csv(request: HttpRequest, table: str) -> HttpResponse:
    """One table of the page as CSV, with the page's filters (an agency) or suppression (a division)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if is_agency_staff(request.actor):
        form = _agency_filters(request)
        if form.is_bound and form.errors:
            message = _("The filters are not valid: %(errors)s") % {"errors": form.errors.as_text()}
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        _agency_csv(writer, request, table, form.filters() if form.is_bound else {})
    else:
        _division_csv(writer, request, table)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="msmes-{slugify(table)}.csv"'
    return response


def _agency_csv(writer: Any, request: HttpRequest, table: str, lookups: dict[str, Any]) -> None:
    if table == MONTHS_SLUG:
        writer.writerow([_("Month"), _("MSMEs registered")])
        writer.writerows(
            [month.month.strftime("%Y-%m"), month.msmes] for month in selectors.registrations_by_month(lookups)
        )
        return
    if table not in BY_SLUG:
        raise Http404
    found = next(t for t in selectors.agency_tables(request.tenant, lookups) if t.slug == table)
    writer.writerow([str(found.breakdown.title), _("MSMEs")])
    writer.writerows(found.rows)
    writer.writerow([_("Total"), found.total])


def _division_csv(writer: Any, request: HttpRequest, table: str) -> None:
    breakdown = next((b for b in DIVISION_BREAKDOWNS if b.slug == table), None)
    if breakdown is None:
        raise Http404
    found = next((t for t in selectors.division_view(request.actor).tables if t.slug == table), None)
    if found is None:  # no country of the division has counts yet
        writer.writerow([str(breakdown.title), _("Total")])
        return
    writer.writerow([str(found.breakdown.title), *found.countries, _("Total")])
    for label, figures, total in found.rows:
        writer.writerow([label, *(f.text for f in figures), total.text])
    writer.writerow([_("Total"), *(f.text for f in found.column_totals), found.total.text])


@require_POST
@requires("dashboards.refresh")
def refresh(request: HttpRequest) -> HttpResponse:
    enqueue_for_tenant(rollup_tenant)
    messages.success(
        request, _("Your MSMEs are being counted again: reload this page in a minute to see the new figures.")
    )
    return redirect("dashboards:index")
