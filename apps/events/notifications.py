"""The messages to a registered person: confirmation (with the invitation), waiting list, a seat freed,
an update, a cancellation, the reminder the day before and the feedback request after the event.

Each goes on the MSME's channel and in its language (apps.outreach.recipients): by e-mail to the registered
person's own address (with the .ics attached), by SMS or WhatsApp to the MSME's phone. A registration with
no address on that channel, or whose MSME prefers post, is skipped and counted.

The messages are written to the outbox (apps.outreach.outbox) in the transaction that calls for them (a
registration and its confirmation commit together) and sent once after it commits: a broker that is down or
a worker that dies delays them, loses none and sends none twice. A message's key names the kind, the
registration and the event's revision (`sequence`), so a second change of the event is a second message and
the same change asked twice is one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import batched
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from apps.events.invitations import event_url, invitation, invitation_filename
from apps.events.models import Registration
from apps.events.tokens import feedback_token
from apps.outreach import outbox
from apps.outreach.channels import ELECTRONIC_CHANNELS, OutgoingMessage
from apps.outreach.links import absolute_url
from apps.outreach.recipients import msme_address, msme_channel, msme_language
from apps.tenants.models import OutreachChannel, Tenant

KINDS = ("confirmed", "waiting", "promoted", "updated", "event_cancelled", "reminder", "feedback")


# Why a message was not sent, as its outbox row records it.
SKIP_NOT_ELECTRONIC = "prefers a channel the portal does not send on"
SKIP_NO_ADDRESS = "no address on the channel"
# Registrations read per query when their messages are written.
CHUNK = 500


@dataclass
class Queued:
    queued: int = 0
    skipped: int = 0


def when(registration: Registration) -> str:
    """The event's start, in its own time zone, with the zone named."""
    event = registration.event
    local = timezone.localtime(event.starts_at, timezone=ZoneInfo(event.time_zone))
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({event.time_zone})"


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def feedback_url(registration: Registration) -> str:
    token = feedback_token(tenant_id=registration.tenant_id, registration_id=str(registration.pk))
    return absolute_url(reverse("events:feedback", kwargs={"token": token}))


def _texts(kind: str, registration: Registration) -> tuple[str, str]:
    """(subject, first paragraph) of a message of `kind`, in the active language."""
    title = registration.event.title
    values = {"title": title, "when": when(registration), "msme": registration.msme.name}
    texts = {
        "confirmed": (
            _("Registered: %(title)s") % values,
            _("%(msme)s is registered for %(title)s, on %(when)s. The invitation is attached.") % values,
        ),
        "waiting": (
            _("Waiting list: %(title)s") % values,
            _("%(title)s is full: %(msme)s is on the waiting list and will be told if a seat is freed.") % values,
        ),
        "promoted": (
            _("A seat for you: %(title)s") % values,
            _("A seat was freed: %(msme)s is now registered for %(title)s, on %(when)s.") % values,
        ),
        "updated": (
            _("Changed: %(title)s") % values,
            _("%(title)s has changed: it now takes place on %(when)s. The updated invitation is attached.") % values,
        ),
        "event_cancelled": (
            _("Cancelled: %(title)s") % values,
            _("%(title)s, planned on %(when)s, is cancelled. We are sorry.") % values,
        ),
        "reminder": (
            _("Reminder: %(title)s") % values,
            _("%(title)s starts on %(when)s.") % values,
        ),
        "feedback": (
            _("How was %(title)s?") % values,
            _("Thank you for taking part in %(title)s. Tell us in a minute how it went:") % values,
        ),
    }
    return texts[kind]


def message_text(kind: str, registration: Registration) -> tuple[str, str]:
    """(subject, body) of a message of `kind` to `registration`'s person, in the active language."""
    event = registration.event
    subject, opening = _texts(kind, registration)
    lines = [opening, ""]
    if kind == "feedback":
        lines += [feedback_url(registration), ""]
    elif kind != "event_cancelled":
        if event.online_url:
            lines.append(_("Online: %(url)s") % {"url": event.online_url})
        if event.place:
            lines.append(_("Where: %(place)s") % {"place": event.place})
        lines += ["", _("Details, and to cancel: %(url)s") % {"url": event_url(event)}, ""]
    return subject, "\n".join(lines)


