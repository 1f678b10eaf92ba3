"""Sending a campaign: plan a delivery row for every MSME of its segment, then send the queued rows in batches.

Exactly once, whatever happens to the workers:

1. **Planning** makes one `Delivery` per MSME, chunk by chunk (`bulk_create(ignore_conflicts=True)` on the
   unique (campaign, MSME, channel), and MSMEs that already have a row of the campaign are left alone, even
   if their channel changed since). A planning run that dies is run again by the sweep; rows it made stay.
   MSMEs that cannot be reached get their row too, `skipped` with the reason, so they are counted.
2. **Claiming**: a worker takes a batch of `queued` rows (`SELECT ... FOR UPDATE SKIP LOCKED`, then
   `status='sending'`, `claimed_at`, `attempts + 1`) in a transaction of its own. Two workers never hold
   the same row.
3. **Sending** the batch through the channel's backend, then **marking** each row `sent`, `failed` or
   back to `queued` for a later try (backoff), in another transaction.

A worker killed between 2 and 3 leaves rows in `sending`. The sweep puts rows claimed longer ago than
`OUTREACH_STALE_SENDING_SECONDS` back in the queue. Before a row that was claimed before is sent again,
its backend is asked whether it already sent it (`ChannelBackend.already_sent`): the file backends
(SMS/WhatsApp files, Django's file and in-memory mail backends) read what they wrote, so they write each
message exactly once. SMTP and providers without such a check are at-least-once for the rows of the one
batch that was in flight when the worker died (at most `OUTREACH_BATCH_SIZE` messages).

Claiming, marking, backoff and the stale requeue are apps.outreach.queue's, which the outbox
(apps.outreach.outbox: the events' and news' messages) shares. Memory stays flat: every step reads a chunk or a
batch, never the whole campaign.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from apps.outreach import queue, ratelimit
from apps.outreach.channels import ELECTRONIC_CHANNELS, Outcome, SendResult, send_batch
from apps.outreach.models import Campaign, CampaignMessage, Delivery
from apps.outreach.recipients import msme_address, msme_channel, msme_message_language
from apps.outreach.rendering import BatchRenderer, outgoing, pick_message
from apps.outreach.segments import segment_msmes
from apps.outreach.unsubscribe import unsubscribe_urls
from apps.registry.models import Msme
from apps.tenants.cache import tenant_cache_key
from apps.tenants.models import Tenant
from apps.tenants.tasks import enqueue_for_tenant, tenant_task

logger = logging.getLogger(__name__)

PLAN_CHUNK = 1000
# What planning reads of an MSME: nothing else is loaded.
PLAN_FIELDS = ("id", "email", "phone", "preferred_language", "preferred_channel", "consent_outreach")
# What sending reads of a delivery (its `claimed_at` is its claim's token, see `still_mine`).
SEND_FIELDS = ("id", "tenant_id", "campaign_id", "channel", "address", "language", "attempts", "claimed_at")
# What sending reads of a delivery's MSME (its name fills {msme}; its consent may have been withdrawn since).
SEND_MSME_FIELDS = ("msme__id", "msme__name", "msme__tenant_id", "msme__consent_outreach")
Status = Delivery.Status
Skip = Delivery.SkipReason


# --- planning ---------------------------------------------------------------------------------------------


def _plan_row(
    campaign: Campaign,
    msme: Msme,
    tenant: Tenant,
    messages: dict[str, CampaignMessage],
    unsubscribed: dict,
) -> Delivery:
    channel = msme_channel(msme, tenant)
    address = msme_address(msme, channel)
    language = msme_message_language(msme, tenant)
    row = Delivery(campaign=campaign, msme_id=msme.pk, channel=channel, address=address[:254], language=language)
    reason = ""
    if not msme.consent_outreach:
        left = unsubscribed.get(msme.pk)
        reason = Skip.UNSUBSCRIBED if left is not None else Skip.NO_CONSENT
    elif channel not in ELECTRONIC_CHANNELS:
        reason = Skip.NOT_ELECTRONIC
    elif not address:
        reason = Skip.NO_ADDRESS
    else:
        message = pick_message(campaign, messages, language)
        if message is None:
            reason = Skip.NO_MESSAGE
        else:
            row.language = message.language
    if reason:
        row.status = Status.SKIPPED
        row.skip_reason = reason
    return row


def plan_campaign(campaign: Campaign, *, tenant: Tenant, chunk: int = PLAN_CHUNK) -> int:
    """Make the missing delivery rows of `campaign`, a chunk per transaction; returns how many were made.

    Runs in autocommit (each chunk commits), so a run that dies keeps what it made and the next run goes on.
    """
    messages = {m.language: m for m in CampaignMessage.objects.filter(campaign=campaign)}
    base = segment_msmes(campaign.segment).select_related(None).order_by("pk").only(*PLAN_FIELDS)
    made = 0
    last = None
    while True:
        with transaction.atomic():
            page = base.filter(pk__gt=last) if last is not None else base
            msmes = list(page[:chunk])
            if not msmes:
                break
            last = msmes[-1].pk
            chain_alive(str(campaign.pk))
            ids = [msme.pk for msme in msmes]
            planned = set(Delivery.objects.filter(campaign=campaign, msme_id__in=ids).values_list("msme_id", flat=True))
            unsubscribed = dict(
                Delivery.objects.filter(msme_id__in=ids, unsubscribed_at__isnull=False)
                .values("msme_id")
                .annotate(last=Max("unsubscribed_at"))
                .values_list("msme_id", "last")
            )
            rows = [
                _plan_row(campaign, msme, tenant, messages, unsubscribed) for msme in msmes if msme.pk not in planned
            ]
            made += len(Delivery.objects.bulk_create(rows, ignore_conflicts=True))
    Campaign.objects.filter(pk=campaign.pk, planned_at__isnull=True).update(planned_at=timezone.now())
    return made


# --- claiming and sending ---------------------------------------------------------------------------------


def claim_batch(campaign: Campaign, *, size: int, now: datetime | None = None) -> list[Delivery]:
    """Take up to `size` queued rows that are due: they are 'sending' and this worker's until marked."""
    now = now or timezone.now()
    claimed = queue.claim_due(Delivery.objects.filter(campaign=campaign), size=size, now=now)
    return list(
        claimed.select_related("msme").only(
            "id",
            "tenant_id",
            "campaign_id",
            "channel",
            "address",
            "language",
            "attempts",
            "claimed_at",
            *SEND_MSME_FIELDS,
        )
    )


