"""The demo helpdesk (seed_demo's helpdesk step): queues for every demo tenant and six divisions, agents who
can sign in, tickets in every state with their history in the past, and nothing more on a second run."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from apps.accounts.models import User
from apps.core.roles import Division
from apps.helpdesk.models import CannedReply, Message, Queue, QueueAgent, RoutingRule, SlaTarget, Status, Ticket
from apps.programmes.models import ProgrammeRequest
from apps.tenants.context import division_context, tenant_context
from apps.tenants.demo import DEMO_TENANTS
from apps.tenants.models import Tenant

pytestmark = pytest.mark.django_db

PASSWORD = "x-demo-pass-1"
DIVISIONS = [
    Division.PCT,
    Division.MADRID,
    Division.HAGUE,
    Division.AMC,
    Division.GLOBAL_CHALLENGES,
    Division.PATENT_LAW,
]
TICKETS = 40


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--msmes", "6", "--tickets", str(TICKETS), "--password", PASSWORD, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    counts = {
        "queues": Queue.objects.count(),
        "agents": QueueAgent.objects.count(),
        "rules": RoutingRule.objects.count(),
        "targets": SlaTarget.objects.count(),
        "canned": CannedReply.objects.count(),
        "users": User.objects.count(),
    }
    for tenant in Tenant.objects.all():
        with tenant_context(tenant), transaction.atomic():
            counts[f"tickets-{tenant.slug}"] = Ticket.objects.count()
            counts[f"messages-{tenant.slug}"] = Message.objects.count()
    return counts


def _queues_for_every_demo_tenant_and_the_divisions() -> None:
    for demo in DEMO_TENANTS:
        queue = Queue.objects.get(tenant__slug=demo.slug, is_default=True)
        assert queue.languages == list(demo.languages) and queue.country == demo.country
        assert queue.time_zone != "UTC"
        agent = QueueAgent.objects.get(queue=queue, user__email=f"agent@{demo.slug}.demo")
        assert agent.is_lead
        assert CannedReply.objects.filter(queue=queue).count() >= 3
    egypt = Queue.objects.get(tenant__slug="eg", is_default=True)
    assert egypt.work_days == [6, 0, 1, 2, 3] and egypt.time_zone == "Africa/Cairo"
    assert "{requester_name}" in CannedReply.objects.filter(queue=egypt).first().body
    for division in DIVISIONS:
        queue = Queue.objects.get(division=division)
        assert queue.time_zone == "Europe/Zurich" and queue.country == "CH"
        lead = QueueAgent.objects.get(queue=queue, is_lead=True).user
        assert lead.email == f"agent-{division.value}@wipo.demo"
        assert lead.division == division and lead.division_role == User.DivisionRole.AGENT
    assert dict(RoutingRule.objects.filter(tenant=None).values_list("topic", "queue__division")) == {
        "pct": "pct",
        "madrid": "madrid",
        "hague": "hague",
        "adr": "amc",
        "green": "global-challenges",
        "research": "global-challenges",
        "iap": "patent-law",
    }
    assert SlaTarget.objects.filter(queue=None).count() == 16
    assert SlaTarget.objects.filter(queue__division=Division.PCT).exists()


def _the_agents_can_sign_in() -> None:
    for email in ["agent@ke.demo", "agent@eg.demo", *(f"agent-{d.value}@wipo.demo" for d in DIVISIONS)]:
        client = Client()
        response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
        assert response.status_code == 302, (email, response.content[:500])
        assert "_auth_user_id" in client.session, email


def _tickets_in_every_state_with_a_past() -> None:
    now = timezone.now()
    for demo in DEMO_TENANTS:
        tenant = Tenant.objects.get(slug=demo.slug)
        with tenant_context(tenant), transaction.atomic():
            tickets = Ticket.objects.all()
            # The helpdesk's own, and the programmes' demo requests (each a ticket) seeded after them.
            assert tickets.count() == TICKETS + ProgrammeRequest.objects.count()
            assert set(tickets.values_list("status", flat=True)) == set(Status.values), demo.slug
            assert tickets.filter(merged_into__isnull=False).exists()
            assert tickets.exclude(rating="").exists()
            assert tickets.filter(division__isnull=False).exists()
            # Spread over the past weeks, every timestamp in the past, in order.
            oldest = tickets.order_by("created_at").first().created_at
            assert (now - oldest).days >= 7
            assert not Message.objects.filter(created_at__gt=now).exists()
            for ticket in tickets.exclude(first_responded_at=None):
                assert ticket.created_at < ticket.first_responded_at <= now
            for ticket in tickets.filter(status=Status.RESOLVED):
                # A met target keeps its due time, counted from the past opening (SLA compliance reads it).
                assert ticket.created_at < ticket.resolved_at <= now
                assert ticket.created_at < ticket.first_response_due < ticket.resolution_due < now + timedelta(days=30)
            # New or open tickets have due times; some of them are past (breached, and stamped as the sweep would).
            active = tickets.filter(status__in=[Status.NEW, Status.OPEN])
            assert not active.filter(resolution_due=None).exists()
            unanswered = active.filter(first_responded_at=None)
            breached = active.filter(resolution_due__lt=now) | unanswered.filter(first_response_due__lt=now)
            assert breached.exists()
            assert not breached.filter(response_breached_at=None, resolution_breached_at=None).exists()
            # The tickets' languages are the tenant's (those the portal speaks).
            languages = set(tickets.values_list("language", flat=True))
            assert languages <= set(demo.languages)
            if demo.slug == "eg":
                assert languages == {"ar", "en"}
    with division_context(Division.MADRID), transaction.atomic():
        assert Ticket.objects.exists()  # a division's agents find what was routed to them


def test_the_demo_helpdesk_once_and_only_once():
    output = _seed()
    assert "new demo tickets" in output and "agent-pct@wipo.demo" in output
    assert not mail.outbox  # the demo's history sends no e-mail
    _queues_for_every_demo_tenant_and_the_divisions()
    _tickets_in_every_state_with_a_past()
    _the_agents_can_sign_in()
    before = _counts()
    _seed()
    assert _counts() == before
