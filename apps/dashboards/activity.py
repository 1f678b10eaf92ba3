"""What the portal's services did for a tenant's MSMEs, counted into `ActivityCount`: helpdesk questions
(answered, within their SLA, rated), outreach messages (sent, skipped and why, failed, unsubscribed), event
registrations and attendance, survey responses, and diagnostics with the movement of maturity levels.

Each source is counted whole. Those read row by row in Python (questions, diagnostics) are read again only
when they changed: their `seen` query (a count and the latest changes of their rows, one aggregate) is kept
in `RollupState.activity_seen`, and a run that finds it as it was (and no change within `CHANGE_SLACK` of
the last run, which may have committed after it) leaves their counts alone. Those counted by GROUP BYs are
counted every run. The full run counts every source; the nightly run and a full one after it find the same
figures (tests/dashboards/test_activity.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, Max, Model, Q, Sum

from apps.dashboards.models import ActivityCount, RollupState
from apps.diagnostics.models import Assessment
from apps.events.models import Registration
from apps.helpdesk.models import Rating, Ticket
from apps.outreach.models import Delivery
from apps.surveys.models import Answer, Response
from apps.tenants.context import get_active_tenant
from apps.tenants.models import Tenant

Figures = Counter[tuple[str, str, str]]  # (dimension, value, metric) -> amount
ALL = "all"  # the dimension of the figures of every row


@dataclass(frozen=True)
class Source:
    name: str  # ActivityCount.source
    model: type[Model]  # its rows: a tenant without any is not counted (nothing to count)
    count: Callable[[], Figures]
    # What its rows look like (a count and their latest changes), for a source read row by row in Python: it
    # is read again only when this moved. None: counted by GROUP BYs, which cost what the check would (they
    # scan the same rows), so counted every run; and their rows change without a timestamp (a message sent
    # again, attendance recorded, an event's kind edited).
    seen: Callable[[], dict[str, Any]] | None = None


def _month(moment: datetime) -> str:
    return moment.strftime("%Y-%m")


def _minutes(start: datetime, end: datetime) -> int:
    return max(0, round((end - start).total_seconds() / 60))


# --- Helpdesk questions ------------------------------------------------------------------------------------

TICKET_FIELDS = (
    "topic",
    "tier",
    "division",
    "created_at",
    "first_responded_at",
    "resolved_at",
    "first_response_due",
    "resolution_due",
    "response_breached_at",
    "resolution_breached_at",
    "rating",
)


def _tickets_seen() -> dict[str, Any]:
    # The SLA sweep stamps a breach, and a rating is written, without moving `updated_at`: their stamps are
    # looked at too.
    return Ticket.objects.aggregate(
        n=Count("id"),
        changed=Max("updated_at"),
        response_breached=Max("response_breached_at"),
        resolution_breached=Max("resolution_breached_at"),
        rated=Max("rated_at"),
    )


def _ticket_figures(row: tuple[Any, ...]) -> list[tuple[str, int]]:
    """One question's figures: opened, answered (and how long it took), resolved, its SLA met or missed, its
    rating. A target still ahead counts neither as met nor as missed."""
    (_, _, _, opened, answered, resolved, response_due, resolution_due, response_late, resolution_late, rating) = row
    figures = [("opened", 1)]
    if answered is not None:
        figures += [("answered", 1), ("answer_minutes", _minutes(opened, answered))]
    if resolved is not None:
        figures += [("resolved", 1), ("resolve_minutes", _minutes(opened, resolved))]
    for name, due, done, late in (
        ("response", response_due, answered, response_late),
        ("resolution", resolution_due, resolved, resolution_late),
    ):
        if due is None:
            continue
        if late is not None or (done is not None and done > due):
            figures.append((f"{name}_missed", 1))
        elif done is not None:
            figures.append((f"{name}_met", 1))
    if rating == Rating.GOOD:
        figures.append(("rated_good", 1))
    elif rating == Rating.BAD:
        figures.append(("rated_bad", 1))
    return figures


def _count_tickets() -> Figures:
    """Questions by topic, service tier, route (the WIPO division whose queue has them; "" the agency's own)
    and month opened. Read row by row (the times are differences of two columns), a few columns each."""
    figures: Figures = Counter()
    for row in Ticket.objects.values_list(*TICKET_FIELDS).order_by().iterator(chunk_size=2_000):
        topic, tier, division, opened = row[0], row[1], row[2] or "", row[3]
        for metric, amount in _ticket_figures(row):
            for dimension, value in ((ALL, ""), ("topic", topic), ("tier", tier), ("route", division)):
                figures[dimension, value, metric] += amount
            figures["month", _month(opened), metric] += amount
    return figures


# --- Outreach ----------------------------------------------------------------------------------------------


OUTCOMES = (Delivery.Status.SENT, Delivery.Status.SKIPPED, Delivery.Status.FAILED)


def _count_outreach() -> Figures:
    """Messages by channel and outcome (skipped by reason), those unsubscribed from, and the MSMEs reached."""
    figures: Figures = Counter()
    rows = (
        Delivery.objects.values_list("channel", "status", "skip_reason")
        .annotate(n=Count("id"), unsubscribed=Count("unsubscribed_at"))
        .order_by()
    )
    for channel, status, reason, n, unsubscribed in rows:
        for dimension, value in ((ALL, ""), ("channel", channel)):
            if status in OUTCOMES:  # not the messages still on their way (queued, being sent)
                figures[dimension, value, status] += n
            figures[dimension, value, "unsubscribed"] += unsubscribed
        if status == Delivery.Status.SKIPPED:
            figures["skip_reason", reason, "skipped"] += n
    reach = Delivery.objects.aggregate(
        msmes_reached=Count("msme_id", distinct=True, filter=Q(status=Delivery.Status.SENT)),
        campaigns=Count("campaign_id", distinct=True),
    )
    for metric, amount in reach.items():
        figures[ALL, "", metric] = amount
    return +figures


# --- Events ------------------------------------------------------------------------------------------------


def _count_events() -> Figures:
    """Registrations by the kind of event: confirmed, waiting, cancelled, and attended or not."""
    figures: Figures = Counter()
    rows = Registration.objects.values_list("event__kind", "status", "attended").annotate(n=Count("id")).order_by()
    for kind, status, attended, n in rows:
        for dimension, value in ((ALL, ""), ("kind", kind)):
            figures[dimension, value, status] += n
            if attended != Registration.Attended.UNKNOWN:
                figures[dimension, value, f"attended_{attended}"] += n
    reach = Registration.objects.exclude(status=Registration.Status.CANCELLED).aggregate(
        msmes_registered=Count("msme_id", distinct=True), events=Count("event_id", distinct=True)
    )
    for metric, amount in reach.items():
        figures[ALL, "", metric] = amount
    return +figures


# --- Surveys -----------------------------------------------------------------------------------------------


def _count_surveys() -> Figures:
    """Responses per survey and answers per question (what each answer was: the survey's results page)."""
    figures: Figures = Counter()
    responses = Response.objects.values_list("survey_id").annotate(n=Count("id")).order_by()
    for survey_id, n in responses:
        figures["survey", str(survey_id), "responses"] = n
        figures[ALL, "", "responses"] += n
    if not responses:
        return figures  # no response, no answer
    for question_id, n in Answer.objects.values_list("question_id").annotate(n=Count("id")).order_by():
        figures["question", str(question_id), "answers"] = n
    figures[ALL, "", "msmes_answered"] = Response.objects.aggregate(n=Count("msme_id", distinct=True))["n"]
    return +figures


# --- Diagnostics -------------------------------------------------------------------------------------------


def _diagnostics_seen() -> dict[str, Any]:
    # A visitor's diagnostic claimed by an MSME is added with the day it was taken: the sum of the scores and
    # the MSMEs assessed move with it even when a deletion keeps the count and the latest day.
    return Assessment.objects.aggregate(
        n=Count("id"), latest=Max("created_at"), scores=Sum("score"), msmes=Count("msme_id", distinct=True)
    )


def _count_diagnostics() -> Figures:
    """Diagnostics by month taken and by how the MSME's level moved since its previous one (a first one, up,
    the same, down), and how many MSMEs stand above the level of their first diagnostic now.

    Read in MSME order, keeping only the current MSME's first and previous levels (memory stays flat)."""
    figures: Figures = Counter()
    current, first, previous = None, 0, 0
    rows = Assessment.objects.values_list("msme_id", "created_at", "level").order_by("msme_id", "created_at", "id")
    for msme_id, taken, level in rows.iterator(chunk_size=2_000):
        if msme_id != current:
            if current is not None:
                figures[ALL, "", "msmes_up"] += previous > first
            current, first, previous = msme_id, level, None
        movement = "first" if previous is None else "up" if level > previous else "down" if level < previous else "same"
        for dimension, value in ((ALL, ""), ("month", _month(taken))):
            figures[dimension, value, movement] += 1
        figures["level", str(level), "diagnostics"] += 1
        previous = level
    if current is not None:
        figures[ALL, "", "msmes_up"] += previous > first
    figures[ALL, "", "msmes_assessed"] = figures[ALL, "", "first"]
    return +figures


SOURCES: tuple[Source, ...] = (
    Source("tickets", Ticket, _count_tickets, _tickets_seen),
    Source("outreach", Delivery, _count_outreach),
    Source("events", Registration, _count_events),
    Source("surveys", Response, _count_surveys),
    Source("diagnostics", Assessment, _count_diagnostics, _diagnostics_seen),
)


def _comparable(seen: dict[str, Any]) -> dict[str, Any]:
    """`seen` as `RollupState.activity_seen` stores it (JSON: a time as its ISO text)."""
    return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in seen.items()}


def _recent(seen: dict[str, Any], since: datetime) -> bool:
    return any(isinstance(value, datetime) and value >= since for value in seen.values())


def count_activity(state: RollupState, *, full: bool, recent_since: datetime) -> list[str]:
    """Count again each source of the active tenant that changed (each when `full`); returns their names.

    `recent_since`: a change at or after it may have committed after the last run: its source is counted."""
    counted = []
    kept: dict[str, Figures] = defaultdict(Counter)  # what the tables hold now, read once
    for source, dimension, value, metric, amount in ActivityCount.objects.values_list(
        "source", "dimension", "value", "metric", "amount"
    ):
        kept[source][dimension, value, metric] = amount
    present = _present()
    for source in SOURCES:
        if not present[source.name]:
            # Many tenants have no survey or event yet: one query tells, for every source at once.
            if kept[source.name]:
                write_counts(source.name, Counter())
                counted.append(source.name)
            continue
        if source.seen is not None:
            seen = source.seen()
            stored = _comparable(seen)
            if not full and state.activity_seen.get(source.name) == stored and not _recent(seen, recent_since):
                continue
            state.activity_seen[source.name] = stored
        figures = source.count()
        if figures != kept[source.name]:  # most sources of most tenants are as they were: nothing written
            write_counts(source.name, figures)
        counted.append(source.name)
    return counted


def _present() -> dict[str, bool]:
    """Which sources have rows in the active tenant (one query: an EXISTS per source)."""
    tenant = get_active_tenant()
    found = Tenant.objects.filter(pk=tenant.pk if tenant else None).annotate(
        **{source.name: Exists(source.model.objects.all()) for source in SOURCES}
    )
    row = found.values(*(source.name for source in SOURCES)).first()
    return row or dict.fromkeys((source.name for source in SOURCES), False)


def write_counts(source: str, figures: Figures) -> None:
    """Replace the active tenant's counts of `source` with `figures` (a few hundred rows at most)."""
    ActivityCount.objects.filter(source=source).delete()
    ActivityCount.objects.bulk_create(
        [
            ActivityCount(source=source, dimension=dimension, value=value, metric=metric, amount=amount)
            for (dimension, value, metric), amount in figures.items()
        ],
        batch_size=1_000,
    )


def figures_of(source: str, dimension: str = ALL) -> dict[str, dict[str, int]]:
    """{value: {metric: amount}} of the active tenant's `source` by `dimension`."""
    found: dict[str, dict[str, int]] = defaultdict(dict)
    rows = ActivityCount.objects.filter(source=source, dimension=dimension).values_list("value", "metric", "amount")
    for value, metric, amount in rows:
        found[value][metric] = amount
    return dict(found)
