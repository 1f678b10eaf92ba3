"""/programmes/green/: the WIPO GREEN exchange. Published technologies and needs of every agency (public), a
member's listings and introductions, matches with their reasons, and the two-sided acceptance before contact
details are shown."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.countries import country_name
from apps.core.lists import CappedPaginator, page_query
from apps.core.policies import can, public, requires
from apps.programmes import green
from apps.programmes.forms import (
    GreenFilterForm,
    GreenNeedForm,
    GreenTechnologyForm,
    InterestForm,
    OfferForm,
    add_errors,
)
from apps.programmes.models import GreenCategory, GreenConnection, GreenNeed, GreenOffer, GreenStage, GreenTechnology
from apps.registry.selectors import msme_for_user

PAGE_SIZE = 20
CATEGORIES = dict(GreenCategory.choices)
STAGES = dict(GreenStage.choices)
OFFERS = dict(GreenOffer.choices)


def _dress(listings: list[Any]) -> list[Any]:
    """What a listing's row shows, in the active language."""
    for listing in listings:
        listing.category_label = CATEGORIES.get(listing.category, listing.category)
        listing.country_names = [country_name(code) for code in listing.countries]
        stage = getattr(listing, "stage", None) or getattr(listing, "min_stage", "")
        listing.stage_label = STAGES.get(stage, stage)
        listing.offer_names = [str(OFFERS.get(code, code)) for code in getattr(listing, "offers", [])]
    return listings


def _page(request: HttpRequest, queryset: Any, param: str) -> Any:
    paginator = CappedPaginator(queryset, PAGE_SIZE)
    number = request.GET.get(param)
    # The listings of every agency: the page's rows are read inside the escape hatch.
    page = green.public_page(paginator, number)
    _dress(page.object_list)
    return page


@public
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = GreenFilterForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    filters = {"category": data.get("category", ""), "country": data.get("country", ""), "text": data.get("q", "")}
    technologies = green.published_technologies(**filters)
    needs = green.published_needs(**filters)
    if not valid:
        technologies, needs = technologies.none(), needs.none()
    context = {
        "form": form,
        "technologies": _page(request, technologies, "page"),
        "needs": _page(request, needs, "needs_page"),
        "query": page_query(request),
        "needs_query": page_query(request, "needs_page"),
        "member": can(request.actor, "programmes.use_green"),
    }
    return render(request, "programmes/green/index.html", context, status=200 if valid else 400)


def _msme(request: HttpRequest) -> Any:
    msme = msme_for_user(user=request.user)
    if msme is None:
        raise PermissionDenied(_("Your account is not linked to an MSME yet."))
    return msme


@requires("programmes.use_green")
@require_http_methods(["GET", "HEAD", "POST"])
def technology_new(request: HttpRequest) -> HttpResponse:
    msme = _msme(request)
    form = GreenTechnologyForm(request.POST if request.method == "POST" else None, msme=msme)
    context = {"form": form, "msme": msme, "kind": "technology"}
    if request.method != "POST" or not form.is_valid():
        return render(request, "programmes/green/listing_form.html", context, status=400 if form.errors else 200)
    try:
        technology = green.technology_create(
            actor=request.actor, msme=msme, data=form.values(), assets=form.cleaned_data["assets"]
        )
    except ValidationError as error:
        add_errors(form, error)
        return render(request, "programmes/green/listing_form.html", context, status=400)
    messages.success(request, _("Your technology is listed on the exchange."))
    return redirect("programmes:green-technology", technology_pk=technology.pk)


@requires("programmes.use_green")
@require_http_methods(["GET", "HEAD", "POST"])
def need_new(request: HttpRequest) -> HttpResponse:
    msme = _msme(request)
    form = GreenNeedForm(request.POST if request.method == "POST" else None, msme=msme)
    context = {"form": form, "msme": msme, "kind": "need"}
    if request.method != "POST" or not form.is_valid():
        return render(request, "programmes/green/listing_form.html", context, status=400 if form.errors else 200)
    try:
        need = green.need_create(actor=request.actor, msme=msme, data=form.values())
    except ValidationError as error:
        add_errors(form, error)
        return render(request, "programmes/green/listing_form.html", context, status=400)
    messages.success(request, _("Your need is posted on the exchange."))
    return redirect("programmes:green-need", need_pk=need.pk)


def _connections_shown(request: HttpRequest, connections: list[GreenConnection]) -> list[GreenConnection]:
    for connection in connections:
        connection.side = green.side_of(request.actor, connection)
        connection.contact = green.contact_shown(request.actor, connection)
        connection.may_accept = (
            connection.state == GreenConnection.State.PROPOSED
            and getattr(connection, f"{connection.side}_accepted_at") is None
        )
    return connections


