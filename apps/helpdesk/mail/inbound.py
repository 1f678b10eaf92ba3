"""Replies by e-mail: a message to a ticket's reply address (or answering one of its notifications) is posted on
that ticket as the person who wrote it, through the same service and policies as a reply on the page.

`process_inbound(raw)` reads one delivered message and answers what became of it:

- **posted**: on the ticket, as a public reply of its author (the MSME's member, or an agent: then an agent's
  answer); files kept through `apps.helpdesk.files.attach`; a file refused by its content is dropped, named in
  the outcome and in an internal note on the ticket, and the reply is posted all the same;
- **ignored**: an auto-reply, a bounce or a list mail (never answered: no mail loops);
- **refused**: with a reason code and text, logged at WARNING and recorded as a `RefusedEmail` (no body kept):
  unreadable or too large, a forged or tampered reply address or reference, references naming another ticket
  than the address, a ticket that does not exist, a sender who is not the user the address was made for, a
  message already posted (same Message-ID: a replay), a ticket the sender may no longer answer (closed,
  merged, moved out of their division). Nothing is ever sent back to a refused sender (no backscatter).

Which ticket: the signed reply address among the recipients names the ticket and the user; without one, our
signed Message-ID in In-Reply-To or References names the ticket and the sender is the active user with the From
address, whom the reply policy must then accept. Finding the ticket crosses tenants: only its tenant's id is
read across them (`unscoped`), then everything runs in the scope the sender works in: the ticket's tenant, or
for a division's agent their division (the ticket is routed there).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email import policy
from email.parser import BytesHeaderParser
from email.utils import parseaddr
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.policies import can
from apps.helpdesk import files, rules, services
from apps.helpdesk.attachments import AttachmentRefused
from apps.helpdesk.mail.addresses import (
    ForgedReplyAddress,
    find_reply_token,
    message_fingerprint,
    ticket_from_references,
)
from apps.helpdesk.mail.parsing import EmailRejected, EmailTooLarge, InboundEmail, parse_email
from apps.helpdesk.models import Message, RefusedEmail, Status, Ticket
from apps.tenants.context import division_context, tenant_context, unscoped
from apps.tenants.models import Membership, Tenant
from apps.tenants.scope import Actor, ScopeKind, actor_for, role_for

logger = logging.getLogger(__name__)

POSTED = "posted"
IGNORED = "ignored"
REFUSED = "refused"

# Reason codes of a refusal (RefusedEmail.reason_code); a forged address adds ForgedReplyAddress's code.
TOO_LARGE = "too_large"
UNREADABLE = "unreadable"
FORGED = "forged"
NO_TICKET = "no_ticket"
TWO_TICKETS = "two_tickets"
UNKNOWN_TICKET = "unknown_ticket"
UNKNOWN_SENDER = "unknown_sender"
WRONG_SENDER = "wrong_sender"
REPLAY = "replay"
CLOSED = "closed"
NOT_ALLOWED = "not_allowed"
INVALID = "invalid"

# Headers read from a message refused before parsing: the first bytes hold them.
_HEADER_BYTES = 64 * 1024
_TRUNCATED = "\n\n[…]"


@dataclass(frozen=True)
class DroppedFile:
    name: str
    code: str
    reason: str


@dataclass(frozen=True)
class InboundOutcome:
    status: str  # POSTED, IGNORED or REFUSED
    code: str = ""  # why it was ignored or refused
    reason: str = ""
    ticket_id: uuid.UUID | None = None
    message_id: uuid.UUID | None = None  # the timeline entry posted
    attachments: int = 0  # files kept
    dropped: tuple[DroppedFile, ...] = ()
    refused_id: int | None = None  # the RefusedEmail row

    @property
    def posted(self) -> bool:
        return self.status == POSTED


class _Refused(Exception):
    def __init__(self, code: str, reason: str, ticket_id: uuid.UUID | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.reason = reason
        self.ticket_id = ticket_id


def process_inbound(raw: bytes) -> InboundOutcome:
    """Read one delivered message and post it on its ticket, ignore it, or refuse and record it (module docstring)."""
    try:
        parsed = parse_email(raw)
    except EmailRejected as error:
        sender, subject, message_id = _headers_only(raw)
        fingerprint = message_fingerprint(
            SimpleNamespace(message_id=message_id, raw_sha256=hashlib.sha256(raw).hexdigest())
        )
        code = TOO_LARGE if isinstance(error, EmailTooLarge) else UNREADABLE
        return _refuse(code, f"{error.reason} ({error.code})", sender=sender, subject=subject, fingerprint=fingerprint)
    fingerprint = message_fingerprint(parsed)
    if parsed.auto_submitted:
        logger.info("Helpdesk e-mail %s from %s ignored: sent automatically", fingerprint, parsed.from_address)
        return InboundOutcome(IGNORED, code="auto_submitted", reason=_("Sent automatically (auto-reply or bounce)."))
    try:
        with transaction.atomic():
            return _post(parsed, fingerprint)
    except _Refused as refusal:
        return _refuse(
            refusal.code,
            refusal.reason,
            sender=parsed.from_address,
            subject=parsed.subject,
            fingerprint=fingerprint,
            ticket_id=refusal.ticket_id,
        )


def _ticket_named(parsed: InboundEmail) -> tuple[uuid.UUID, int | None]:
    """The ticket the message answers, and the user its reply address was made for (None: no address)."""
    try:
        token = find_reply_token(parsed.recipients)
        referenced = ticket_from_references(parsed.in_reply_to, parsed.references)
    except ForgedReplyAddress as error:
        raise _Refused(f"{FORGED}_{error.code}", str(error.reason)) from None
    if token is not None and referenced is not None and token.ticket_id != referenced:
        raise _Refused(TWO_TICKETS, _("The reply address and the message references name different tickets."))
    if token is not None:
        return token.ticket_id, token.user_id
    if referenced is not None:
        return referenced, None
    raise _Refused(NO_TICKET, _("The message is not a reply to a ticket (no reply address, no ticket reference)."))


def _sender(parsed: InboundEmail, user_id: int | None, ticket_id: uuid.UUID) -> Any:
    """The user who wrote: the one the reply address names, whose e-mail must be the From address; without an
    address, the one active user with the From address."""
    users = get_user_model().objects.filter(is_active=True)
    sender = parsed.from_address.strip().lower()
    if user_id is not None:
        user = users.filter(pk=user_id).first()
        if user is None:
            raise _Refused(UNKNOWN_SENDER, _("The reply address names no active user."), ticket_id)
        if not sender or (user.email or "").strip().lower() != sender:
            raise _Refused(
                WRONG_SENDER, _("The message is not from the person the reply address was sent to."), ticket_id
            )
        return user
    found = list(users.filter(email__iexact=sender)[:2]) if sender else []
    if len(found) != 1:
        raise _Refused(UNKNOWN_SENDER, _("The sender's address belongs to no single active user."), ticket_id)
    return found[0]


def _actor(user: Any, tenant: Tenant) -> Actor:
    """The actor as the middleware builds it for `user` working in `tenant` (or, with no membership there, in
    their division)."""
    membership = Membership.objects.select_related("tenant").filter(user=user, tenant=tenant).first()
    return actor_for(user, role_for(user, membership), membership)


def _post(parsed: InboundEmail, fingerprint: str) -> InboundOutcome:
    ticket_id, user_id = _ticket_named(parsed)
    with unscoped("helpdesk e-mail: the tenant of the ticket a reply names (its tenant id only)"):
        tenant_id = Ticket.objects.filter(pk=ticket_id).values_list("tenant_id", flat=True).first()
    tenant = Tenant.objects.filter(pk=tenant_id, is_active=True).first() if tenant_id is not None else None
    if tenant is None:
        raise _Refused(UNKNOWN_TICKET, _("The ticket the message answers does not exist."), ticket_id)
    user = _sender(parsed, user_id, ticket_id)
    actor = _actor(user, tenant)
    if actor.scope.kind == ScopeKind.TENANT and actor.tenant == tenant:
        scope = tenant_context(tenant)
    elif actor.scope.kind == ScopeKind.DIVISION:
        scope = division_context(actor.division)  # a division's agent: the ticket is routed to their division
    else:
        raise _Refused(NOT_ALLOWED, _("The sender may not answer this ticket."), ticket_id)
    with scope:
        return _post_as(actor, parsed, fingerprint, ticket_id)


def _post_as(actor: Actor, parsed: InboundEmail, fingerprint: str, ticket_id: uuid.UUID) -> InboundOutcome:
    ticket = Ticket.objects.select_related("queue", "requester", "assignee").filter(pk=ticket_id).first()
    if ticket is None:  # no longer routed to the sender's division
        raise _Refused(NOT_ALLOWED, _("The sender may not answer this ticket."), ticket_id)
    if Message.objects.filter(tenant_id=ticket.tenant_id, email_fingerprint=fingerprint).exists():
        raise _Refused(REPLAY, _("This message was posted already."), ticket_id)
    if not can(actor, "helpdesk.reply", ticket):
        if ticket.status == Status.CLOSED or ticket.merged_into_id is not None:
            raise _Refused(CLOSED, _("The ticket is closed."), ticket_id)
        raise _Refused(NOT_ALLOWED, _("The sender may not answer this ticket."), ticket_id)
    # The queue's language: the note below is for its agents.
    with translation.override(ticket.queue.language):
        body = _body(parsed)
        try:
            with transaction.atomic():
                message = services.ticket_reply(
                    actor=actor, ticket=ticket, body=body, via=Message.Via.EMAIL, fingerprint=fingerprint
                )
        except IntegrityError:  # posted meanwhile by another reader of the mailbox
            raise _Refused(REPLAY, _("This message was posted already."), ticket_id) from None
        except PermissionDenied as error:
            raise _Refused(NOT_ALLOWED, str(error), ticket_id) from None
        except ValidationError as error:
            raise _Refused(INVALID, " ".join(error.messages), ticket_id) from None
        kept, dropped = 0, []
        for attachment in parsed.attachments:
            try:
                files.attach(ticket=ticket, message=message, name=attachment.filename, data_or_file=attachment.data)
            except AttachmentRefused as error:
                dropped.append(DroppedFile(attachment.filename, error.code, error.reason))
            else:
                kept += 1
        if dropped:
            lines = [_("Files sent with the e-mail reply were not kept:")]
            lines += [f"- {file.name}: {file.reason}" for file in dropped]
            services.ticket_system_note(ticket=ticket, body="\n".join(lines), via=Message.Via.EMAIL)
    logger.info(
        "Helpdesk e-mail %s posted on ticket %s (%d files kept, %d dropped)", fingerprint, ticket.pk, kept, len(dropped)
    )
    return InboundOutcome(POSTED, ticket_id=ticket.pk, message_id=message.pk, attachments=kept, dropped=tuple(dropped))


def _body(parsed: InboundEmail) -> str:
    """The reply's text; a message with files and no text of its own still says what it is."""
    text = parsed.text.strip()
    if not text and parsed.attachments:
        text = _("(Files sent by e-mail.)")
    if len(text) > rules.BODY_MAX:
        text = text[: rules.BODY_MAX - len(_TRUNCATED)] + _TRUNCATED
    return text


