"""Outreach's Celery tasks: planning and sending a campaign (apps.outreach.sending), draining the outbox
(apps.outreach.outbox), and the beat sweeps that keep both going.

Every task is idempotent and safe to run twice at once (see apps.outreach.sending): `acks_late`, so a task
whose worker died is delivered again, and the sweep resumes whatever a lost task left undone.
"""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from apps.outreach import outbox, sending
from apps.outreach.models import Campaign
from apps.outreach.outbox import outbox_drain  # noqa: F401 (registered with the worker from here)
from apps.outreach.sending import (
    campaign_plan,
    campaign_send_batches,
)
from apps.outreach.services import campaign_send
from apps.tenants.fanout import for_each_tenant
from apps.tenants.models import Tenant
from apps.tenants.tasks import enqueue_for_tenant


def sweep_tenant(tenant: Tenant) -> dict[str, int]:
    """In the active tenant: start the campaigns that are due, put stale rows back in the queue, resume the
    planning and sending of campaigns whose task was lost, and close the ones that are done."""
    now = timezone.now()
    started = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.SCHEDULED, scheduled_for__lte=now):
        started += campaign_send(campaign=campaign, actor=None)
    campaigns = list(Campaign.objects.filter(status=Campaign.Status.SENDING).only("id", "planned_at", "started_at"))
    requeued = sending.requeue_stale(now=now, campaigns=campaigns) if campaigns else 0
    # A planning task still running is left alone for as long as a sending one would be.
    stale = now - timedelta(seconds=settings.OUTREACH_STALE_SENDING_SECONDS)
    resumed = 0
    for campaign in campaigns:
        # Only when no planning or sending task of the campaign is alive (sending.chain_start).
        if campaign.planned_at is None:
            if (campaign.started_at is None or campaign.started_at < stale) and sending.chain_start(str(campaign.pk)):
                enqueue_for_tenant(campaign_plan, str(campaign.pk))
                resumed += 1
        elif sending.due_rows_exist(campaign, now=now):
            if sending.chain_start(str(campaign.pk)):
                enqueue_for_tenant(campaign_send_batches, str(campaign.pk))
                resumed += 1
        else:
            sending.finish_if_done(campaign)
    return {"started": started, "requeued": requeued, "resumed": resumed}


@shared_task(name="outreach.sweep", ignore_result=True)
def sweep() -> dict[str, int]:
    """Every minute (beat), in every tenant."""
    outcomes = for_each_tenant(sweep_tenant, reason="outreach: start due campaigns, resume interrupted ones")
    totals = {"started": 0, "requeued": 0, "resumed": 0}
    for outcome in outcomes.values():
        if outcome.ok:
            for key, value in outcome.result.items():
                totals[key] += value
    return totals


@shared_task(name="outreach.outbox_sweep", ignore_result=True)
def outbox_sweep() -> dict[str, int]:
    """Every minute (beat), in every tenant: the outbox's stale rows re-queued, its due rows drained."""
    outcomes = for_each_tenant(outbox.sweep_tenant, reason="outreach: send the outbox's due messages")
    totals = {"requeued": 0, "drains": 0, "fanouts": 0}
    for outcome in outcomes.values():
        if outcome.ok:
            for key, value in outcome.result.items():
                totals[key] += value
    return totals
