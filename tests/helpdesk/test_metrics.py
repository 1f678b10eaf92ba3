from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from apps.core.roles import Division
from apps.helpdesk.metrics import ticket_figures
from apps.helpdesk.models import Ticket
from tests.factories import HelpdeskTicketFactory

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _ticket(**fields):
    values = {"created_at": T0, "first_response_due": T0 + timedelta(hours=8), "resolution_due": T0 + timedelta(days=5)}
    values.update(fields)
    return HelpdeskTicketFactory(**values)


def test_figures_by_topic(in_tenant):
    # Patents: answered in 2 h (in time) and 10 h (late); one resolved in 1 day (in time), rated good.
    _ticket(
        topic="patents",
        status="resolved",
        first_responded_at=T0 + timedelta(hours=2),
        resolved_at=T0 + timedelta(days=1),
        rating="good",
    )
    _ticket(topic="patents", status="open", first_responded_at=T0 + timedelta(hours=10))
    # Trademarks: waiting for an answer, one rated bad after a late resolution.
    _ticket(topic="trademarks", status="new")
    _ticket(
        topic="trademarks",
        status="closed",
        first_responded_at=T0 + timedelta(hours=1),
        resolved_at=T0 + timedelta(days=6),
        rating="bad",
    )
    merged_into = _ticket(topic="copyright", status="open")
    _ticket(topic="copyright", status="closed", merged_into=merged_into)  # left out

    figures = {row.group: row for row in ticket_figures(Ticket.objects.all(), by="topic")}
    patents, trademarks, copyright_ = figures["patents"], figures["trademarks"], figures["copyright"]
    assert (patents.tickets, patents.backlog, patents.answered, patents.resolved) == (2, 1, 2, 1)
    assert patents.mean_first_response == timedelta(hours=6)
    assert patents.response_compliance == 0.5 and patents.resolution_compliance == 1.0
    assert patents.satisfaction == 1.0
    assert trademarks.backlog == 1 and trademarks.resolution_compliance == 0.0 and trademarks.satisfaction == 0.0
    assert trademarks.mean_resolution == timedelta(days=6)
    assert copyright_.tickets == 1 and copyright_.response_compliance is None


def test_figures_by_division_and_tier(in_tenant):
    _ticket(tier="ip_office", division=Division.AMC, queue=in_tenant.division_queue)
    _ticket(tier="first_time")
    by_division = {row.group: row.tickets for row in ticket_figures(Ticket.objects.all(), by="division")}
    assert by_division == {Division.AMC.value: 1, "": 1}
    assert {row.group for row in ticket_figures(Ticket.objects.all(), by="tier")} == {"ip_office", "first_time"}
    with pytest.raises(ValueError):
        ticket_figures(Ticket.objects.all(), by="msme")
