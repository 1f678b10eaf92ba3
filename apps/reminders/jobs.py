"""The daily reminder job: plan each deadline's reminders as rows, then send the rows, each once.

Planning (in the beat job's transaction, per tenant) reads the register in chunks, works out each asset's
deadlines (apps.registry.deadlines), and for each deadline inside a lead time's window (apps.reminders.windows)
makes one row per member who wants that reminder, unique on (asset, deadline, due date, lead time, user):
a second run, or two at once, makes none again.

Sending commits as it goes: a batch of rows is claimed (pending -> sending, by one run only), committed, sent,
and marked (sent, failed with the reason, or pending again later for a temporary failure or a backend that
raised; a row whose message cannot be composed fails alone, the rest of its batch still goes). A run that dies
between its claim and its mark leaves the rows "sending"; they are never sent again (that could send twice),
but marked failed as interrupted once they are older than STALE_AFTER.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import batched
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone, translation

from apps.outreach.channels import ELECTRONIC_CHANNELS, Outcome, OutgoingMessage, SendResult, send_batch
from apps.outreach.recipients import member_recipients
from apps.registry.deadlines import Deadline, deadlines_for_asset
from apps.registry.models import IpAsset, Msme, MsmeMember
from apps.reminders import messages
from apps.reminders.models import LEAD_DAYS, ReminderDelivery, ReminderSettings
from apps.reminders.windows import lead_for
from apps.tenants.models import OutreachChannel, Tenant

logger = logging.getLogger(__name__)

# Assets read per chunk while planning: the register is never loaded whole (100,000 assets: 100 chunks).
PLAN_CHUNK = 1000
# Rows claimed and sent per batch, and the most batches one run sends; the rest wait for the next run.
SEND_BATCH = 200
MAX_BATCHES_PER_RUN = 50
MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=15)  # then 4 times longer each time
# A row still "sending" this long after its claim belongs to a run that died.
STALE_AFTER = timedelta(minutes=30)

# Types whose deadlines the registry works out; any other asset has one only when it has an expiry date.
DEADLINE_TYPES = (
    IpAsset.Type.PATENT,
    IpAsset.Type.UTILITY_MODEL,
    IpAsset.Type.TRADEMARK,
    IpAsset.Type.INDUSTRIAL_DESIGN,
)
ENDED = (IpAsset.Status.LAPSED, IpAsset.Status.EXPIRED, IpAsset.Status.REFUSED)
ASSET_FIELDS = (
    "id",
    "tenant",
    "msme",
    "asset_type",
    "status",
    "jurisdiction",
    "title",
    "priority_date",
    "filing_date",
    "grant_date",
    "expiry_date",
)


@dataclass
class PlanResult:
    assets: int = 0  # assets read
    deadlines: int = 0  # deadlines inside a reminder window
    planned: int = 0  # reminder rows offered (existing ones are left as they are)
    turned_off: int = 0  # members who do not want this reminder
    no_address: int = 0  # members with no address on the MSME's channel
    same_address: int = 0  # members reached at an address another member's reminder already goes to


@dataclass
class SendCounts:
    sent: int = 0
    retry: int = 0
    failed: int = 0
    skipped: int = 0
    interrupted: int = 0
    details: dict[str, int] = field(default_factory=dict)


def wanted_leads(row: ReminderSettings | None) -> tuple[int, ...]:
    return row.lead_days() if row is not None else LEAD_DAYS


def reminder_assets(today: date) -> Any:
    """The assets that may have a deadline: not ended, of a type with deadlines or with an expiry date, of an
    MSME whose data is not erased; only what the deadlines are worked out from, in a stable order."""
    return (
        IpAsset.objects.filter(Q(asset_type__in=DEADLINE_TYPES) | Q(expiry_date__gte=today))
        .exclude(status__in=ENDED)
        .filter(msme__erased_at__isnull=True)
        .only(*ASSET_FIELDS)
        .order_by("pk")
    )


def due_deadlines(asset: IpAsset, today: date) -> list[tuple[Deadline, int]]:
    """The asset's deadlines inside a reminder window, each with its lead time."""
    found = []
    for deadline in deadlines_for_asset(asset, today=today):
        lead = lead_for((deadline.due - today).days)
        if lead is not None:
            found.append((deadline, lead))
    return found


def plan_tenant(tenant: Tenant, *, today: date, now: datetime | None = None) -> PlanResult:
    """Make the reminder rows of the active tenant's deadlines that are due `today` (none twice)."""
    now = now or timezone.now()
    result = PlanResult()
    for chunk in batched(reminder_assets(today).iterator(chunk_size=PLAN_CHUNK), PLAN_CHUNK):
        result.assets += len(chunk)
        due = [(asset, deadline, lead) for asset in chunk for deadline, lead in due_deadlines(asset, today)]
        if due:
            _plan_chunk(tenant, due, now, result)
    return result


