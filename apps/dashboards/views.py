"""The statistics pages: an agency's dashboard, a division's, their CSV downloads, and "count again now"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.core.policies import public, requires
from apps.core.roles import Division
from apps.dashboards import exports, selectors
from apps.dashboards import profile as profiles
from apps.dashboards.forms import AgencyFilterForm
from apps.dashboards.pdf import render_profile_pdf
from apps.dashboards.policies import is_agency_staff
from apps.dashboards.regions import countries_of
from apps.dashboards.tables import DIVISION_BREAKDOWNS, DIVISION_BY_SLUG, MONTHS_SLUG
from apps.dashboards.tasks import rollup_tenant
from apps.tenants.tasks import enqueue_for_tenant

# The figures are counted at night: a download may be kept an hour by a browser or a proxy.
OPEN_DATA_MAX_AGE = 60 * 60


def _agency_filters(request: HttpRequest) -> AgencyFilterForm:
    form = AgencyFilterForm(request.GET or None, country=request.tenant.country)
    form.is_valid()
    return form


@require_safe
@requires("dashboards.view")
def index(request: HttpRequest) -> HttpResponse:
    if not is_agency_staff(request.actor):
        view = selectors.division_view(request.actor)
        division = Division(request.actor.division).label
        regional = countries_of(request.actor.division) is not None
        context = {"view": view, "division_label": division, "regional": regional}
        return render(request, "dashboards/division.html", context)
    form = _agency_filters(request)
    context: dict[str, Any] = {"form": form, "last_counted": selectors.last_counted(), "query": request.GET.urlencode()}
    if form.is_bound and form.errors:
        return render(request, "dashboards/agency.html", context, status=400)
    lookups = form.filters() if form.is_bound else {}
    context["tables"] = selectors.agency_tables(request.tenant, lookups)
    context["months"] = selectors.registrations_by_month(lookups)
    context["total"] = context["tables"][0].total if context["tables"] else 0
    context["months_chart"] = selectors.months_chart(context["months"])
    context["trend"] = selectors.maturity_trend()
    context["activity"] = selectors.agency_activity(request.tenant)
    context["headlines"] = selectors.agency_headlines()
    return render(request, "dashboards/agency.html", context)


@require_safe
@requires("dashboards.view")
def table_csv(request: HttpRequest, table: str) -> HttpResponse:
    """One table of the page as CSV, with the page's filters (an agency) or suppression (a division)."""
    if is_agency_staff(request.actor):
        form = _agency_filters(request)
        if form.is_bound and form.errors:
            message = _("The filters are not valid: %(errors)s") % {"errors": form.errors.as_text()}
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        rows = _agency_csv(request, table, form.filters() if form.is_bound else {})
    else:
        breakdown = DIVISION_BY_SLUG.get(table)
        if breakdown is None:
            raise Http404
        found = next((t for t in selectors.division_view(request.actor).tables if t.slug == table), None)
        rows = exports.division_rows(found, str(breakdown.heading))
    return csv_response(exports.csv_text(rows), f"msmes-{slugify(table)}.csv")


def csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _agency_csv(request: HttpRequest, table: str, lookups: dict[str, Any]) -> list[list[Any]]:
    if table == MONTHS_SLUG:
        return exports.month_rows(selectors.registrations_by_month(lookups))
    found = selectors.agency_table(request.tenant, table, lookups)
    if found is None:
        raise Http404
    return exports.table_rows(found)


@require_POST
@requires("dashboards.refresh")
def refresh(request: HttpRequest) -> HttpResponse:
    enqueue_for_tenant(rollup_tenant)
    messages.success(
        request, _("Your MSMEs are being counted again: reload this page in a minute to see the new figures.")
    )
    return redirect("dashboards:index")


# --- Country profiles: one agency's figures on a page to print, and as a PDF --------------------------------


@require_safe
@requires("dashboards.view")
def profile(request: HttpRequest) -> HttpResponse:
    """An agency's own profile; for a division analyst, the list of its countries' profiles."""
    if not is_agency_staff(request.actor):
        view = selectors.division_view(request.actor)
        agencies = list(zip(view.agencies, (name for _, name in view.countries), strict=True))
        return render(request, "dashboards/profiles.html", {"agencies": agencies})
    found = profiles.agency_profile(request.tenant)
    return render(request, "dashboards/profile.html", {"profile": found, "pdf_url": reverse("dashboards:profile-pdf")})


@require_safe
@requires("dashboards.view")
def profile_pdf(request: HttpRequest) -> HttpResponse:
    if not is_agency_staff(request.actor):
        raise Http404
    return _pdf_response(profiles.agency_profile(request.tenant))


def _division_profile(request: HttpRequest, agency: str) -> profiles.CountryProfile:
    if is_agency_staff(request.actor):
        raise Http404  # an agency's own profile is at /dashboards/profile/
    found = profiles.division_profile(request.actor, agency)
    if found is None:
        raise Http404
    return found


@require_safe
@requires("dashboards.view")
def agency_profile(request: HttpRequest, agency: str) -> HttpResponse:
    found = _division_profile(request, agency)
    pdf_url = reverse("dashboards:agency-profile-pdf", args=[agency])
    return render(request, "dashboards/profile.html", {"profile": found, "pdf_url": pdf_url, "suppressed": True})


@require_safe
@requires("dashboards.view")
def agency_profile_pdf(request: HttpRequest, agency: str) -> HttpResponse:
    return _pdf_response(_division_profile(request, agency))


def _pdf_response(found: profiles.CountryProfile) -> HttpResponse:
    response = HttpResponse(render_profile_pdf(found), content_type="application/pdf")
    day = found.counted_at.date().isoformat() if found.counted_at else "not-counted"
    response["Content-Disposition"] = f'attachment; filename="country-profile-{slugify(found.country)}-{day}.pdf"'
    return response


# --- Open data: every country's figures, suppressed as for division analysts, for anyone to reuse ---------


@require_safe
@public
def open_data(request: HttpRequest) -> HttpResponse:
    """The open data's index: its tables, their columns and values (the data dictionary), and the files."""
    view = selectors.countries_view()
    return render(
        request,
        "dashboards/open_data.html",
        {"breakdowns": DIVISION_BREAKDOWNS, "view": view, "legend": exports.legend()},
    )


def _open_table(table: str) -> tuple[Any, Any]:
    breakdown = DIVISION_BY_SLUG.get(table)
    if breakdown is None:
        raise Http404
    view = selectors.countries_view()
    return breakdown, view


@require_safe
@public
def open_data_csv(request: HttpRequest, table: str) -> HttpResponse:
    breakdown, view = _open_table(table)
    found = next((t for t in view.tables if t.slug == table), None)
    response = csv_response(
        exports.csv_text(exports.division_rows(found, str(breakdown.heading))), f"msmes-{table}.csv"
    )
    patch_cache_control(response, public=True, max_age=OPEN_DATA_MAX_AGE)
    return response


@require_safe
@public
def open_data_json(request: HttpRequest, table: str) -> HttpResponse:
    breakdown, view = _open_table(table)
    data = exports.division_json(view, table, str(breakdown.heading), str(breakdown.title))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, public=True, max_age=OPEN_DATA_MAX_AGE)
    return response
