"""/programmes/intermediaries/ and /programmes/partnerships/: the public directory of the associations, chambers
and support institutions each agency lists, which its staff keep; the partnership offers of large businesses that
an agency posts for its MSMEs, their requests for an introduction, and the agency's decisions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core import policies
from apps.core.countries import country_name
from apps.core.lists import CappedPaginator, page_query
from apps.core.policies import can, public, requires
from apps.programmes import network
from apps.programmes.forms import (
    DecisionForm,
    IntermediaryFilterForm,
    IntermediaryForm,
    IntroductionForm,
    PartnershipOfferForm,
    add_errors,
)
from apps.programmes.models import Intermediary, PartnershipOffer, PartnershipRequest
from apps.registry.selectors import msme_for_user

PAGE_SIZE = 20
MAX_LISTED = 100  # an agency's offers and requests on its page, newest first


@public
@require_GET
def intermediaries(request: HttpRequest) -> HttpResponse:
    form = IntermediaryFilterForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    queryset = network.listed_intermediaries(
        country=data.get("country", ""), kind=data.get("kind", ""), sector=data.get("sector", "")
    )
    with network.reading_directories():
        page = CappedPaginator(queryset if valid else queryset.none(), PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.country_label = country_name(row.tenant.country)
    own = []
    if can(request.actor, "programmes.manage_network"):
        own = list(Intermediary.objects.order_by("name")[:MAX_LISTED])
    context = {"form": form, "page": page, "query": page_query(request), "own": own}
    return render(request, "programmes/intermediaries.html", context, status=200 if valid else 400)


def _intermediary_form(request: HttpRequest, intermediary: Intermediary | None) -> HttpResponse:
    initial = {}
    if intermediary is not None:
        initial = {name: getattr(intermediary, name) for name in network.INTERMEDIARY_FIELDS}
    form = IntermediaryForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            network.intermediary_save(actor=request.actor, data=form.cleaned_data, intermediary=intermediary)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The intermediary is saved."))
            return redirect("programmes:intermediaries")
    context = {"form": form, "intermediary": intermediary}
    return render(request, "programmes/intermediary_form.html", context, status=400 if form.errors else 200)


@requires("programmes.manage_network")
@require_http_methods(["GET", "HEAD", "POST"])
def intermediary_new(request: HttpRequest) -> HttpResponse:
    return _intermediary_form(request, None)


@requires("programmes.manage_network", per_object=True)
@require_http_methods(["GET", "HEAD", "POST"])
def intermediary_edit(request: HttpRequest, intermediary_pk: str) -> HttpResponse:
    queryset = policies.rows(request.actor, "programmes.manage_network", Intermediary.objects.all())
    return _intermediary_form(request, get_object_or_404(queryset, pk=intermediary_pk))


@requires("programmes.view_partnerships")
@require_GET
def partnerships(request: HttpRequest) -> HttpResponse:
    staff = can(request.actor, "programmes.manage_network")
    offers = PartnershipOffer.objects.order_by("-created_at")
    if not staff:
        offers = offers.filter(is_open=True)
    requests = PartnershipRequest.objects.select_related("offer", "msme").order_by("-created_at")
    if not staff:
        msme = msme_for_user(user=request.user)
        requests = requests.filter(msme=msme) if msme is not None else requests.none()
    context = {
        "staff": staff,
        "offers": list(offers[:MAX_LISTED]),
        "requests": list(requests[:MAX_LISTED]),
        "decision_form": DecisionForm() if staff else None,
    }
    return render(request, "programmes/partnerships.html", context)


@requires("programmes.manage_network")
@require_http_methods(["GET", "HEAD", "POST"])
def offer_new(request: HttpRequest) -> HttpResponse:
    form = PartnershipOfferForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            network.offer_create(actor=request.actor, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The offer is posted for your MSMEs."))
            return redirect("programmes:partnerships")
    return render(request, "programmes/offer_form.html", {"form": form}, status=400 if form.errors else 200)


@requires("programmes.view_partnerships")
@require_http_methods(["GET", "HEAD", "POST"])
def offer_detail(request: HttpRequest, partnershipoffer_pk: str) -> HttpResponse:
    staff = can(request.actor, "programmes.manage_network")
    queryset = PartnershipOffer.objects.all() if staff else PartnershipOffer.objects.filter(is_open=True)
    offer = get_object_or_404(queryset, pk=partnershipoffer_pk)
    msme = None if staff else msme_for_user(user=request.user)
    form: Any = None
    if msme is not None:
        form = IntroductionForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                network.ask_introduction(
                    actor=request.actor,
                    offer=offer,
                    msme=msme,
                    message=form.cleaned_data["message"],
                    consent=form.cleaned_data["consent"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Your request is sent to the agency, which introduces you by e-mail."))
                return redirect("programmes:partnerships")
    elif request.method == "POST":
        raise Http404
    status = 400 if form is not None and form.errors else 200
    return render(request, "programmes/offer_detail.html", {"offer": offer, "form": form}, status=status)


@requires("programmes.manage_network", per_object=True)
@require_POST
def decide(request: HttpRequest, partnershiprequest_pk: str) -> HttpResponse:
    queryset = policies.rows(request.actor, "programmes.manage_network", PartnershipRequest.objects.all())
    partnership_request = get_object_or_404(queryset.select_related("offer", "msme"), pk=partnershiprequest_pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to introduce them or not."))
        return redirect("programmes:partnerships")
    try:
        network.decide(
            actor=request.actor,
            request=partnership_request,
            introduce=form.cleaned_data["introduce"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved, and the business is told."))
    return redirect("programmes:partnerships")


urlpatterns = [
    path("intermediaries/", intermediaries, name="intermediaries"),
    path("intermediaries/new/", intermediary_new, name="intermediary-new"),
    path("intermediaries/<uuid:intermediary_pk>/edit/", intermediary_edit, name="intermediary-edit"),
    path("partnerships/", partnerships, name="partnerships"),
    path("partnerships/new/", offer_new, name="offer-new"),
    path("partnerships/<uuid:partnershipoffer_pk>/", offer_detail, name="offer"),
    path("partnerships/requests/<uuid:partnershiprequest_pk>/decide/", decide, name="partnership-decide"),
]
