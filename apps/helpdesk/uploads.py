"""Files an MSME attaches to a ticket or a reply from the pages: checked by their bytes (never the name)
with `apps.helpdesk.attachments.check_attachment`, and kept through `apps.helpdesk.files.attach`, as the API's
and the e-mails' files are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.helpdesk import files
from apps.helpdesk.attachments import AttachmentRefused, check_attachment
from apps.helpdesk.models import Attachment, Message, Ticket


def check_upload(upload: Any) -> str:
    """The upload's content type, read from its bytes; a ValidationError naming the file when refused."""
    try:
        return check_attachment(upload.name, upload)
    except AttachmentRefused as refused:
        raise ValidationError(f"{upload.name}: {refused.reason}") from refused


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


def attach_files(ticket: Ticket, message: Message, uploads: Iterable[Any], *, actor: Any = None) -> list[Attachment]:
    """Store each upload (checked again) on the tenant's private storage, attached to `message`.

    All or none: when one cannot be kept, the files already stored for the others are removed too, since the
    rollback that follows removes their rows but never a file."""
    attachments: list[Attachment] = []
    try:
        for upload in uploads:
            try:
                attachments.append(files.attach(ticket=ticket, message=message, name=upload.name, data_or_file=upload))
            except AttachmentRefused as refused:
                raise ValidationError(f"{upload.name}: {refused.reason}") from refused
    except Exception:
        for attachment in attachments:
            attachment.file.delete(save=False)
        raise
    return attachments
