"""The outbox: the messages other apps send (an event's confirmation, a post's notice to its followers), each
written as an `OutboxMessage` row in the transaction that calls for it and sent once after it commits.

- `enqueue(messages)` writes the rows in the caller's transaction: a registration and its confirmation commit
  together, or neither does. A message's `key` is unique in the tenant, so asking for it twice makes one row.
  A message that cannot be sent (no address on the recipient's channel) is written `skipped` with its reason,
  so it is counted. On commit a drain task is queued (`enqueue_for_tenant`: a broker that is down is logged).
- `drain` claims due rows batch by batch and sends them: the claim, the fencing token, the marks, the backoff
  and the limit on attempts are the campaign deliveries' (apps.outreach.queue).
- The beat job `outreach.outbox_sweep` (every minute, in every tenant) re-queues rows a dead worker left
  'sending' and queues a drain where rows are due: what the kick at commit missed goes out a minute later.

Once: a row claimed again after its worker died is first looked up in its backend (`already_sent`), so the
file backends (SMS/WhatsApp files, Django's file and in-memory mail) send it once; SMTP and providers that
cannot tell may send the one batch that was in flight again (at most `OUTREACH_BATCH_SIZE` messages).
"""

from __future__ import annotations

import base64
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.outreach import queue, ratelimit
from apps.outreach.channels import (
    ELECTRONIC_CHANNELS,
    REFERENCE_HEADER,
    Outcome,
    OutgoingMessage,
    SendResult,
    send_batch,
)
from apps.outreach.models import OutboxMessage
from apps.tenants.models import OutreachChannel, Tenant
from apps.tenants.tasks import enqueue_for_tenant, tenant_task

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status
# A message's attachments together (an invitation is a few kilobytes): a row stays a row, not a file store.
MAX_ATTACHMENT_BYTES = 256 * 1024
CREATE_CHUNK = 500
SEND_FIELDS = (
    "id",
    "tenant_id",
    "key",
    "channel",
    "address",
    "subject",
    "body",
    "headers",
    "attachments",
    "attempts",
    "claimed_at",
)


@dataclass(frozen=True)
class Message:
    """A message to write to the outbox. `skip_reason` set: it is recorded as skipped, never sent."""

    key: str
    channel: str
    address: str
    subject: str = ""
    body: str = ""
    language: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    attachments: tuple[tuple[str, bytes, str], ...] = ()  # (file name, content, MIME type)
    skip_reason: str = ""


def message_of(key: str, outgoing: OutgoingMessage, *, language: str = "") -> Message:
    """The outbox message of an `OutgoingMessage` an app built (its `reference` is replaced by the row's id)."""
    return Message(
        key=key,
        channel=outgoing.channel,
        address=outgoing.to,
        subject=outgoing.subject,
        body=outgoing.body,
        language=language,
        headers=dict(outgoing.headers),
        attachments=outgoing.attachments,
    )


def skipped(key: str, reason: str, *, channel: str = "", address: str = "", language: str = "") -> Message:
    return Message(key=key, channel=channel, address=address, language=language, skip_reason=reason)


def _row(message: Message) -> OutboxMessage:
    if not message.key or len(message.key) > 200:
        raise ValueError(f"an outbox key has 1 to 200 characters: {message.key!r}")
    reason = message.skip_reason
    if not reason and message.channel not in ELECTRONIC_CHANNELS:
        raise ValueError(f"the outbox sends on {', '.join(ELECTRONIC_CHANNELS)}, not {message.channel!r}")
    if not reason and not message.address:
        raise ValueError(f"outbox message {message.key!r} has no address")
    attachments = [
        (name, content.encode() if isinstance(content, str) else bytes(content), mimetype)
        for name, content, mimetype in message.attachments
    ]
    if sum(len(content) for _name, content, _mimetype in attachments) > MAX_ATTACHMENT_BYTES:
        raise ValueError(f"outbox message {message.key!r}: attachments over {MAX_ATTACHMENT_BYTES} bytes")
    return OutboxMessage(
        key=message.key,
        channel=message.channel if message.channel in OutreachChannel.values else "",
        address=message.address[:254],
        language=message.language[:2],
        subject=message.subject[:998],
        body=message.body,
        headers=dict(message.headers),
        attachments=[
            {"name": name, "mimetype": mimetype, "content": base64.b64encode(content).decode("ascii")}
            for name, content, mimetype in attachments
        ],
        status=Status.SKIPPED if reason else Status.QUEUED,
        skip_reason=reason[:100],
    )


def enqueue(messages: Iterable[Message]) -> None:
    """Write `messages` to the active tenant's outbox in the caller's transaction (a key already there is left
    as it is) and queue their sending once it commits. Raises ValueError for a message that cannot be sent
    (an unknown channel, no address, attachments too large) and is not marked skipped."""
    rows = [_row(message) for message in messages]
    if not rows:
        return
    with transaction.atomic():
        for start in range(0, len(rows), CREATE_CHUNK):
            OutboxMessage.objects.bulk_create(rows[start : start + CREATE_CHUNK], ignore_conflicts=True)
    if any(row.status == Status.QUEUED for row in rows):
        # A drain per call: one more that finds the rows taken by another costs a query.
        enqueue_for_tenant(outbox_drain)


