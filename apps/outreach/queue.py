"""The send queue that campaign deliveries (`Delivery`) and the outbox (`OutboxMessage`) share: rows that are
claimed, sent and marked, so that each message goes out once whatever happens to the workers.

A row is `queued` (due at `next_attempt_at`, or at once), then `sending` while a worker holds it, then `sent`,
`failed` or `skipped` (with a reason), or `queued` again after a temporary failure (backoff, until
`OUTREACH_MAX_ATTEMPTS`).

- `claim_due`: a worker takes a batch of due rows (`SELECT ... FOR UPDATE SKIP LOCKED`, then `sending`,
  `claimed_at`, `attempts + 1`) in a transaction of its own: two workers never hold the same row.
- `still_mine`: the claim's `claimed_at` is its fencing token. A worker so slow that the sweep re-queued its
  rows (and another worker may hold them now) neither sends nor marks them.
- `sent_before`: a row claimed before (its worker died between sending and marking) is first looked up in
  its backend (`ChannelBackend.already_sent`), so that backends that keep what they wrote never send twice.
- `mark`: each row from its backend's answer, in one transaction holding the rows locked.
- `requeue_stale`: rows left `sending` longer than `OUTREACH_STALE_SENDING_SECONDS` go back to the queue.

The models share the fields this module reads and writes: status, skip_reason, attempts, claimed_at,
next_attempt_at, last_error, sent_at.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.outreach.channels import Outcome, SendResult, already_sent, tells_what_it_sent
from apps.outreach.models import SendStatus as Status

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 6 * 60 * 60
MARKED_FIELDS = ["status", "skip_reason", "last_error", "claimed_at", "next_attempt_at"]


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0
    retry: int = 0
    skipped: int = 0


def due(rows: models.QuerySet, *, now: datetime) -> models.QuerySet:
    """The queued rows of `rows` whose time has come."""
    return rows.filter(status=Status.QUEUED).filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def claim_due(rows: models.QuerySet, *, size: int, now: datetime) -> models.QuerySet:
    """Take up to `size` due rows of `rows`: they are 'sending' and this worker's until marked. Returns the
    claimed rows as a queryset, for the caller to load what it needs (`only`, `select_related`)."""
    model = rows.model
    with transaction.atomic():
        ids = list(
            due(rows.select_for_update(skip_locked=True), now=now).order_by().values_list("pk", flat=True)[:size]
        )
        if not ids:
            return model.objects.none()
        model.objects.filter(pk__in=ids, status=Status.QUEUED).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    # The claim's own time tells this worker's rows apart (on SQLite, which has no row locks, too).
    return model.objects.filter(pk__in=ids, status=Status.SENDING, claimed_at=now)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 4 ** max(0, attempts - 1)))


def sent_before(channel: str, rows: Iterable[Any]) -> set[str]:
    """The references (`str(pk)`) of the rows claimed before whose message the backend says it sent already."""
    retried = [str(row.pk) for row in rows if row.attempts > 1]
    return already_sent(channel, retried) if retried else set()


def after_backend_error(channel: str, rows: list[Any], detail: str) -> list[SendResult]:
    """The backend raised for the whole batch: some of its messages may have gone out. A backend that can tell
    which did (`already_sent`) is asked on the retry; one that cannot gets one blind retry per row, then the
    row fails, so that no message goes out more than twice."""
    try:
        tells = tells_what_it_sent(channel)
    except Exception:  # a misconfigured backend: as one that cannot tell
        tells = False
    return [SendResult(Outcome.RETRY if tells or row.attempts <= 1 else Outcome.FAILED, detail) for row in rows]


def still_mine(rows: Iterable[Any], *, lock: bool = False) -> set:
    """The ids of `rows` still claimed by this worker: 'sending' with the very `claimed_at` its claim wrote
    (the claim's token)."""
    rows = list(rows)
    tokens = {row.pk: row.claimed_at for row in rows if row.claimed_at is not None}
    if not tokens:
        return set()
    current = type(rows[0]).objects.filter(pk__in=list(tokens), status=Status.SENDING)
    if lock:
        current = current.select_for_update()
    return {pk for pk, claimed_at in current.values_list("pk", "claimed_at") if claimed_at == tokens[pk]}


def mark(
    rows: list[Any],
    outcomes: dict[str, SendResult],
    skipped: list[tuple[Any, str]],
    result: BatchResult,
) -> None:
    """Mark the claimed `rows` from their backend's answers (`outcomes` by `str(pk)`; a row without one stays
    claimed, for the sweep) and the `skipped` ones with their reason."""
    everything = [*rows, *(row for row, _reason in skipped)]
    if not everything:
        return
    model = type(everything[0])
    now = timezone.now()
    with transaction.atomic():
        # Locked until the marks commit: the sweep cannot re-queue them in between.
        mine = still_mine(everything, lock=True)
        sent_ids = [
            row.pk
            for row in rows
            if row.pk in mine and (o := outcomes.get(str(row.pk))) is not None and o.outcome == Outcome.SENT
        ]
        changed = []
        for row, reason in skipped:
            if row.pk not in mine:
                continue
            row.status, row.skip_reason, row.claimed_at = Status.SKIPPED, reason, None
            changed.append(row)
            result.skipped += 1
        for row in rows:
            answer = outcomes.get(str(row.pk))
            if row.pk not in mine or answer is None or answer.outcome == Outcome.SENT:
                continue
            row.last_error = answer.detail[:2000]
            row.claimed_at = None
            if answer.outcome == Outcome.RETRY and row.attempts < settings.OUTREACH_MAX_ATTEMPTS:
                row.status = Status.QUEUED
                row.next_attempt_at = now + backoff(row.attempts)
                result.retry += 1
            else:
                row.status = Status.FAILED
                row.next_attempt_at = None
                result.failed += 1
            changed.append(row)
        if sent_ids:
            model.objects.filter(pk__in=sent_ids, status=Status.SENDING).update(
                status=Status.SENT, sent_at=now, claimed_at=None, next_attempt_at=None, last_error=""
            )
        if changed:
            model.objects.bulk_update(changed, MARKED_FIELDS, batch_size=500)
    result.sent += len(sent_ids)


def requeue_stale(rows: models.QuerySet, *, now: datetime | None = None) -> int:
    """Put the rows of `rows` left 'sending' by a worker that died back in the queue."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.OUTREACH_STALE_SENDING_SECONDS)
    return rows.filter(status=Status.SENDING, claimed_at__lt=cutoff).update(
        status=Status.QUEUED, claimed_at=None, next_attempt_at=None
    )
