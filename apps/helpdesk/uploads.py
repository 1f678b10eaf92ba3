"""Files an MSME attaches to a ticket or a reply: a minimal check of what the bytes are (never the name),
and the rows that keep them on the tenant's private storage.

The check recognises PDF, PNG and JPEG by their first bytes and bounds the size; a stricter scanner can
replace `check_upload` without touching the pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.helpdesk.models import Attachment, Message, Ticket
from apps.tenants import audit

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# What a file starts with, and the type it is then stored and served as.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
NAME_MAX = 200


def sniff(head: bytes) -> str | None:
    """The content type the first bytes show, or None for a type we do not take."""
    return next((content_type for signature, content_type in SIGNATURES if head.startswith(signature)), None)


def check_upload(upload: Any) -> str:
    """The upload's content type, read from its bytes; a ValidationError when too large or not allowed."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("%(name)s is too large: files may be up to %(mb)d MB.")
            % {"name": upload.name, "mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise ValidationError(_("%(name)s is not a PDF, PNG or JPEG file.") % {"name": upload.name})
    return content_type


def carrier_message(ticket: Ticket, user: Any) -> Message:
    """A reply with no text of its own, for the files sent with the question itself."""
    return Message.objects.create(
        tenant_id=ticket.tenant_id,
        division=ticket.division,
        ticket=ticket,
        kind=Message.Kind.REPLY,
        body="",
        author=user,
        author_name=ticket.requester_name,
        via=Message.Via.PAGE,
        created_at=timezone.now(),
    )


def attach_files(ticket: Ticket, message: Message, files: Iterable[Any], *, actor: Any = None) -> list[Attachment]:
    """Store each upload (checked again) on the tenant's private storage, attached to `message`; each is
    recorded in the ticket's history under its reference (the file name may be personal)."""
    attachments = []
    for upload in files:
        content_type = check_upload(upload)
        attachment = Attachment(
            tenant_id=ticket.tenant_id,
            division=ticket.division,
            ticket=ticket,
            message=message,
            name=upload.name[:NAME_MAX],
            content_type=content_type,
            size=upload.size,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        audit.record(
            instance=attachment,
            action="create",
            actor=actor if actor is not None else message.author,
            changes={"content_type": content_type, "size": attachment.size},
            label=ticket.reference,
        )
        attachments.append(attachment)
    return attachments
