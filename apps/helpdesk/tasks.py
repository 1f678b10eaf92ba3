from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

from apps.core.audit import Channel, audit_context
from apps.core.cache_keys import global_cache_key
from apps.helpdesk.counselling import (
    remind_tenant,
    send_session_reminder,  # noqa: F401  (the worker registers it from here)
)
from apps.helpdesk.mail import fetch as mail_fetch
from apps.helpdesk.mail.inbound import refused_emails_purge
from apps.helpdesk.notifications import send_ticket_email  # noqa: F401  (the worker registers it from here)
from apps.helpdesk.sla_jobs import sweep_tenant
from apps.tenants.fanout import for_each_tenant

# A run that died holding the lock frees it after this long.
FETCH_LOCK_SECONDS = 10 * 60


@shared_task(name="helpdesk.sla_sweep", ignore_result=True)
def sla_sweep() -> dict[str, int]:
    """Every few minutes (beat): warnings before and escalations after the tickets' due times."""
    outcomes = for_each_tenant(lambda tenant: sweep_tenant(), reason="helpdesk SLA warnings and escalations")
    totals = {"warned": 0, "escalated": 0}
    for outcome in outcomes.values():
        if outcome.ok:
            totals["warned"] += outcome.result.warned
            totals["escalated"] += outcome.result.escalated
    return totals


@shared_task(name="helpdesk.fetch_mail", ignore_result=True)
def fetch_mail() -> dict[str, int]:
    """Every minute (beat): post the e-mail replies waiting in the mailbox; nothing when none is configured."""
    maildir, imap_url = mail_fetch.configured()
    if not maildir and not imap_url:
        return {}
    # One reader at a time: a run that outlasts the minute is not joined by the next one reading the same mail.
    lock = global_cache_key("helpdesk", "fetch-mail")
    if not cache.add(lock, "1", timeout=FETCH_LOCK_SECONDS):
        return {}
    try:
        with audit_context(channel=Channel.TASK):
            return dict(mail_fetch.fetch_mail(maildir=maildir, imap_url=imap_url))
    finally:
        cache.delete(lock)


@shared_task(name="helpdesk.counselling_reminders", ignore_result=True)
def counselling_reminders() -> int:
    """Every 15 minutes (beat): a reminder to the member and the agent of each session starting within a day."""
    outcomes = for_each_tenant(lambda tenant: remind_tenant(), reason="helpdesk counselling session reminders")
    return sum(outcome.result for outcome in outcomes.values() if outcome.ok)


@shared_task(name="helpdesk.purge_refused_emails", ignore_result=True)
def purge_refused_emails() -> int:
    """Daily (beat): the records of refused e-mails past their retention are deleted."""
    return refused_emails_purge()
