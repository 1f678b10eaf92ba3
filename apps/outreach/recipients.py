"""Who a message goes to, on which channel, at which address, in which language.

An MSME states its preferred channel and language in the registry; where it states none, its agency's first
outreach channel and first language are used. The people who act for an MSME (its members) are reached on
the MSME's channel: e-mail at their own address, SMS and WhatsApp at the MSME's phone number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from apps.outreach.channels import ELECTRONIC_CHANNELS
from apps.outreach.languages import message_language
from apps.registry.models import Msme, MsmeMember
from apps.tenants.models import OutreachChannel, Tenant

_PHONE_JUNK = re.compile(r"[\s().\-/]")
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")  # E.164: at most 15 digits


def portal_languages() -> frozenset[str]:
    return frozenset(code for code, _name in settings.LANGUAGES)


def tenant_language(tenant: Tenant) -> str:
    """The agency's first language the portal speaks, else the portal's default."""
    for code in tenant.languages or []:
        if code in portal_languages():
            return code
    return settings.LANGUAGE_CODE.split("-")[0]


def msme_language(msme: Msme, tenant: Tenant) -> str:
    """The language to write to `msme` in: its own if the portal speaks it, else its agency's."""
    if msme.preferred_language in portal_languages():
        return msme.preferred_language
    return tenant_language(tenant)


def msme_message_language(msme: Msme, tenant: Tenant) -> str:
    """The language of the campaign message `msme` is sent: its own, any the registry accepts (a campaign may
    have a message in it; else the campaign's fallback is sent), else its agency's.

    msme_language stays the language of the portal's own words to the MSME (an event's confirmation): those
    exist only in the portal's languages."""
    return message_language(msme.preferred_language) or tenant_language(tenant)


def msme_channel(msme: Msme, tenant: Tenant) -> str:
    """The channel to reach `msme` on: its own choice, else its agency's first, else e-mail."""
    if msme.preferred_channel:
        return msme.preferred_channel
    channels = tenant.outreach_channels or []
    return channels[0] if channels else OutreachChannel.EMAIL.value


def phone_address(phone: str) -> str:
    """`phone` as digits with an optional leading +, or "" when it cannot be a phone number."""
    cleaned = _PHONE_JUNK.sub("", phone or "")
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    return cleaned if _PHONE.match(cleaned) else ""


def msme_address(msme: Msme, channel: str) -> str:
    """The MSME's address on `channel`, or "" when it has none there (or the channel is not electronic)."""
    if channel == OutreachChannel.EMAIL:
        return msme.email.strip()
    if channel in ELECTRONIC_CHANNELS:
        return phone_address(msme.phone)
    return ""


@dataclass(frozen=True)
class Recipient:
    channel: str
    address: str  # "" when there is none on the channel: the caller skips and counts it
    language: str
    user: Any = None  # the member reached, or None for the MSME's own address


def msme_recipient(msme: Msme, tenant: Tenant) -> Recipient:
    channel = msme_channel(msme, tenant)
    return Recipient(channel=channel, address=msme_address(msme, channel), language=msme_language(msme, tenant))


def _members(msme: Msme) -> list[MsmeMember]:
    """The MSME's members, oldest first: from `prefetch_related("members__user")` when the caller loaded them
    for a whole batch of MSMEs, else with one query."""
    prefetched = getattr(msme, "_prefetched_objects_cache", {}).get("members")
    if prefetched is not None:
        return sorted(prefetched, key=lambda member: member.created_at)
    return list(MsmeMember.objects.filter(msme=msme).select_related("user").order_by("created_at"))


def member_recipients(msme: Msme, tenant: Tenant) -> list[Recipient]:
    """The MSME's members, each on the MSME's channel and in its language (members are prefetched if loaded)."""
    channel = msme_channel(msme, tenant)
    language = msme_language(msme, tenant)
    recipients = []
    for member in _members(msme):
        user = member.user
        if not user.is_active:
            continue
        address = user.email if channel == OutreachChannel.EMAIL else msme_address(msme, channel)
        recipients.append(Recipient(channel=channel, address=address, language=language, user=user))
    return recipients