backoff = queue.backoff
BatchResult = queue.BatchResult
still_mine = queue.still_mine


def send_claimed(
    campaign: Campaign,
    deliveries: list[Delivery],
    *,
    tenant: Tenant,
    messages: dict[str, CampaignMessage],
) -> BatchResult:
    """Send the claimed rows (grouped by channel) and mark each from its backend's answer."""
    result = BatchResult()
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        by_channel[delivery.channel].append(delivery)
    for channel, rows in by_channel.items():
        # Rows claimed before may have gone out just before their worker died: the backend says which did.
        done = queue.sent_before(channel, rows)
        outcomes: dict[str, SendResult] = {ref: SendResult(Outcome.SENT, "") for ref in done}
        pending, outgoing_messages, skipped = [], [], []
        # What is the same for every message of the batch (the link's target, the translated footer, the
        # unsubscribe URL's route and signer) is worked out once.
        renderer = BatchRenderer(campaign, channel=channel, agency=tenant.name)
        unsubscribe_url = unsubscribe_urls(tenant_id=tenant.pk)
        for delivery in rows:
            if str(delivery.pk) in done:
                continue
            if not delivery.msme.consent_outreach:  # unsubscribed (or consent withdrawn) since planning
                skipped.append((delivery, Skip.UNSUBSCRIBED))
                continue
            message = pick_message(campaign, messages, delivery.language)
            if message is None:  # the message was deleted after planning
                skipped.append((delivery, Skip.NO_MESSAGE))
                continue
            rendered = renderer.render(
                message,
                msme=delivery.msme,
                msme_name=delivery.msme.name,
                unsubscribe_url=unsubscribe_url(str(delivery.pk)),
            )
            pending.append(delivery)
            reference = str(delivery.pk)
            outgoing_messages.append(outgoing(rendered, channel=channel, to=delivery.address, reference=reference))
        if outgoing_messages:
            ratelimit.wait_for_slots(channel, len(outgoing_messages))
            # The wait may have been long: rows the sweep took back meanwhile are another worker's now.
            mine = still_mine(pending)
            if len(mine) < len(pending):
                kept = [(d, m) for d, m in zip(pending, outgoing_messages, strict=True) if d.pk in mine]
                pending, outgoing_messages = [d for d, _m in kept], [m for _d, m in kept]
        if outgoing_messages:
            try:
                answers = send_batch(channel, outgoing_messages)
            except Exception as error:
                logger.exception("outreach: the %s backend raised", channel)
                answers = queue.after_backend_error(channel, pending, f"backend error: {error}")
            for delivery, answer in zip(pending, answers, strict=True):
                outcomes[str(delivery.pk)] = answer
        queue.mark(rows, outcomes, skipped, result)
    return result


def _mark(
    rows: list[Delivery],
    outcomes: dict[str, SendResult],
    skipped: list[tuple[Delivery, str]],
    result: BatchResult,
) -> None:
    queue.mark(rows, outcomes, skipped, result)