@public
@require_http_methods(["GET", "HEAD", "POST"])
def technology_detail(request: HttpRequest, technology_pk: str) -> HttpResponse:
    technology = green.public_listing(GreenTechnology, technology_pk, actor=request.actor)
    if technology is None:
        raise Http404
    own_ids = green.own_msme_ids(request.actor)
    owner = technology.msme_id in own_ids and technology.tenant_id == getattr(request.tenant, "pk", None)
    form = None
    if own_ids and not owner:
        form = InterestForm(request.POST if request.method == "POST" else None, msme_ids=own_ids)
        if request.method == "POST" and form.is_valid():
            try:
                green.express_interest(
                    actor=request.actor,
                    technology=technology,
                    msme=_msme(request),
                    need=form.cleaned_data["need"],
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Your interest is sent. You will see their contact once they accept."))
                return redirect("programmes:green-mine")
    elif request.method == "POST":
        raise PermissionDenied(_("Only the members of another MSME can express interest in this technology."))
    _dress([technology])
    context = {"listing": technology, "owner": owner, "form": form, "kind": "technology"}
    if owner:
        context["matches"] = green.matches_for_technology(technology)
        provided, _sought = green.connections_of(request.actor)
        context["connections"] = _connections_shown(request, [c for c in provided if c.technology_id == technology.pk])
    status = 400 if form is not None and form.errors else 200
    return render(request, "programmes/green/listing_detail.html", context, status=status)


@public
@require_http_methods(["GET", "HEAD", "POST"])
def need_detail(request: HttpRequest, need_pk: str) -> HttpResponse:
    need = green.public_listing(GreenNeed, need_pk, actor=request.actor)
    if need is None:
        raise Http404
    own_ids = green.own_msme_ids(request.actor)
    owner = need.msme_id in own_ids and need.tenant_id == getattr(request.tenant, "pk", None)
    form = None
    if own_ids and not owner:
        form = OfferForm(request.POST if request.method == "POST" else None, msme_ids=own_ids)
        if request.method == "POST" and form.is_valid():
            try:
                green.offer_technology(
                    actor=request.actor,
                    technology=form.cleaned_data["technology"],
                    need=need,
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Your offer is sent. You will see their contact once they accept."))
                return redirect("programmes:green-mine")
    elif request.method == "POST":
        raise PermissionDenied(_("Only the members of another MSME can offer a technology for this need."))
    _dress([need])
    context = {"listing": need, "owner": owner, "form": form, "kind": "need"}
    if owner:
        context["matches"] = [(_dress([technology])[0], found) for technology, found in green.matches_for_need(need)]
    status = 400 if form is not None and form.errors else 200
    return render(request, "programmes/green/listing_detail.html", context, status=status)


@requires("programmes.use_green")
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    own_ids = green.own_msme_ids(request.actor)
    provided, sought = green.connections_of(request.actor)
    context = {
        "technologies": _dress(list(GreenTechnology.objects.filter(msme_id__in=own_ids).order_by("-created_at"))),
        "needs": _dress(list(GreenNeed.objects.filter(msme_id__in=own_ids).order_by("-created_at"))),
        "provided": _connections_shown(request, provided),
        "sought": _connections_shown(request, sought),
    }
    return render(request, "programmes/green/mine.html", context)


def _answer(request: HttpRequest, connection_pk: str, *, accept: bool) -> HttpResponse:
    connection = green.connection_for(request.actor, connection_pk)
    if connection is None:
        raise Http404
    try:
        green.connection_answer(actor=request.actor, connection=connection, accept=accept)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("programmes:green-mine")
    if connection.is_connected:
        messages.success(request, _("You are connected: each of you now sees the other's contact."))
    elif accept:
        messages.success(request, _("Accepted. Their contact is shown once they accept too."))
    else:
        messages.success(request, _("Declined. Nothing of yours was shared."))
    return redirect("programmes:green-mine")


@requires("programmes.use_green")
@require_POST
def connection_accept(request: HttpRequest, connection_pk: str) -> HttpResponse:
    return _answer(request, connection_pk, accept=True)


@requires("programmes.use_green")
@require_POST
def connection_decline(request: HttpRequest, connection_pk: str) -> HttpResponse:
    return _answer(request, connection_pk, accept=False)


urlpatterns = [
    path("green/", index, name="green"),
    path("green/mine/", mine, name="green-mine"),
    path("green/technologies/new/", technology_new, name="green-technology-new"),
    path("green/technologies/<uuid:technology_pk>/", technology_detail, name="green-technology"),
    path("green/needs/new/", need_new, name="green-need-new"),
    path("green/needs/<uuid:need_pk>/", need_detail, name="green-need"),
    path("green/connections/<uuid:connection_pk>/accept/", connection_accept, name="green-accept"),
    path("green/connections/<uuid:connection_pk>/decline/", connection_decline, name="green-decline"),
]