def _refuse(
    code: str,
    reason: str,
    *,
    sender: str,
    subject: str,
    fingerprint: str,
    ticket_id: uuid.UUID | None = None,
) -> InboundOutcome:
    logger.warning(
        "Helpdesk e-mail %s from %s refused (%s%s): %s",
        fingerprint,
        sender or "(no sender)",
        code,
        f", ticket {ticket_id}" if ticket_id else "",
        reason,
    )
    with transaction.atomic():
        refused = RefusedEmail.objects.create(
            sender=sender[:320],
            subject=subject[: RefusedEmail._meta.get_field("subject").max_length],
            reason_code=code[:40],
            reason=reason[:500],
            fingerprint=fingerprint[:255],
        )
    return InboundOutcome(REFUSED, code=code, reason=reason, ticket_id=ticket_id, refused_id=refused.pk)


def _text(value: Any) -> str:
    """A header value safe to store: no NULs, no lone surrogates."""
    return str(value or "").encode("utf-8", "replace").decode("utf-8").replace("\x00", "").strip()


def _headers_only(raw: bytes) -> tuple[str, str, str]:
    """(sender, subject, Message-ID) of a message not parsed as a whole (too large, too complex): its headers."""
    try:
        headers = BytesHeaderParser(policy=policy.default).parsebytes(raw[:_HEADER_BYTES])
        sender = parseaddr(_text(headers.get("From")))[1].lower()
        return sender, _text(headers.get("Subject")), _text(headers.get("Message-ID"))
    except Exception:  # headers too broken even for that: the refusal is recorded without them
        return "", "", ""


def refused_emails_purge(*, now: Any = None) -> int:
    """Delete the records of refused e-mails older than HELPDESK_REFUSED_EMAIL_RETENTION_DAYS (their sender and
    subject are personal data, kept only for the operators' review); returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HELPDESK_REFUSED_EMAIL_RETENTION_DAYS)
    deleted, _by_model = RefusedEmail.objects.filter(received_at__lt=cutoff).delete()
    return deleted
