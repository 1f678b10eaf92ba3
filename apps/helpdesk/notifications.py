"""E-mails about tickets: to the MSME that asked, in the language it asked in, and to the agents, in
their queue's first language. Sent by a Celery task after the write commits; internal notes are never
in an e-mail to the MSME.

Every e-mail about a ticket is threaded and answerable (`apps.helpdesk.mail.addresses`): its Message-ID is
signed and names the ticket, In-Reply-To and References name the ticket's thread root (so mail clients
show one conversation per ticket), and a recipient who is a user gets their own signed Reply-To, which
`apps.helpdesk.mail.inbound` reads back to post the answer on the ticket as that user.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from email.utils import parseaddr
from typing import Any, NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from apps.helpdesk.mail.addresses import notification_message_id, reply_address
from apps.helpdesk.models import Message, Queue, QueueAgent, Ticket
from apps.tenants.models import Tenant
from apps.tenants.tasks import tenant_task

# Who hears of what: the MSME of answers, agents of questions and of their work.
TO_REQUESTER = frozenset({"agent_replied", "ticket_resolved"})
TO_AGENTS = frozenset({"ticket_opened", "customer_replied", "ticket_assigned", "ticket_transferred", "sla_warning"})
TO_LEAD = frozenset({"sla_breach"})

_muted: ContextVar[bool] = ContextVar("helpdesk_notifications_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """No e-mail for the writes inside: the demo data's tickets are history that nobody waits on."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def after_commit(event: str, ticket: Ticket, *, message: Message | None = None) -> None:
    """Send `event`'s e-mails about `ticket` once the current transaction commits."""
    if _muted.get():
        return
    if message is not None and message.kind != Message.Kind.REPLY:
        return
    tenant_id, ticket_id = ticket.tenant_id, str(ticket.pk)
    message_id = str(message.pk) if message is not None else None
    transaction.on_commit(lambda: send_ticket_email.delay(tenant_id, event, ticket_id, message_id))


def _agents(ticket: Ticket) -> list[tuple[Any, str]]:
    queue: Queue = ticket.queue
    language = queue.language
    if ticket.assignee is not None:
        return [(ticket.assignee, language)]
    return [(m.user, language) for m in QueueAgent.objects.serving().filter(queue=queue).select_related("user")]


def _lead(ticket: Ticket) -> list[tuple[Any, str]]:
    from apps.helpdesk.routing import lead_of

    lead = lead_of(ticket.queue)
    return [(lead, ticket.queue.language)] if lead else []


class Recipient(NamedTuple):
    user: Any  # None: an address with no account behind it (a requester whose account was deleted)
    address: str
    language: str


def _recipients(event: str, ticket: Ticket) -> list[Recipient]:
    if event in TO_REQUESTER:
        user = ticket.requester
        address = user.email if user is not None else ticket.requester_email
        # A deactivated account gets no reply address: its replies would be refused.
        user = user if user is not None and user.is_active else None
        return [Recipient(user, address, ticket.language)] if address else []
    people = _agents(ticket) if event in TO_AGENTS else _lead(ticket) if event in TO_LEAD else []
    return [Recipient(user, user.email, language) for user, language in people if user.email]


def recipients(event: str, ticket: Ticket) -> list[tuple[str, str]]:
    """(address, language) for each person `event` concerns."""
    return [(recipient.address, recipient.language) for recipient in _recipients(event, ticket)]


def mail_domain() -> str:
    """The domain our Message-IDs and reply addresses are made on: the first of `HELPDESK_REPLY_DOMAINS`,
    else the domain of `DEFAULT_FROM_EMAIL` (the reader accepts all of them)."""
    configured = getattr(settings, "HELPDESK_REPLY_DOMAINS", None) or []
    if isinstance(configured, str):
        configured = [configured]
    domains = [domain.strip() for domain in configured if domain and domain.strip()]
    if domains:
        return domains[0]
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL or "")
    return address.rpartition("@")[2] or "localhost"


