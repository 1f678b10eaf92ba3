"""A campaign's message for one MSME: in its language, with its placeholders filled, on its channel.

Placeholders are filled in one pass of a small pattern, never with `str.format`: the texts are written by
agency staff and the values (an MSME's name) by anyone, so `{msme.__class__}` or an MSME named "{link}"
stays text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
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
    return campaign_links(campaign)(msme)


def campaign_links(campaign: Campaign) -> Callable[[Any], str]:
    """`campaign_link(campaign, ·)` for the many MSMEs of a batch: the link's target is read once."""
    kind = link_kind(campaign.link_kind) if campaign.link_kind else None
    if kind is None:
        return _no_link
    urls = kind.urls(campaign.link_value)
    return lambda msme: urls(msme) or ""


def _no_link(msme: Any) -> str:
    return ""


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
    footer = _footer(message.language, channel)
    return _render(message, channel, footer, msme_name=msme_name, agency=agency, link=link, url=unsubscribe_url)


def _footer(language: str, channel: str) -> str:
    """The unsubscribe line of `channel` in `language`, with %(agency)s and %(url)s to fill."""
    with translation.override(language):
        if channel == OutreachChannel.EMAIL:
            return gettext("You receive this message from %(agency)s. To receive no more: %(url)s")
        return gettext("Stop: %(url)s")


def _render(
    message: CampaignMessage, channel: str, footer: str, *, msme_name: str, agency: str, link: str, url: str
) -> Rendered:
    values = {"msme": msme_name, "link": link, "agency": agency}
    if channel == OutreachChannel.EMAIL:
        body = fill(message.body, values).rstrip() + "\n\n-- \n" + footer % {"agency": agency, "url": url} + "\n"
        headers = {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": ONE_CLICK}
        # A line break from a filled-in name would break the header (or add one): the subject is one line.
        subject = " ".join(fill(message.subject, values).splitlines()).strip()
        return Rendered(message.language, subject, body, headers)
    text = fill(message.short_text, values) if message.short_text.strip() else shorten(fill(message.body, values))
    stop = footer % {"url": url}
    return Rendered(message.language, "", f"{text.strip()} {stop}", {})


class BatchRenderer:
    """`render` for the many messages of one campaign on one channel (a batch): the campaign's link target is
    read once, and the unsubscribe line translated once per language, not once per message."""

    def __init__(self, campaign: Campaign, *, channel: str, agency: str) -> None:
        self.channel = channel
        self.agency = agency
        self.campaign = campaign
        self._link: Callable[[Any], str] | None = None  # read at the first message: none when all are skipped
        self._footers: dict[str, str] = {}

    def link(self, msme: Any) -> str:
        if self._link is None:
            self._link = campaign_links(self.campaign)
        return self._link(msme)

    def render(self, message: CampaignMessage, *, msme: Any, msme_name: str, unsubscribe_url: str) -> Rendered:
        footer = self._footers.get(message.language)
        if footer is None:
            footer = self._footers[message.language] = _footer(message.language, self.channel)
        return _render(
            message,
            self.channel,
            footer,
            msme_name=msme_name,
            agency=self.agency,
            link=self.link(msme),
            url=unsubscribe_url,
        )


def outgoing(rendered: Rendered, *, channel: str, to: str, reference: str) -> OutgoingMessage:
    headers = dict(rendered.headers)
    if channel == OutreachChannel.EMAIL and reference:
        headers[REFERENCE_HEADER] = reference  # how a file backend finds, after a crash, what it already wrote
    return OutgoingMessage(
        channel=channel, to=to, subject=rendered.subject, body=rendered.body, headers=headers, reference=reference
    )