def _plan_chunk(tenant: Tenant, due: list[tuple[IpAsset, Deadline, int]], now: datetime, result: PlanResult) -> None:
    msme_ids = {asset.msme_id for asset, _deadline, _lead in due}
    members = Prefetch("members", queryset=MsmeMember.objects.select_related("user"))
    msmes = {msme.pk: msme for msme in Msme.objects.filter(pk__in=msme_ids).prefetch_related(members)}
    chosen = {
        row.member.user_id: row
        for row in ReminderSettings.objects.filter(member__msme_id__in=msme_ids).select_related("member")
    }
    recipients = {msme_id: member_recipients(msme, tenant) for msme_id, msme in msmes.items()}
    rows = []
    for asset, deadline, lead in due:
        result.deadlines += 1
        seen: set[tuple[str, str]] = set()
        for recipient in recipients.get(asset.msme_id, []):
            if lead not in wanted_leads(chosen.get(recipient.user.pk)):
                result.turned_off += 1
                continue
            channel, address = recipient.channel, recipient.address
            if channel not in ELECTRONIC_CHANNELS:
                # The portal sends no letters: a member who keeps the register is reminded at their own e-mail.
                channel, address = OutreachChannel.EMAIL.value, recipient.user.email
            if not address:
                result.no_address += 1
                continue
            key = (channel, address.strip().lower())
            if key in seen:  # an SMS to the MSME's one phone number, once, not once per member
                result.same_address += 1
                continue
            seen.add(key)
            rows.append(
                ReminderDelivery(
                    asset_id=asset.pk,
                    msme_id=asset.msme_id,
                    kind=deadline.kind,
                    due=deadline.due,
                    days_ahead=lead,
                    user=recipient.user,
                    channel=channel,
                    address=address,
                    language=recipient.language,
                    next_attempt_at=now,
                )
            )
    # An existing row (an earlier or a concurrent run's) wins: the constraint makes the second insert a no-op.
    ReminderDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    result.planned += len(rows)


# --- Sending ---------------------------------------------------------------------------------------------


@dataclass
class _Claimed:
    rows: list[ReminderDelivery]
    members: set[tuple[Any, Any]]  # (msme id, user id) of the members still linked to their MSME
    chosen: dict[Any, ReminderSettings]


def abandon_stale(now: datetime) -> int:
    """Rows left "sending" by a run that died: failed, never sent again (they may have gone out)."""
    return ReminderDelivery.objects.filter(
        status=ReminderDelivery.Status.SENDING, claimed_at__lt=now - STALE_AFTER
    ).update(
        status=ReminderDelivery.Status.FAILED,
        claim=None,
        detail="interrupted while sending; not sent again, so that it is never sent twice",
    )


