"""Files on tickets: every attachment, from a page, the API or an e-mail, is kept through `attach`.

`attach` checks the content (never the name alone: `apps.helpdesk.attachments.check_attachment`), keeps the name
only for display (`safe_display_name`), and stores the bytes on the tenant-private storage under a random name
(`TenantUploadTo`), in the ticket's tenant and following its division. No URL reaches the file: a view that has
loaded the attachment through its policy serves it (`apps.tenants.files.serve_private_file`).
"""

from __future__ import annotations

import io
import os
from typing import BinaryIO

from django.core.files import File
from django.db import transaction

from apps.helpdesk.attachments import AttachmentRefused, check_attachment, safe_display_name
from apps.helpdesk.models import Attachment, Message, Ticket
from apps.tenants import audit

__all__ = ["AttachmentRefused", "attach"]


def _size(data_or_file: bytes | bytearray | memoryview | BinaryIO) -> int:
    if isinstance(data_or_file, bytes | bytearray | memoryview):
        return len(data_or_file)
    size = getattr(data_or_file, "size", None)  # a Django upload knows its size
    if isinstance(size, int):
        return size
    start = data_or_file.tell()
    end = data_or_file.seek(0, os.SEEK_END)
    data_or_file.seek(start)
    return end - start


@transaction.atomic
def attach(
    *, ticket: Ticket, message: Message, name: str, data_or_file: bytes | bytearray | memoryview | BinaryIO
) -> Attachment:
    """Keep a file on `message` of `ticket`, or raise `AttachmentRefused` (type, size, name) and keep nothing.

    `data_or_file` is the content or a binary file (an upload), read from its current position. The event is
    recorded for the message's author.
    """
    if message.ticket_id != ticket.pk:
        raise ValueError("The message is not on this ticket.")
    content_type = check_attachment(name, data_or_file)
    display_name = safe_display_name(name)
    if isinstance(data_or_file, bytes | bytearray | memoryview):
        content: BinaryIO = io.BytesIO(bytes(data_or_file))
    else:
        content = data_or_file
    attachment = Attachment(
        ticket=ticket,
        message=message,
        name=display_name,
        content_type=content_type,
        size=_size(data_or_file),
        division=ticket.division,
    )
    # Stamped from the ticket, not the scope: a division's agent (or an e-mail) writes in no tenant's scope.
    attachment.tenant_id = ticket.tenant_id
    # The name given here only lends its extension; TenantUploadTo picks the stored name.
    attachment.file.save(display_name, File(content), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    audit.record(
        instance=attachment,
        action="create",
        actor=message.author,
        # Not the file's name: it may name a person, and the trail outlives an erasure of the ticket's text.
        changes={"content_type": content_type, "size": attachment.size},
        label=ticket.reference,
    )
    return attachment
