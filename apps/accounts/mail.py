"""Account e-mails (sign-up confirmations, password resets, security notices) sent by a Celery worker, after the
request commits, so that a page never waits on the mail server: a slow or stuck SMTP server costs the worker time,
not the visitor. Each message is rendered in the request (its language, its links), then queued whole.

Without a broker (tasks run in-process) the message is sent at once, as before; when the broker refuses it, too,
so that it is never lost.
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

from apps.tenants.tasks import send_now


def email_payload(message: EmailMessage) -> dict[str, Any]:
    """The message as JSON (the task serializer's), to be rebuilt by `email_from_payload`."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "content_subtype": message.content_subtype,
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
    }


def email_from_payload(payload: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload["cc"],
        bcc=payload["bcc"],
        reply_to=payload["reply_to"],
        headers=payload["headers"],
    )
    message.content_subtype = payload["content_subtype"]
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def send_email_later(message: EmailMessage) -> None:
    """Send `message` from a worker once the request's transaction commits (never, if it rolls back)."""
    # Attachments are not carried over JSON: such a message (none of allauth's) is sent as it is.
    if current_app.conf.task_always_eager or message.attachments:
        message.send()
        return
    from apps.accounts.tasks import send_account_email  # tasks.py imports this module

    payload = email_payload(message)
    transaction.on_commit(lambda: send_now(send_account_email, (payload,), on_refused=message.send))


class SendLater:
    """What the account adapter hands to allauth in place of a message: its `send()` queues the message."""

    def __init__(self, message: EmailMessage) -> None:
        self.message = message

    def send(self, fail_silently: bool = False) -> int:
        send_email_later(self.message)
        return 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.message, name)
