from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.core.policies import public
from apps.guidance.calculators import fees, pct, routes
from apps.guidance.calculators.catalogue import calculators_shown
from apps.guidance.forms import (
    HagueFeesForm,
    MadridFeesForm,
    PctDeadlinesForm,
    PctFeesForm,
    RouteComparisonForm,
)


@public
@require_GET
def calculators(request: HttpRequest) -> HttpResponse:
    """The index of the calculators: what each one answers."""
    return render(request, "guidance/calculators.html", {"calculators": calculators_shown()})


@public
@require_GET
def pct_deadlines(request: HttpRequest) -> HttpResponse:
    """The PCT calculator: a GET form; the limits, their sources and the 31-month offices once a date is given."""
    submitted = bool(request.GET)
    form = PctDeadlinesForm(request.GET if submitted else None)
    context = {
        "form": form,
        "counting_rule": pct.counting_rule(),
        "working_day_rule": pct.working_day_rule(),
        "offices_note": pct.offices_note(),
    }
    status = 200
    if submitted:
        if form.is_valid():
            priority_date = form.cleaned_data["priority_date"]
            context["priority_date"] = priority_date
            office = form.cleaned_data["office"] or None
            context["office_name"] = dict(form.fields["office"].choices).get(office, "") if office else ""
            context["deadlines"] = pct.pct_deadlines(
                priority_date=priority_date, search_report_date=form.cleaned_data["search_report_date"], office=office
            )
            context["offices"] = pct.national_phase_31_month_offices(priority_date=priority_date)
        else:
            status = 400
    return render(request, "guidance/pct_deadlines.html", context, status=status)


def _fee_page(request: HttpRequest, form_class: type[forms.Form], calculator: str, calculate: Callable) -> HttpResponse:
    submitted = bool(request.GET)
    form = form_class(request.GET if submitted else None)
    context = {"form": form, "calculator": calculator}
    if calculator == "madrid-fees":
        context["offices_note"] = fees.madrid_offices_note()
    status = 200
    if submitted:
        if form.is_valid():
            context["result"] = calculate(form.cleaned_data)
        else:
            status = 400
    return render(request, f"guidance/{calculator.replace('-', '_')}.html", context, status=status)


@public
@require_GET
def pct_fees(request: HttpRequest) -> HttpResponse:
    """The PCT fee calculator: a GET form; the breakdown with its sources once the inputs are given."""
    return _fee_page(
        request,
        PctFeesForm,
        "pct-fees",
        lambda data: fees.pct_fees(
            sheets=data["sheets"],
            efiling=data["efiling"],
            reduction=data["reduction"],
            receiving_office=data["receiving_office"],
            isa=data["isa"] or None,
        ),
    )


@public
@require_GET
def madrid_fees(request: HttpRequest) -> HttpResponse:
    """The Madrid fee calculator."""
    return _fee_page(
        request,
        MadridFeesForm,
        "madrid-fees",
        lambda data: fees.madrid_fees(
            colour=data["colour"],
            classes=data["classes"],
            designations=data["designations"],
            ldc=data["ldc"],
            complementary_designations=data["complementary_designations"],
        ),
    )


@public
@require_GET
def hague_fees(request: HttpRequest) -> HttpResponse:
    """The Hague fee calculator."""
    return _fee_page(
        request,
        HagueFeesForm,
        "hague-fees",
        lambda data: fees.hague_fees(
            designs=data["designs"],
            reproductions=data["reproductions"],
            extra_pages=data["extra_pages"],
            standard_level_designations={level: data[f"level_{level}"] for level in fees.HAGUE_LEVELS},
        ),
    )


@public
@require_GET
def route_comparison(request: HttpRequest) -> HttpResponse:
    """National filings against the international route (Madrid, Hague or PCT) for the chosen countries."""
    submitted = bool(request.GET)
    form = RouteComparisonForm(request.GET if submitted else None)
    context = {"form": form, "national_note": routes.national_note()}
    status = 200
    if submitted:
        if form.is_valid():
            data = form.cleaned_data
            context["comparison"] = routes.compare_routes(
                right=data["right"],
                countries=data["countries"],
                classes=data["classes"],
                colour=data["colour"],
                designs=data["designs"],
                reproductions=data["reproductions"],
                sheets=data["sheets"],
                efiling=data["efiling"],
            )
        else:
            status = 400
    return render(request, "guidance/route_comparison.html", context, status=status)
