"""A campaign's message for one MSME: in its language, with its placeholders filled, on its channel.

Placeholders are filled in one pass of a small pattern, never with `str.format`: the texts are written by
agency staff and the values (an MSME's name) by anyone, so `{msme.__class__}` or an MSME named "{link}"
stays text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from apps.outreach.channels import REFERENCE_HEADER, OutgoingMessage
from apps.outreach.links import link_kind
from apps.outreach.models import Campaign, CampaignMessage
from apps.tenants.models import OutreachChannel

PLACEHOLDER = re.compile(r"\{(msme|link|agency)\}")
# What an SMS or WhatsApp message carries at most when the campaign has no short text: the body, cut.
SHORT_BODY_CHARS = 300
# Headers of RFC 8058: mail clients show an unsubscribe button that POSTs without opening the page.
ONE_CLICK = "List-Unsubscribe=One-Click"


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with {msme}, {link} and {agency} replaced by `values`; any other brace is left as it is."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), text)


def pick_message(campaign: Campaign, messages: Mapping[str, CampaignMessage], language: str) -> CampaignMessage | None:
    """The message in `language`, else in the campaign's fallback language, else None (the MSME is skipped)."""
    return messages.get(language) or messages.get(campaign.fallback_language)


def campaign_link(campaign: Campaign, msme: Any) -> str:
    """The absolute URL the campaign links to for `msme` (None: a preview or test), or "" for none."""
    if not campaign.link_kind:
        return ""
    kind = link_kind(campaign.link_kind)
    if kind is None:
        return ""
    return kind.url_for(campaign.link_value, msme) or ""


def shorten(text: str, limit: int = SHORT_BODY_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Rendered:
    language: str
    subject: str
    body: str  # what is sent: the e-mail's text, or the SMS/WhatsApp text, each with its unsubscribe link
    headers: Mapping[str, str]


def render(
    *,
    campaign: Campaign,
    message: CampaignMessage,
    channel: str,
    msme_name: str,
    agency: str,
    link: str,
    unsubscribe_url: str,
) -> Rendered:
    values = {"msme": msme_name, "link": link, "agency": agency}
    with translation.override(message.language):
        if channel == OutreachChannel.EMAIL:
            footer = gettext("You receive this message from %(agency)s. To receive no more: %(url)s") % {
                "agency": agency,
                "url": unsubscribe_url,
            }
            body = fill(message.body, values).rstrip() + "\n\n-- \n" + footer + "\n"
            headers = {"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": ONE_CLICK}
            # A line break from a filled-in name would break the header (or add one): the subject is one line.
            subject = " ".join(fill(message.subject, values).splitlines()).strip()
            return Rendered(message.language, subject, body, headers)
        text = fill(message.short_text, values) if message.short_text.strip() else shorten(fill(message.body, values))
        stop = gettext("Stop: %(url)s") % {"url": unsubscribe_url}
        return Rendered(message.language, "", f"{text.strip()} {stop}", {})


def outgoing(rendered: Rendered, *, channel: str, to: str, reference: str) -> OutgoingMessage:
    headers = dict(rendered.headers)
    if channel == OutreachChannel.EMAIL and reference:
        headers[REFERENCE_HEADER] = reference  # how a file backend finds, after a crash, what it already wrote
    return OutgoingMessage(
        channel=channel, to=to, subject=rendered.subject, body=rendered.body, headers=headers, reference=reference
    )
