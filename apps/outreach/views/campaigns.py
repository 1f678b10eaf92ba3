"""The campaigns pages, for the agency's staff: the list, a campaign's form with its message per language,
its page (counts, deliveries, preview, test send, send and cancel)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.lists import list_filters_html, list_page, offers_saved_filters, rows_html, with_labels, with_urls
from apps.core.policies import requires
from apps.outreach import selectors, services
from apps.outreach.campaign_filters import CampaignFilterSet
from apps.outreach.forms import CampaignForm, campaign_initial, message_formset, written_messages
from apps.outreach.languages import language_name, message_language
from apps.outreach.models import Campaign, Delivery
from apps.outreach.sending import counts_of
from apps.tenants.models import OutreachChannel

RULE = "outreach.manage_campaigns"
DELIVERIES_PER_PAGE = 50
CAMPAIGN_ROW = (
    '<tr><td class="portal-minw-name"><a href="{}"><bdi>{}</bdi></a></td>'
    '<td><span class="badge text-bg-light border">{}</span></td><td><bdi>{}</bdi></td><td>{}</td><td>{}</td></tr>'
)


def _when(value: Any) -> str:
    return date_format(localtime(value), "SHORT_DATETIME_FORMAT") if value else "—"


def _campaign_list(*, filters: Any) -> tuple[CampaignFilterSet, Any]:
    filterset = CampaignFilterSet(filters, queryset=Campaign.objects.select_related("segment").order_by("-created_at"))
    if not filterset.is_valid():
        return filterset, Campaign.objects.none()
    return filterset, filterset.qs


@requires(RULE)
@offers_saved_filters
def index(request: HttpRequest) -> HttpResponse:
    context = list_page(request, _campaign_list, per_page=25)
    rows = with_labels(context["page"].object_list, Campaign, "status")
    with_urls(rows, "outreach:campaign_detail")
    every = _("Every MSME")
    context["rows_html"] = rows_html(
        CAMPAIGN_ROW,
        (
            (
                c.url,
                c.name,
                c.status_label,
                c.segment.name if c.segment else every,
                _when(c.scheduled_for),
                _when(c.created_at),
            )
            for c in rows
        ),
    )
    context["filters_html"] = list_filters_html(request, "outreach/_campaign_filters.html", context)
    return render(request, "outreach/campaign_list.html", context, status=400 if context["filterset"].errors else 200)


def _own_campaign(request: HttpRequest, campaign_pk: Any) -> Campaign:
    return get_object_or_404(selectors.campaigns_visible(request.actor), pk=campaign_pk)


def _form_page(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    posted = request.method == "POST"
    form = CampaignForm(request.POST if posted else None, initial=campaign_initial(campaign) if campaign else None)
    formset = message_formset(request.POST if posted else None, campaign=campaign, tenant=request.tenant)
    if posted and form.is_valid() and formset.is_valid():
        try:
            if campaign is None:
                campaign = services.campaign_create(
                    data=form.service_data(), messages=written_messages(formset), actor=request.user
                )
            else:
                campaign = services.campaign_update(
                    campaign=campaign, data=form.service_data(), messages=written_messages(formset), actor=request.user
                )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                target = {"link_kind": "link", "link_value": "link"}.get(field, field)
                form.add_error(target if target in form.fields else None, problems)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("outreach:campaign_detail", campaign_pk=campaign.pk)
    context = {"form": form, "formset": formset, "campaign": campaign}
    return render(request, "outreach/campaign_form.html", context, status=400 if posted else 200)


@requires(RULE)
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@requires(RULE)
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, campaign_pk: Any) -> HttpResponse:
    campaign = _own_campaign(request, campaign_pk)
    if campaign.status not in services.EDITABLE:
        messages.error(request, _("Only a draft or scheduled campaign can be changed."))
        return redirect("outreach:campaign_detail", campaign_pk=campaign.pk)
    return _form_page(request, campaign)


@requires(RULE)
def campaign_detail(request: HttpRequest, campaign_pk: Any) -> HttpResponse:
    campaign = _own_campaign(request, campaign_pk)
    counts = counts_of(campaign)
    status = request.GET.get("status", "")
    deliveries = selectors.campaign_deliveries(campaign)
    if status in Delivery.Status.values:
        deliveries = deliveries.filter(status=status)
    else:
        status = ""
    page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    with_labels(page.object_list, Delivery, "status", "skip_reason", "channel")
    languages = list(campaign.messages.values_list("language", flat=True))
    skip_labels = dict(Delivery.SkipReason.choices)
    context = {
        "campaign": campaign,
        "counts": counts,
        "skipped_rows": [(skip_labels[key], value) for key, value in counts["skipped_by_reason"].items()],
        "page": page,
        "status": status,
        "query": f"status={status}" if status else "",
        "statuses": Delivery.Status.choices,
        "campaign_languages": [(code, language_name(code)) for code in languages],
        "editable": campaign.status in services.EDITABLE,
        "cancellable": campaign.status in (*services.EDITABLE, Campaign.Status.SENDING),
    }
    return render(request, "outreach/campaign_detail.html", context)


@requires(RULE)
def campaign_preview(request: HttpRequest, campaign_pk: Any) -> HttpResponse:
    campaign = _own_campaign(request, campaign_pk)
    codes = list(campaign.messages.values_list("language", flat=True))
    language = message_language(request.GET.get("language", "")) or campaign.fallback_language
    channel = request.GET.get("channel", OutreachChannel.EMAIL)
    if channel not in (OutreachChannel.EMAIL, OutreachChannel.SMS, OutreachChannel.WHATSAPP):
        channel = OutreachChannel.EMAIL
    rendered, msme = selectors.preview(campaign, language=language, channel=channel, tenant=request.tenant)
    context = {
        "campaign": campaign,
        "rendered": rendered,
        "msme": msme,
        "language": language,
        "channel": channel,
        "campaign_languages": [(code, language_name(code)) for code in codes],
        "channels": [
            (OutreachChannel.EMAIL, _("E-mail")),
            (OutreachChannel.SMS, _("SMS")),
            (OutreachChannel.WHATSAPP, _("WhatsApp")),
        ],
    }
    return render(request, "outreach/campaign_preview.html", context)


@requires(RULE)
@require_POST
def campaign_send(request: HttpRequest, campaign_pk: Any) -> HttpResponse:
    campaign = _own_campaign(request, campaign_pk)
    if services.campaign_send(campaign=campaign, actor=request.user):
        messages.success(request, _("The campaign is being sent."))
    else:
        messages.info(request, _("This campaign is already being sent or done."))
    return redirect("outreach:campaign_detail", campaign_pk=campaign.pk)


@requires(RULE)
@require_POST
def campaign_cancel(request: HttpRequest, campaign_pk: Any) -> HttpResponse:
    campaign = _own_campaign(request, campaign_pk)
    if services.campaign_cancel(campaign=campaign, actor=request.user):
        messages.success(request, _("The campaign is cancelled: nothing more is sent."))
    else:
        messages.info(request, _("This campaign cannot be cancelled any more."))
    return redirect("outreach:campaign_detail", campaign_pk=campaign.pk)


@requires(RULE)
@require_POST
def campaign_test(request: HttpRequest, campaign_pk: Any) -> HttpResponse:
    campaign = _own_campaign(request, campaign_pk)
    language = request.POST.get("language", "")
    if message_language(language) is None:
        language = campaign.fallback_language
    if services.campaign_send_test(campaign=campaign, actor=request.user, language=language):
        messages.success(request, _("A test message is on its way to %(email)s.") % {"email": request.user.email})
    else:
        messages.error(request, _("No test message was sent: the campaign has no message to send."))
    return redirect("outreach:campaign_detail", campaign_pk=campaign.pk)


urlpatterns: list[URLPattern] = [
    path("", index, name="index"),
    path("campaigns/new/", campaign_create, name="campaign_create"),
    path("campaigns/<uuid:campaign_pk>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<uuid:campaign_pk>/edit/", campaign_edit, name="campaign_edit"),
    path("campaigns/<uuid:campaign_pk>/preview/", campaign_preview, name="campaign_preview"),
    path("campaigns/<uuid:campaign_pk>/send/", campaign_send, name="campaign_send"),
    path("campaigns/<uuid:campaign_pk>/cancel/", campaign_cancel, name="campaign_cancel"),
    path("campaigns/<uuid:campaign_pk>/test/", campaign_test, name="campaign_test"),
]