def _claim(now: datetime, limit: int) -> _Claimed:
    claim = uuid.uuid4()
    waiting = ReminderDelivery.objects.filter(status=ReminderDelivery.Status.PENDING, next_attempt_at__lte=now)
    if connection.features.has_select_for_update_skip_locked:
        # Another run's rows are skipped, not waited for: two runs share the work instead of queueing on it.
        waiting = waiting.select_for_update(skip_locked=True, of=("self",))
    ids = list(waiting.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    if not ids:
        return _Claimed([], set(), {})
    # Only rows still pending are taken: where the database cannot skip locked rows, a run that waited on
    # another's claim finds them no longer pending and takes none of them.
    ReminderDelivery.objects.filter(pk__in=ids, status=ReminderDelivery.Status.PENDING).update(
        status=ReminderDelivery.Status.SENDING, claim=claim, claimed_at=now, attempts=F("attempts") + 1
    )
    rows = list(
        ReminderDelivery.objects.filter(pk__in=ids, claim=claim)
        .select_related("asset", "msme", "user")
        .order_by("next_attempt_at", "pk")
    )
    msme_ids = {row.msme_id for row in rows}
    user_ids = {row.user_id for row in rows}
    members = set(
        MsmeMember.objects.filter(msme_id__in=msme_ids, user_id__in=user_ids).values_list("msme_id", "user_id")
    )
    chosen = {
        row.member.user_id: row
        for row in ReminderSettings.objects.filter(member__user_id__in=user_ids).select_related("member")
    }
    return _Claimed(rows, members, chosen)


def _still_wanted(row: ReminderDelivery, claimed: _Claimed) -> str:
    """Why `row` should no longer be sent ("" when it should)."""
    if (row.msme_id, row.user_id) not in claimed.members or not row.user.is_active:
        return "the user no longer acts for the MSME"
    if row.days_ahead not in wanted_leads(claimed.chosen.get(row.user_id)):
        return "the user turned this reminder off"
    return ""


def _deadline(row: ReminderDelivery, today: date) -> Deadline | None:
    """The row's deadline as the asset's dates give it now; None when an edit of the asset removed it."""
    for deadline in deadlines_for_asset(row.asset, today=today):
        if deadline.kind == row.kind and deadline.due == row.due:
            return deadline
    return None


def _send(claimed: _Claimed, today: date) -> dict[Any, SendResult | str]:
    """Each claimed row's result: a SendResult, or the reason it was not sent."""
    outcomes: dict[Any, SendResult | str] = {}
    by_channel: dict[str, list[tuple[ReminderDelivery, OutgoingMessage]]] = defaultdict(list)
    for row in claimed.rows:
        try:
            outcome = _compose(row, claimed, today)
        except Exception as error:
            # One row's bad data (a header-breaking title, a missing translation) fails that row only: nothing
            # was sent for it, and the rest of the batch still goes.
            logger.exception("reminders: the message of reminder %s could not be composed", row.pk)
            outcomes[row.pk] = SendResult(Outcome.FAILED, f"could not be composed: {type(error).__name__}")
            continue
        if isinstance(outcome, str):
            outcomes[row.pk] = outcome
        else:
            by_channel[row.channel].append((row, outcome))
    for channel, pairs in by_channel.items():
        try:
            results = send_batch(channel, [message for _row, message in pairs])
        except Exception as error:
            # The batch is tried again later (at most MAX_ATTEMPTS times, with backoff) rather than left
            # "sending" to be abandoned as interrupted, and the run goes on. A message the backend handed on
            # before it raised may then go twice: a missed deadline reminder is the worse loss.
            logger.exception("reminders: the %s backend raised on a batch of %d", channel, len(pairs))
            results = [SendResult(Outcome.RETRY, f"sending failed: {type(error).__name__}")] * len(pairs)
        for (row, _message), result in zip(pairs, results, strict=True):
            outcomes[row.pk] = result
    return outcomes


def _compose(row: ReminderDelivery, claimed: _Claimed, today: date) -> OutgoingMessage | str:
    """The row's outgoing message, or the reason it is not to be sent."""
    reason = _still_wanted(row, claimed)
    if reason:
        return reason
    with translation.override(row.language):  # a label may be formatted as it is worked out
        deadline = _deadline(row, today)
        if deadline is None:
            return "the asset's dates changed: the deadline no longer applies"
        return messages.outgoing(
            channel=row.channel,
            address=row.address,
            language=row.language,
            reference=str(row.pk),
            deadline=deadline,
            asset=row.asset,
            msme=row.msme,
            today=today,
        )


def _mark(claimed: _Claimed, outcomes: dict[Any, SendResult | str], now: datetime, counts: SendCounts) -> None:
    Status = ReminderDelivery.Status
    mine = ReminderDelivery.objects.filter(claim=claimed.rows[0].claim) if claimed.rows else None
    sent = []
    for row in claimed.rows:
        outcome = outcomes[row.pk]
        if isinstance(outcome, str):
            mine.filter(pk=row.pk).update(status=Status.SKIPPED, detail=outcome, claim=None)
            counts.skipped += 1
            counts.details[outcome] = counts.details.get(outcome, 0) + 1
        elif outcome.outcome == Outcome.SENT:
            sent.append(row.pk)
        elif outcome.outcome == Outcome.RETRY and row.attempts < MAX_ATTEMPTS:
            later = now + RETRY_AFTER * 4 ** (row.attempts - 1)
            mine.filter(pk=row.pk).update(
                status=Status.PENDING, detail=outcome.detail[:1000], next_attempt_at=later, claim=None
            )
            counts.retry += 1
        else:
            mine.filter(pk=row.pk).update(status=Status.FAILED, detail=outcome.detail[:1000], claim=None)
            counts.failed += 1
    if sent:
        mine.filter(pk__in=sent).update(status=Status.SENT, sent_at=now, detail="", claim=None)
        counts.sent += len(sent)


def send_due(tenant: Tenant, *, now: datetime | None = None, batch: int = SEND_BATCH) -> SendCounts:
    """Send the active tenant's reminders that are due, batch by batch, each claimed and marked in a
    transaction of its own (the sending itself happens between the two, outside any transaction)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = SendCounts()
    with transaction.atomic():
        counts.interrupted = abandon_stale(now)
    for _batch in range(MAX_BATCHES_PER_RUN):
        with transaction.atomic():
            claimed = _claim(now, batch)
        if not claimed.rows:
            break
        outcomes = _send(claimed, today)
        with transaction.atomic():
            _mark(claimed, outcomes, now, counts)
    return counts


def has_due(now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return ReminderDelivery.objects.filter(status=ReminderDelivery.Status.PENDING, next_attempt_at__lte=now).exists()
