from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.guidance.calculators import pct
from apps.guidance.forms import PctDeadlinesForm


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
            context["deadlines"] = pct.pct_deadlines(
                priority_date=priority_date, search_report_date=form.cleaned_data["search_report_date"]
            )
            context["offices"] = pct.national_phase_31_month_offices(priority_date=priority_date)
        else:
            status = 400
    return render(request, "guidance/pct_deadlines.html", context, status=status)
