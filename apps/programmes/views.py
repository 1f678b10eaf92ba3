"""/programmes/: what each programme is and how to use it (public), the directories (TISCs, WIPO Re:Search
members), the ADR clause generator and fee estimate, the IAP eligibility check; the members' request forms;
the requests, followed by the MSME and worked by the programme's staff."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.countries import country_name
from apps.core.lists import CappedPaginator, page_query
from apps.core.policies import can, public, requires
from apps.programmes import adr_clauses, adr_fees, iap, selectors, services
from apps.programmes.catalogue import ADR, IAP, PROGRAMMES, RESEARCH, TISC, Programme
from apps.programmes.forms import (
    REQUEST_FORMS,
    AdrFeesForm,
    ClauseForm,
    CourseFilterForm,
    IapEligibilityForm,
    ResearchFilterForm,
    StageForm,
    TiscFilterForm,
    add_errors,
)
from apps.programmes.models import DiseaseArea, ProgrammeRequest, ResearchResource, Stage, TiscService
from apps.registry.selectors import msme_for_user

PAGE_SIZE = 20
SERVICE_LABELS = dict(TiscService.choices)
STAGE_COLOURS = {
    Stage.SUBMITTED: "info",
    Stage.IN_PROGRESS: "primary",
    Stage.MATCHED: "success",
    Stage.COMPLETED: "success",
}


def _dress(tiscs: Any) -> Any:
    """What a TISC's row shows: its country's and services' names in the active language."""
    for tisc in tiscs:
        tisc.country_label = country_name(tisc.country)
        tisc.service_names = [str(SERVICE_LABELS.get(code, code)) for code in tisc.services]
    return tiscs


@public
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "programmes/index.html", {"programmes": PROGRAMMES.values()})


# --- TISCs ----------------------------------------------------------------------------------------


@public
@require_GET
def tisc_list(request: HttpRequest) -> HttpResponse:
    form = TiscFilterForm(request.GET or None, countries=selectors.tisc_countries())
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    queryset = selectors.tiscs(country=data.get("country", ""), service=data.get("service", ""), text=data.get("q", ""))
    page = CappedPaginator(queryset if valid else queryset.none(), PAGE_SIZE).get_page(request.GET.get("page"))
    _dress(page.object_list)
    context = {"form": form, "page": page, "query": page_query(request)}
    return render(request, "programmes/tisc_list.html", context, status=200 if valid else 400)


@public
@require_GET
def tisc_detail(request: HttpRequest, tisc_pk: int) -> HttpResponse:
    tisc = get_object_or_404(selectors.tiscs(), pk=tisc_pk)
    _dress([tisc])
    may_request = can(request.actor, "programmes.send_request") and request.tenant.country == tisc.country
    context = {"tisc": tisc, "may_request": may_request}
    return render(request, "programmes/tisc_detail.html", context)


# --- ADR ------------------------------------------------------------------------------------------


@public
@require_GET
def adr(request: HttpRequest) -> HttpResponse:
    return render(request, "programmes/adr.html", {"programme": ADR, "good_offices_note": adr_fees.good_offices_note()})


@public
@require_GET
def adr_clause(request: HttpRequest) -> HttpResponse:
    submitted = bool(request.GET)
    form = ClauseForm(request.GET if submitted else None)
    context: dict[str, Any] = {"form": form, "source": adr_clauses.SOURCE}
    status = 200
    if submitted:
        if form.is_valid():
            context["clause"] = adr_clauses.clause(form.choices())
        else:
            status = 400
    return render(request, "programmes/adr_clause.html", context, status=status)


