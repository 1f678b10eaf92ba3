"""Campaigns to send in tests: a segment of every MSME, messages in English and French."""

from __future__ import annotations

from apps.outreach.models import Campaign, CampaignMessage, Segment
from tests.factories import CampaignFactory, CampaignMessageFactory, MsmeFactory


def every_msme_segment() -> Segment:
    return Segment.objects.get_or_create(name="Everyone", defaults={"filters": {}})[0]


def campaign_with_messages(**fields) -> Campaign:
    campaign = CampaignFactory(segment=every_msme_segment(), fallback_language="en", **fields)
    CampaignMessageFactory(
        campaign=campaign,
        language="en",
        subject="News for {msme}",
        body="Dear {msme}, see {link}. {agency}",
        short_text="{msme}: {link}",
    )
    CampaignMessageFactory(
        campaign=campaign,
        language="fr",
        subject="Nouvelles pour {msme}",
        body="Cher {msme}, voir {link}.",
        short_text="",
    )
    return campaign


def consenting_msme(**fields):
    values = {"consent_outreach": True, "email": f"{fields.get('name', 'shop').lower()}@example.org"}
    values.update(fields)
    return MsmeFactory(**values)


__all__ = ["CampaignMessage", "campaign_with_messages", "consenting_msme", "every_msme_segment"]