def _address(registration: Registration, channel: str) -> str:
    if channel == OutreachChannel.EMAIL:
        user = registration.user
        if user is not None and user.is_active and user.email:
            return user.email
        return registration.email or registration.msme.email
    return msme_address(registration.msme, channel)


def outgoing(kind: str, registration: Registration, tenant: Tenant) -> OutgoingMessage | None:
    """The message of `kind` for `registration`, or None when its MSME cannot be reached electronically."""
    channel = msme_channel(registration.msme, tenant)
    if channel not in ELECTRONIC_CHANNELS:
        return None
    address = _address(registration, channel)
    if not address:
        return None
    with translation.override(msme_language(registration.msme, tenant)):
        subject, body = message_text(kind, registration)
    attachments: tuple[tuple[str, bytes, str], ...] = ()
    if channel == OutreachChannel.EMAIL and kind in ("confirmed", "promoted", "updated", "event_cancelled"):
        method = "CANCEL" if registration.event.is_cancelled else "PUBLISH"
        attachments = (
            (
                invitation_filename(registration.event),
                invitation(registration.event),
                f"text/calendar; method={method}",
            ),
        )
    if channel != OutreachChannel.EMAIL:
        body = subject + "\n" + body
    return OutgoingMessage(
        channel=channel,
        to=address,
        subject=subject,
        body=body,
        headers={"Auto-Submitted": "auto-generated"} if channel == OutreachChannel.EMAIL else {},
        reference=f"event-{kind}-{registration.pk}",
        attachments=attachments,
    )


def message_key(kind: str, registration: Registration) -> str:
    """The message's name in the tenant's outbox: one per kind, registration and revision of the event."""
    return f"events:{kind}:{registration.pk}:{registration.event.sequence}"


def outbox_message(kind: str, registration: Registration, tenant: Tenant) -> outbox.Message:
    """The outbox message of `kind` for `registration`: to send, or skipped with the reason."""
    key = message_key(kind, registration)
    channel = msme_channel(registration.msme, tenant)
    language = msme_language(registration.msme, tenant)
    if channel not in ELECTRONIC_CHANNELS:
        return outbox.skipped(key, SKIP_NOT_ELECTRONIC, channel=channel, language=language)
    message = outgoing(kind, registration, tenant)
    if message is None:
        return outbox.skipped(key, SKIP_NO_ADDRESS, channel=channel, language=language)
    return outbox.message_of(key, message, language=language)


# The messages a cancelled registration no longer needs, if they have not gone out yet.
WITHDRAWN_ON_CANCEL = ("confirmed", "waiting", "promoted", "updated", "reminder")
SKIP_CANCELLED = "the registration was cancelled before it was sent"


def withdraw_for(registration: Registration) -> int:
    """The registration's messages still waiting in the outbox, skipped: it was cancelled."""
    return outbox.withdraw([f"events:{kind}:{registration.pk}:" for kind in WITHDRAWN_ON_CANCEL], SKIP_CANCELLED)


def enqueue(kind: str, registration_ids: Iterable[object], tenant: Tenant) -> Queued:
    """Write the messages of `kind` to these registrations' people to the outbox, in the caller's transaction
    (they are sent once it commits). Registrations cancelled are left out, except from an event's
    cancellation notice (it goes to all it is given)."""
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    counts = Queued()
    for chunk in batched([str(pk) for pk in registration_ids], CHUNK):
        registrations = Registration.objects.filter(pk__in=chunk).select_related("event", "msme", "user")
        if kind != "event_cancelled":
            registrations = registrations.exclude(status=Registration.Status.CANCELLED)
        messages = [outbox_message(kind, r, tenant) for r in registrations.order_by("created_at", "id")]
        outbox.enqueue(messages)
        skipped = sum(1 for message in messages if message.skip_reason)
        counts.skipped += skipped
        counts.queued += len(messages) - skipped
    return counts
