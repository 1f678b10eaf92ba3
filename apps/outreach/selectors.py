"""Reads of outreach's campaigns, each with the rule that narrows them."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core import policies
from apps.core.policies import Actor
from apps.outreach.models import Campaign, CampaignMessage, Delivery
from apps.outreach.rendering import Rendered, campaign_link, pick_message, render
from apps.outreach.segments import segment_msmes
from apps.outreach.unsubscribe import unsubscribe_url
from apps.registry.models import Msme
from apps.tenants.models import Tenant


def campaigns_visible(actor: Actor) -> QuerySet[Campaign]:
    queryset = Campaign.objects.select_related("segment").order_by("-created_at", "id")
    return policies.rows(actor, "outreach.manage_campaigns", queryset)


def campaign_deliveries(campaign: Campaign) -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(campaign=campaign)
        .select_related("msme")
        .only(
            "id",
            "tenant_id",
            "campaign_id",
            "msme__id",
            "msme__name",
            "channel",
            "address",
            "language",
            "status",
            "skip_reason",
            "attempts",
            "last_error",
            "sent_at",
            "unsubscribed_at",
            "created_at",
        )
        .order_by("created_at", "id")
    )


def sample_msme(campaign: Campaign, language: str) -> Msme | None:
    """A real MSME of the campaign's segment to preview with: one written to in `language` if any, one that
    will receive the campaign (it consents) before one that will not, then by name."""
    msmes = segment_msmes(campaign.segment).select_related(None).order_by("-consent_outreach", "name", "pk")
    return msmes.filter(preferred_language=language).first() or msmes.first()


def preview(campaign: Campaign, *, language: str, channel: str, tenant: Tenant) -> tuple[Rendered | None, Msme | None]:
    """The message in `language` as `channel` would carry it, a real MSME's name in {msme} (None: no message)."""
    messages = {m.language: m for m in CampaignMessage.objects.filter(campaign=campaign)}
    message = pick_message(campaign, messages, language)
    if message is None:
        return None, None
    msme = sample_msme(campaign, language)
    rendered = render(
        campaign=campaign,
        message=message,
        channel=channel,
        msme_name=msme.name if msme else tenant.name,
        agency=tenant.name,
        # Never the MSME's own link: a survey answer link lets whoever holds it answer as that MSME.
        link=campaign_link(campaign, None),
        unsubscribe_url=unsubscribe_url(tenant_id=tenant.pk, delivery_id=""),
    )
    return rendered, msme