def withdraw(key_prefixes: Iterable[str], reason: str) -> int:
    """Mark the active tenant's queued messages whose key starts with one of `key_prefixes` skipped, with
    `reason` (what they said is no longer so: a registration cancelled before its confirmation went out).
    A message a worker holds already ('sending') goes. Returns how many were withdrawn."""
    prefixes = [prefix for prefix in key_prefixes if prefix]
    if not prefixes:
        return 0
    matching = Q()
    for prefix in prefixes:
        matching |= Q(key__startswith=prefix)
    return OutboxMessage.objects.filter(matching, status=Status.QUEUED).update(
        status=Status.SKIPPED, skip_reason=reason[:100], next_attempt_at=None
    )


# --- sending -----------------------------------------------------------------------------------------------


def _outgoing(row: OutboxMessage) -> OutgoingMessage:
    reference = str(row.pk)
    headers = {str(name): str(value) for name, value in (row.headers or {}).items()}
    if row.channel == OutreachChannel.EMAIL:
        headers[REFERENCE_HEADER] = reference  # how a file backend finds, after a crash, what it already wrote
    attachments = tuple(
        (item["name"], base64.b64decode(item["content"]), item["mimetype"]) for item in row.attachments or []
    )
    return OutgoingMessage(
        channel=row.channel,
        to=row.address,
        subject=row.subject,
        body=row.body,
        headers=headers,
        reference=reference,
        attachments=attachments,
    )


def send_claimed(rows: list[OutboxMessage]) -> queue.BatchResult:
    """Send the claimed rows (grouped by channel) and mark each from its backend's answer."""
    result = queue.BatchResult()
    by_channel: dict[str, list[OutboxMessage]] = defaultdict(list)
    for row in rows:
        by_channel[row.channel].append(row)
    for channel, channel_rows in by_channel.items():
        # Rows claimed before may have gone out just before their worker died: the backend says which did.
        done = queue.sent_before(channel, channel_rows)
        outcomes: dict[str, SendResult] = {ref: SendResult(Outcome.SENT, "") for ref in done}
        pending = [row for row in channel_rows if str(row.pk) not in done]
        if pending:
            ratelimit.wait_for_slots(channel, len(pending))
            # The wait may have been long: rows the sweep took back meanwhile are another worker's now.
            mine = queue.still_mine(pending)
            pending = [row for row in pending if row.pk in mine]
        if pending:
            try:
                answers = send_batch(channel, [_outgoing(row) for row in pending])
            except Exception as error:
                logger.exception("outbox: the %s backend raised", channel)
                answers = queue.after_backend_error(channel, pending, f"backend error: {error}")
            for row, answer in zip(pending, answers, strict=True):
                outcomes[str(row.pk)] = answer
        queue.mark(channel_rows, outcomes, [], result)
    return result


def drain(*, seconds: float = 60.0, batch_size: int | None = None) -> bool:
    """Send the active tenant's due outbox rows for about `seconds`; True when due rows remain."""
    size = batch_size or settings.OUTREACH_BATCH_SIZE
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        claimed = queue.claim_due(OutboxMessage.objects.all(), size=size, now=timezone.now())
        batch = list(claimed.only(*SEND_FIELDS))
        if not batch:
            return False
        send_claimed(batch)
    return due_rows_exist()


def due_rows_exist() -> bool:
    return queue.due(OutboxMessage.objects.all(), now=timezone.now()).exists()


def requeue_stale() -> int:
    """Put the active tenant's rows left 'sending' by a worker that died back in the queue."""
    return queue.requeue_stale(OutboxMessage.objects.all())


# --- messages to many ---------------------------------------------------------------------------------------
# One action that tells many people (an event's change to all its registrations, a post to all its followers)
# would render and write every message inside the request that asked for it. Past `FANOUT_IN_REQUEST`
# recipients the app writes none there: it marks its own row in the request's transaction (durable with the
# change) and queues a task on commit that writes the messages in chunks, each under its key (a second run
# writes nothing twice) and clears the mark. Each app registers a hook that queues that task again for marks
# left behind (a broker down at commit, a worker that died): the outbox's beat sweep calls it every minute.
FANOUT_IN_REQUEST = 200
# A mark this old whose task has not cleared it is worked again (the hook stamps it when it queues the task).
FANOUT_RETRY_AFTER_SECONDS = 300
_pending_fanouts: dict[str, Callable[[Tenant], int]] = {}


def register_pending_fanouts(name: str, queue_pending: Callable[[Tenant], int]) -> None:
    """`queue_pending(tenant)` queues the tasks of the active tenant's marks left behind; returns how many."""
    _pending_fanouts[name] = queue_pending


def sweep_tenant(tenant: Tenant) -> dict[str, int]:
    """In the active tenant: re-queue stale rows, queue a drain when rows are due (a kick the broker did not
    take at commit, a retry whose backoff has passed), and the fan-outs left behind."""
    with transaction.atomic():
        requeued = requeue_stale()
        due = due_rows_exist()
    if due:
        enqueue_for_tenant(outbox_drain)
    fanouts = 0
    for queue_pending in _pending_fanouts.values():
        with transaction.atomic():
            fanouts += queue_pending(tenant)
    return {"requeued": requeued, "drains": int(due), "fanouts": fanouts}


COMMITS = "the outbox commits each claim and each batch's marks, so that what is sent stays marked sent"


@tenant_task(name="outreach.outbox_drain", acks_late=True, ignore_result=True, commits_as_it_goes=COMMITS)
def outbox_drain(tenant: Tenant) -> None:
    """Send the tenant's due outbox rows for a minute, then hand on to a new task if rows remain. Two drains
    at once take different rows (the claim), so a kick that finds nothing to do costs one query."""
    if drain():
        enqueue_for_tenant(outbox_drain)