def send_due(campaign_id: str, *, tenant: Tenant, seconds: float | None = None, batch_size: int | None = None) -> bool:
    """Send the campaign's due rows for about `seconds` (`OUTREACH_SEND_TASK_SECONDS`); True when due rows remain
    (the caller goes on)."""
    seconds = settings.OUTREACH_SEND_TASK_SECONDS if seconds is None else seconds
    size = batch_size or settings.OUTREACH_BATCH_SIZE
    deadline = time.monotonic() + seconds
    messages: dict[str, CampaignMessage] | None = None
    while time.monotonic() < deadline:
        with transaction.atomic():
            campaign = Campaign.objects.filter(pk=campaign_id).first()
        if campaign is None or campaign.status != Campaign.Status.SENDING:
            return False
        if messages is None:
            with transaction.atomic():
                messages = {m.language: m for m in CampaignMessage.objects.filter(campaign=campaign)}
        chain_alive(campaign_id)
        batch = claim_batch(campaign, size=size)
        if not batch:
            finish_if_done(campaign)
            return False
        send_claimed(campaign, batch, tenant=tenant, messages=messages)
    return True


def finish_if_done(campaign: Campaign) -> bool:
    """Mark the campaign sent once it is planned and no row waits to be sent (failed and skipped ones don't)."""
    with transaction.atomic():
        planned = Campaign.objects.filter(pk=campaign.pk, planned_at__isnull=False)
        if campaign.planned_at is None and not planned.exists():
            return False
        if Delivery.objects.filter(campaign=campaign, status__in=[Status.QUEUED, Status.SENDING]).exists():
            return False
        return bool(
            Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
                status=Campaign.Status.SENT, finished_at=timezone.now()
            )
        )


def requeue_stale(*, now: datetime | None = None, campaigns: Iterable[Campaign] | None = None) -> int:
    """Put rows left 'sending' by a worker that died back in the queue (the active tenant's campaigns)."""
    rows = Delivery.objects.all()
    if campaigns is not None:
        rows = rows.filter(campaign__in=list(campaigns))
    return queue.requeue_stale(rows, now=now)


# --- counts ----------------------------------------------------------------------------------------------


def counts_of(campaign: Campaign) -> dict[str, object]:
    """What happened to the campaign's deliveries, in one query: by status, skipped by reason, unsubscribed."""
    aggregates = {status.value: Count("pk", filter=Q(status=status.value)) for status in Status}
    aggregates.update({f"skip_{reason.value}": Count("pk", filter=Q(skip_reason=reason.value)) for reason in Skip})
    aggregates["unsubscribed"] = Count("pk", filter=Q(unsubscribed_at__isnull=False))
    aggregates["total"] = Count("pk")
    values = Delivery.objects.filter(campaign=campaign).aggregate(**aggregates)
    skipped_by_reason = {reason.value: values.pop(f"skip_{reason.value}") for reason in Skip}
    return {**values, "skipped_by_reason": skipped_by_reason}


# --- one chain per campaign -------------------------------------------------------------------------------
# A campaign's planning or sending task holds a key while it runs (refreshed per chunk and batch, handed on
# with the next task); the sweep starts a task only when nobody holds it, so chains never pile up. Should
# the task die, the key expires after the stale window and the sweep starts a new one. With the cache down
# the sweep starts one every time (as if no chain were alive): the rows' claims keep that safe.


def _chain_key(campaign_id: str) -> str:
    return tenant_cache_key("outreach", "chain", campaign_id)


def chain_start(campaign_id: str) -> bool:
    """True (and the key is the caller's) if no chain of the campaign is alive."""
    return cache.add(_chain_key(campaign_id), 1, timeout=settings.OUTREACH_STALE_SENDING_SECONDS)


def chain_alive(campaign_id: str) -> None:
    cache.set(_chain_key(campaign_id), 1, timeout=settings.OUTREACH_STALE_SENDING_SECONDS)


def chain_end(campaign_id: str) -> None:
    cache.delete(_chain_key(campaign_id))


# --- the tasks (registered from apps.outreach.tasks) -------------------------------------------------------

COMMITS = "a campaign's planning and sending commit each chunk and batch, so that what is done stays done"


@tenant_task(name="outreach.campaign_plan", acks_late=True, ignore_result=True, commits_as_it_goes=COMMITS)
def campaign_plan(tenant: Tenant, campaign_id: str) -> int:
    """Make the campaign's delivery rows, then start sending them."""
    with transaction.atomic():
        campaign = Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).first()
    if campaign is None:
        return 0
    chain_alive(campaign_id)
    made = plan_campaign(campaign, tenant=tenant)
    chain_alive(campaign_id)  # handed on to the sending task
    enqueue_for_tenant(campaign_send_batches, campaign_id)
    return made


@tenant_task(name="outreach.campaign_send_batches", acks_late=True, ignore_result=True, commits_as_it_goes=COMMITS)
def campaign_send_batches(tenant: Tenant, campaign_id: str) -> None:
    """Send the campaign's due rows for a minute, then hand on to a new task if rows remain."""
    if send_due(campaign_id, tenant=tenant):
        chain_alive(campaign_id)
        enqueue_for_tenant(campaign_send_batches, campaign_id)
    else:
        chain_end(campaign_id)


def due_rows_exist(campaign: Campaign, *, now: datetime) -> bool:
    return queue.due(Delivery.objects.filter(campaign=campaign), now=now).exists()
