"""The reads of events and trainings that carry a rule: who sees which events and registrations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from apps.core import policies
from apps.core.policies import Actor
from apps.events.filters import EventFilterSet
from apps.events.models import Event, Feedback, Registration

ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITING)


def events_visible(actor: Actor, *, rule: str = "events.view_event") -> QuerySet[Event]:
    return policies.rows(actor, rule, Event.objects.order_by("starts_at", "id"))


def event_list(actor: Actor, *, filters: Any = None) -> tuple[EventFilterSet, QuerySet[Event]]:
    """The tenant's events: those to come first, soonest first, then past ones, latest first; invalid filters
    select nothing."""
    now = timezone.now()
    queryset = (
        events_visible(actor)
        .annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
            is_past=Case(When(ends_at__lte=now, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .order_by(
            "is_past",
            Case(When(ends_at__gt=now, then=F("starts_at"))).asc(),
            F("starts_at").desc(),
            "id",
        )
    )
    filterset = EventFilterSet(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return filterset, queryset.none()
    return filterset, filterset.qs


def registrations_visible(actor: Actor, *, rule: str = "events.view_registration") -> QuerySet[Registration]:
    queryset = Registration.objects.select_related("event", "msme").order_by("-created_at", "id")
    return policies.rows(actor, rule, queryset)


def my_registrations(actor: Actor) -> QuerySet[Registration]:
    """A member's MSMEs' registrations, the events to come first."""
    return registrations_visible(actor).order_by("-event__starts_at", "id")


def active_registration(event: Event, msme_ids: Any) -> Registration | None:
    return event.registrations.filter(msme_id__in=msme_ids, status__in=ACTIVE).select_related("msme").first()


@dataclass
class EventRegistrations:
    confirmed: list[Registration]
    waiting: list[Registration]
    cancelled_count: int


# The most rows each list of an event's registrations page shows (a course for thousands is exported).
REGISTRATIONS_SHOWN = 1000


def event_registrations(event: Event) -> EventRegistrations:
    rows = event.registrations.select_related("msme").order_by("created_at", "id")
    return EventRegistrations(
        confirmed=list(rows.filter(status=Registration.Status.CONFIRMED)[:REGISTRATIONS_SHOWN]),
        waiting=list(rows.filter(status=Registration.Status.WAITING)[:REGISTRATIONS_SHOWN]),
        cancelled_count=rows.filter(status=Registration.Status.CANCELLED).count(),
    )


def seats_taken(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


@dataclass
class FeedbackSummary:
    count: int = 0
    average: float | None = None
    by_rating: list[tuple[int, int]] = field(default_factory=list)  # (rating, count), 5 to 1
    comments: list[Feedback] = field(default_factory=list)
    attended: int = 0
    confirmed: int = 0


COMMENTS_SHOWN = 200


def feedback_summary(event: Event) -> FeedbackSummary:
    feedback = Feedback.objects.filter(registration__event=event)
    totals = feedback.aggregate(count=Count("id"), average=Avg("rating"))
    counts = dict(feedback.values_list("rating").annotate(n=Count("id")).values_list("rating", "n"))
    registrations = event.registrations.aggregate(
        confirmed=Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
        attended=Count("id", filter=Q(attended=Registration.Attended.YES)),
    )
    return FeedbackSummary(
        count=totals["count"],
        average=round(totals["average"], 1) if totals["average"] is not None else None,
        by_rating=[(rating, counts.get(rating, 0)) for rating in range(5, 0, -1)],
        comments=list(
            feedback.exclude(comment="").select_related("registration__msme").order_by("-created_at")[:COMMENTS_SHOWN]
        ),
        attended=registrations["attended"],
        confirmed=registrations["confirmed"],
    )


def upcoming_event_choices() -> list[tuple[str, str]]:
    """Campaign links: the tenant's published events still to come (in the active tenant)."""
    events = Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__gt=timezone.now()).order_by(
        "starts_at", "id"
    )[:200]
    return [(str(event.pk), event.title) for event in events]
