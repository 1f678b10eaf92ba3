"""The text of a deadline reminder, in the recipient's language: the asset, the deadline, its date (in the
language's date format) and a link to the asset's page."""

from __future__ import annotations

from datetime import date
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.outreach.channels import OutgoingMessage
from apps.outreach.links import absolute_url
from apps.registry.deadlines import Deadline
from apps.registry.models import IpAsset, Msme
from apps.tenants.models import OutreachChannel


def asset_url(msme_id: object, asset_id: object) -> str:
    """The asset's page (its dates, which the deadlines are worked out from), on the portal's public address."""
    return absolute_url(reverse("registry:asset-edit", args=[msme_id, asset_id]))


def settings_url() -> str:
    return absolute_url(reverse("reminders:index"))


def _days_left(due: date, today: date) -> str:
    days = (due - today).days
    if days == 0:
        return _("today")
    return ngettext("in %(days)d day", "in %(days)d days", days) % {"days": days}


def subject(deadline: Deadline, asset: IpAsset) -> str:
    return _("Reminder: %(deadline)s for %(asset)s on %(date)s") % {
        "deadline": deadline.label,
        "asset": asset.title,
        "date": date_format(deadline.due, "DATE_FORMAT"),
    }


def body(deadline: Deadline, asset: IpAsset, msme: Msme, *, today: date, short: bool = False) -> str:
    when = _("%(deadline)s for “%(asset)s” (%(msme)s) is due on %(date)s, %(left)s.") % {
        "deadline": deadline.label,
        "asset": asset.title,
        "msme": msme.name,
        "date": date_format(deadline.due, "DATE_FORMAT"),
        "left": _days_left(deadline.due, today),
    }
    link = _("The asset and its dates: %(url)s") % {"url": asset_url(msme.pk, asset.pk)}
    if short:  # an SMS or a WhatsApp message: the date and the link
        return f"{when} {link}"
    lines = [
        _("Hello,"),
        "",
        when,
        "",
        link,
        "",
        _(
            "The portal works this date out from the dates in your IP asset register. Check it with the IP office "
            "before you file or pay."
        ),
        "",
        _(
            "You receive this reminder because your business keeps its IP asset register on the portal. "
            "Choose which reminders you get, or stop them: %(url)s"
        )
        % {"url": settings_url()},
    ]
    return "\n".join(lines)


def message_id(reference: str) -> str:
    """One Message-ID per reminder row: a retried send is then a duplicate that mail servers can drop."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL or "")
    domain = address.rpartition("@")[2] or "localhost"
    return f"<reminder-{reference}@{domain}>"


def outgoing(
    *,
    channel: str,
    address: str,
    language: str,
    reference: str,
    deadline: Deadline,
    asset: IpAsset,
    msme: Msme,
    today: date,
) -> OutgoingMessage:
    with translation.override(language):
        if channel == OutreachChannel.EMAIL:
            return OutgoingMessage(
                channel=channel,
                to=address,
                subject=subject(deadline, asset),
                body=body(deadline, asset, msme, today=today),
                headers={"Message-ID": message_id(reference), "Auto-Submitted": "auto-generated"},
                reference=reference,
            )
        return OutgoingMessage(
            channel=channel,
            to=address,
            subject="",
            body=body(deadline, asset, msme, today=today, short=True),
            reference=reference,
        )
