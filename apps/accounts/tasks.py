"""The account e-mails' task (apps.accounts.mail): a message rendered in the request, sent by a worker."""

from __future__ import annotations

import smtplib
from typing import Any

from celery import shared_task

from apps.accounts.mail import email_from_payload


# A mail server that is down or refuses for now is tried again, with growing waits; a message is small and
# idempotent enough that a rare second copy (a worker lost after sending) beats a lost password reset.
@shared_task(
    name="accounts.send_email",
    ignore_result=True,
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=True,
    max_retries=6,
)
def send_account_email(payload: dict[str, Any]) -> int:
    return email_from_payload(payload).send()
