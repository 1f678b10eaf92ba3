"""Helpdesk figures for the statistics: first response and resolution times, SLA compliance, backlog and
satisfaction, grouped by queue, topic, tier, tenant or division. Aggregates only: no ticket leaves here.

The caller chooses the rows (a tenant's, a division's, or every tenant's through the statistics job's
`unscoped`); the figures are computed by the database in one query per grouping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet

from apps.helpdesk.models import Rating, Status, Ticket

GROUPINGS = {
    "queue": "queue__name",
    "topic": "topic",
    "tier": "tier",
    "tenant": "tenant__slug",
    "division": "division",
}


@dataclass(frozen=True)
class TicketFigures:
    group: str
    tickets: int
    backlog: int
    answered: int
    resolved: int
    mean_first_response: timedelta | None
    mean_resolution: timedelta | None
    answered_in_time: int
    resolved_in_time: int
    rated_good: int
    rated_bad: int

    @property
    def response_compliance(self) -> float | None:
        """The share of answered tickets answered within their first-response target."""
        return self.answered_in_time / self.answered if self.answered else None

    @property
    def resolution_compliance(self) -> float | None:
        return self.resolved_in_time / self.resolved if self.resolved else None

    @property
    def satisfaction(self) -> float | None:
        rated = self.rated_good + self.rated_bad
        return self.rated_good / rated if rated else None


def ticket_figures(tickets: QuerySet[Ticket], *, by: str) -> list[TicketFigures]:
    """Figures of `tickets` per value of `by` (one of GROUPINGS), largest group first. Merged duplicates
    are left out: they were answered on the ticket they were merged into."""
    if by not in GROUPINGS:
        raise ValueError(f"group by one of {sorted(GROUPINGS)}")
    column = GROUPINGS[by]
    response_time = ExpressionWrapper(F("first_responded_at") - F("created_at"), output_field=DurationField())
    resolution_time = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    rows = (
        tickets.filter(merged_into__isnull=True)
        .order_by()
        .values(column)
        .annotate(
            n=Count("id"),
            backlog=Count("id", filter=Q(status__in=[Status.NEW, Status.OPEN, Status.WAITING])),
            answered=Count("id", filter=Q(first_responded_at__isnull=False)),
            resolved=Count("id", filter=Q(resolved_at__isnull=False)),
            mean_response=Avg(response_time, filter=Q(first_responded_at__isnull=False)),
            mean_resolution=Avg(resolution_time, filter=Q(resolved_at__isnull=False)),
            answered_in_time=Count("id", filter=Q(first_responded_at__lte=F("first_response_due"))),
            resolved_in_time=Count("id", filter=Q(resolved_at__lte=F("resolution_due"))),
            good=Count("id", filter=Q(rating=Rating.GOOD)),
            bad=Count("id", filter=Q(rating=Rating.BAD)),
        )
        .order_by("-n", column)
    )
    return [
        TicketFigures(
            group=row[column] or "",
            tickets=row["n"],
            backlog=row["backlog"],
            answered=row["answered"],
            resolved=row["resolved"],
            mean_first_response=row["mean_response"],
            mean_resolution=row["mean_resolution"],
            answered_in_time=row["answered_in_time"],
            resolved_in_time=row["resolved_in_time"],
            rated_good=row["good"],
            rated_bad=row["bad"],
        )
        for row in rows
    ]
