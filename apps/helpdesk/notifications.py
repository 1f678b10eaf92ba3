"""E-mails about tickets: to the MSME that asked, in the language it asked in, and to the agents, in
their queue's first language. Sent by a Celery task after the write commits; internal notes are never
in an e-mail to the MSME."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

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
    language = (queue.languages or [settings.LANGUAGE_CODE])[0]
    if ticket.assignee is not None:
        return [(ticket.assignee, language)]
    return [
        (m.user, language) for m in QueueAgent.objects.filter(queue=queue, user__is_active=True).select_related("user")
    ]


def _lead(ticket: Ticket) -> list[tuple[Any, str]]:
    from apps.helpdesk.routing import lead_of

    lead = lead_of(ticket.queue)
    return [(lead, (ticket.queue.languages or [settings.LANGUAGE_CODE])[0])] if lead else []


def recipients(event: str, ticket: Ticket) -> list[tuple[str, str]]:
    """(address, language) for each person `event` concerns."""
    if event in TO_REQUESTER:
        address = ticket.requester.email if ticket.requester else ticket.requester_email
        return [(address, ticket.language)] if address else []
    people = _agents(ticket) if event in TO_AGENTS else _lead(ticket) if event in TO_LEAD else []
    return [(user.email, language) for user, language in people if user.email]


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
        lines += [_("Reply to this e-mail to answer; keep the ticket reference in the subject."), ""]
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
    for address, language in recipients(event, ticket):
        with translation.override(language):
            email = EmailMessage(subject_for(event, ticket), body_for(event, ticket, message), to=[address])
        email.extra_headers["Auto-Submitted"] = "auto-generated"
        sent += email.send()
    return sent