def thread_root_id(ticket: Ticket) -> str:
    """The Message-ID every e-mail about `ticket` answers: the same for the ticket's whole life."""
    return notification_message_id(ticket.pk, ticket.pk, mail_domain())


def thread_headers(event: str, ticket: Ticket, message: Message | None, recipient: Recipient) -> dict[str, str]:
    """Message-ID, In-Reply-To, References and (for a user) Reply-To of one e-mail about `ticket`."""
    domain = mail_domain()
    root = thread_root_id(ticket)
    if event == "ticket_opened" and message is None:
        headers = {"Message-ID": root}  # the first e-mail about the ticket starts its thread
    else:
        # About a timeline entry: one Message-ID per entry and address, so a retried send is a duplicate
        # that mail servers drop; about an event: a new one each time (a ticket is assigned more than once).
        unique = uuid.uuid5(message.pk, recipient.address.lower()) if message is not None else uuid.uuid4()
        headers = {
            "Message-ID": notification_message_id(ticket.pk, unique, domain),
            "In-Reply-To": root,
            "References": root,
        }
    if recipient.user is not None:
        headers["Reply-To"] = reply_address(ticket.pk, recipient.user.pk, domain=domain)
    return headers


def subject_for(event: str, ticket: Ticket) -> str:
    subjects = {
        "ticket_opened": _("New ticket %(ref)s: %(subject)s"),
        "customer_replied": _("The MSME replied on %(ref)s: %(subject)s"),
        "agent_replied": _("An answer to your question %(ref)s: %(subject)s"),
        "ticket_resolved": _("Your question %(ref)s is resolved: %(subject)s"),
        "ticket_assigned": _("Ticket %(ref)s is assigned to you: %(subject)s"),
        "ticket_transferred": _("Ticket %(ref)s was transferred to your queue: %(subject)s"),
        "sla_warning": _("Due soon: ticket %(ref)s: %(subject)s"),
        "sla_breach": _("Overdue, escalated to you: ticket %(ref)s: %(subject)s"),
    }
    return subjects[event] % {"ref": ticket.reference, "subject": ticket.subject}


def body_for(event: str, ticket: Ticket, message: Message | None) -> str:
    lines = [subject_for(event, ticket), ""]
    if message is not None and message.kind == Message.Kind.REPLY:
        lines += [message.body, ""]
    elif event == "ticket_opened":
        lines += [ticket.body, ""]
    if event == "ticket_resolved":
        lines += [_("If the answer helped, or did not, tell us on the ticket's page."), ""]
    if event in TO_REQUESTER:
        lines += [_("Reply to this e-mail to answer; your reply is added to the ticket."), ""]
    lines.append(settings.PORTAL_URL.rstrip("/") + f"/helpdesk/tickets/{ticket.pk}/")
    return "\n".join(lines)


@tenant_task(name="helpdesk.send_ticket_email")
def send_ticket_email(tenant: Tenant, event: str, ticket_id: str, message_id: str | None) -> int:
    ticket = Ticket.objects.select_related("queue", "requester", "assignee").filter(pk=ticket_id).first()
    if ticket is None:
        return 0
    message = Message.objects.filter(pk=message_id, ticket=ticket).first() if message_id else None
    if message is not None and message.kind == Message.Kind.NOTE:
        return 0  # never an internal note, whoever asks
    sent = 0
    for recipient in _recipients(event, ticket):
        headers = thread_headers(event, ticket, message, recipient)
        reply_to = [headers.pop("Reply-To")] if "Reply-To" in headers else []
        with translation.override(recipient.language):
            email = EmailMessage(
                subject_for(event, ticket),
                body_for(event, ticket, message),
                to=[recipient.address],
                reply_to=reply_to,
                headers=headers,
            )
        # Auto-responders do not answer a message marked so (RFC 3834): no out-of-office loop on a ticket.
        email.extra_headers["Auto-Submitted"] = "auto-generated"
        sent += email.send()
    return sent
