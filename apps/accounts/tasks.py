"""The accounts' tasks: the account e-mails (apps.accounts.mail: a message rendered in the request, sent by a
worker), and the daily removal of expired sessions."""

from __future__ import annotations

import smtplib
from importlib import import_module
from typing import Any

from celery import shared_task
from django.conf import settings

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


@shared_task(name="accounts.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions() -> None:
    """Daily (beat): the sessions past their expiry are deleted, as `manage.py clearsessions` does; the session
    table would otherwise keep every visitor's session for good."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