@public
@require_GET
def adr_fee_estimate(request: HttpRequest) -> HttpResponse:
    submitted = bool(request.GET)
    form = AdrFeesForm(request.GET if submitted else None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if submitted:
        if form.is_valid():
            context["result"] = form.calculate()
        else:
            status = 400
    return render(request, "programmes/adr_fees.html", context, status=status)


# --- WIPO Re:Search -------------------------------------------------------------------------------


@public
@require_GET
def research(request: HttpRequest) -> HttpResponse:
    form = ResearchFilterForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    queryset = selectors.research_members(disease_area=data.get("disease_area", ""), offers=data.get("offers", ""))
    page = CappedPaginator(queryset if valid else queryset.none(), PAGE_SIZE).get_page(request.GET.get("page"))
    areas, resources = dict(DiseaseArea.choices), dict(ResearchResource.choices)
    for member in page.object_list:
        member.country_label = country_name(member.country)
        member.area_names = [str(areas.get(code, code)) for code in member.disease_areas]
        member.offer_names = [str(resources.get(code, code)) for code in member.offers]
    context = {
        "programme": RESEARCH,
        "form": form,
        "page": page,
        "query": page_query(request),
    }
    return render(request, "programmes/research.html", context, status=200 if valid else 400)


# --- The Inventor Assistance Programme ------------------------------------------------------------


@public
@require_GET
def iap_page(request: HttpRequest) -> HttpResponse:
    submitted = bool(request.GET)
    form = IapEligibilityForm(request.GET if submitted else None)
    context: dict[str, Any] = {"programme": IAP, "form": form, "countries": iap.country_choices()}
    status = 200
    if submitted:
        if form.is_valid():
            context["eligibility"] = iap.eligibility(**form.cleaned_data)
        else:
            status = 400
    return render(request, "programmes/iap.html", context, status=status)


# --- Training ------------------------------------------------------------------------------------


@public
@require_GET
def training(request: HttpRequest) -> HttpResponse:
    form = CourseFilterForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    queryset = selectors.courses(language=data.get("language", ""), level=data.get("level", ""))
    page = CappedPaginator(queryset if valid else queryset.none(), PAGE_SIZE).get_page(request.GET.get("page"))
    names = dict(settings.LANGUAGES)
    for course in page.object_list:
        course.language_names = [str(names.get(code, code)) for code in course.languages]
    context = {"form": form, "page": page, "query": page_query(request)}
    return render(request, "programmes/training.html", context, status=200 if valid else 400)


# --- Requests -------------------------------------------------------------------------------------


def _request_form(request: HttpRequest, programme: Programme, data: Any = None) -> Any:
    form_class = REQUEST_FORMS[programme.slug]
    kwargs: dict[str, Any] = {}
    if programme is TISC:
        kwargs["country"] = request.tenant.country
    initial = {}
    if programme is TISC and request.GET.get("tisc", "").isdigit():
        initial["tisc"] = request.GET["tisc"]
    if programme is TISC and request.GET.get("kind") in TiscService.values:
        initial["kind"] = request.GET["kind"]
    return form_class(data, initial=initial, **kwargs)


def send_request(request: HttpRequest, programme: Programme) -> HttpResponse:
    """A programme's request form; sent, the request and its ticket, and the MSME is taken to the request."""
    form = _request_form(request, programme, request.POST if request.method == "POST" else None)
    context = {"programme": programme, "form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "programmes/request_form.html", context, status=400 if form.errors else 200)
    msme = msme_for_user(user=request.user)
    tisc = form.cleaned_data.get("tisc") if programme is TISC else None
    if programme is TISC and tisc is None:
        tisc = selectors.nearest_tisc(country=request.tenant.country, region=getattr(msme, "region", "") or "")
    try:
        sent = services.request_send(
            actor=request.actor,
            programme=programme,
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
            details=form.details(),
            detail_lines=form.detail_lines(),
            language=services.active_language(),
            msme=msme,
            tisc=tisc,
        )
    except ValidationError as error:
        add_errors(form, error)
        return render(request, "programmes/request_form.html", context, status=400)
    messages.success(
        request,
        _("Your request was sent as ticket %(reference)s. We will tell you here and by e-mail how it goes.")
        % {"reference": sent.ticket.reference},
    )
    return redirect("programmes:request", request_pk=sent.pk)


@requires("programmes.send_request")
@require_http_methods(["GET", "HEAD", "POST"])
def tisc_request(request: HttpRequest) -> HttpResponse:
    return send_request(request, TISC)


@requires("programmes.send_request")
@require_http_methods(["GET", "HEAD", "POST"])
def adr_request(request: HttpRequest) -> HttpResponse:
    return send_request(request, ADR)


@requires("programmes.send_request")
@require_http_methods(["GET", "HEAD", "POST"])
def research_request(request: HttpRequest) -> HttpResponse:
    return send_request(request, RESEARCH)


@requires("programmes.send_request")
@require_http_methods(["GET", "HEAD", "POST"])
def iap_request(request: HttpRequest) -> HttpResponse:
    return send_request(request, IAP)


@requires("programmes.view_request")
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    programme = request.GET.get("programme", "")
    if programme not in PROGRAMMES:
        programme = ""
    queryset = selectors.requests_visible(request.actor, programme=programme)
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for sent in page.object_list:
        shown = PROGRAMMES[sent.programme]
        sent.programme_title = shown.title
        sent.kind_label = shown.kind_label(sent.kind)
        sent.stage_colour = STAGE_COLOURS.get(sent.stage, "secondary")
    context = {
        "page": page,
        "query": page_query(request),
        "programmes": PROGRAMMES,
        "programme": programme,
        "working": can(request.actor, "programmes.work_request"),
    }
    return render(request, "programmes/request_list.html", context)


def _request(request: HttpRequest, request_pk: Any, rule: str) -> ProgrammeRequest:
    return get_object_or_404(selectors.requests_visible(request.actor, rule=rule), pk=request_pk)


def _detail(
    request: HttpRequest, sent: ProgrammeRequest, stage_form: StageForm | None = None, status: int = 200
) -> HttpResponse:
    programme = PROGRAMMES[sent.programme]
    works = can(request.actor, "programmes.work_request", sent)
    form_class = REQUEST_FORMS[programme.slug]
    context = {
        "sent": sent,
        "programme": programme,
        "kind_label": programme.kind_label(sent.kind),
        "details": form_class(**({"country": ""} if programme is TISC else {})).shown_details(sent.details),
        "files": selectors.request_files(sent, internal=works),
        "works": works,
        "may_withdraw": can(request.actor, "programmes.withdraw_request", sent),
        "stage_form": stage_form
        or (StageForm(programme=programme, initial={"stage": sent.stage, "outcome": sent.outcome}) if works else None),
    }
    return render(request, "programmes/request_detail.html", context, status=status)


@requires("programmes.view_request", per_object=True)
@require_GET
def request_detail(request: HttpRequest, request_pk: str) -> HttpResponse:
    return _detail(request, _request(request, request_pk, "programmes.view_request"))


@requires("programmes.work_request", per_object=True)
@require_POST
def request_stage(request: HttpRequest, request_pk: str) -> HttpResponse:
    sent = _request(request, request_pk, "programmes.work_request")
    form = StageForm(request.POST, programme=PROGRAMMES[sent.programme])
    if not form.is_valid():
        return _detail(request, sent, form, status=400)
    try:
        services.request_set_stage(
            actor=request.actor, request=sent, stage=form.cleaned_data["stage"], outcome=form.cleaned_data["outcome"]
        )
    except ValidationError as error:
        add_errors(form, error)
        return _detail(request, sent, form, status=400)
    messages.success(request, _("The request's stage is saved, and the MSME is told."))
    return redirect("programmes:request", request_pk=sent.pk)


@requires("programmes.withdraw_request", per_object=True)
@require_POST
def request_withdraw(request: HttpRequest, request_pk: str) -> HttpResponse:
    sent = _request(request, request_pk, "programmes.withdraw_request")
    if not can(request.actor, "programmes.withdraw_request", sent):
        messages.error(request, _("This request is over: it cannot be withdrawn."))
        return _detail(request, sent, status=400)
    services.request_withdraw(actor=request.actor, request=sent)
    messages.success(request, _("Your request is withdrawn."))
    return redirect("programmes:request", request_pk=sent.pk)


urlpatterns = [
    path("", index, name="index"),
    path("tiscs/", tisc_list, name="tiscs"),
    path("tiscs/request/", tisc_request, name="tisc-request"),
    path("tiscs/<int:tisc_pk>/", tisc_detail, name="tisc"),
    path("adr/", adr, name="adr"),
    path("adr/clause/", adr_clause, name="adr-clause"),
    path("adr/fees/", adr_fee_estimate, name="adr-fees"),
    path("adr/request/", adr_request, name="adr-request"),
    path("training/", training, name="training"),
    path("research/", research, name="research"),
    path("research/request/", research_request, name="research-request"),
    path("iap/", iap_page, name="iap"),
    path("iap/request/", iap_request, name="iap-request"),
    path("requests/", request_list, name="requests"),
    path("requests/<uuid:request_pk>/", request_detail, name="request"),
    path("requests/<uuid:request_pk>/stage/", request_stage, name="request-stage"),
    path("requests/<uuid:request_pk>/withdraw/", request_withdraw, name="request-withdraw"),
]
