"""The demo outreach (seed_demo's outreach step): campaigns whose deliveries show every outcome, once."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from apps.outreach.models import Campaign, Delivery
from apps.outreach.sending import counts_of
from apps.tenants.context import tenant_context
from apps.tenants.demo import demo_tenants

pytestmark = pytest.mark.django_db


def _seed() -> None:
    call_command("seed_demo", "--msmes", "20", "--tickets", "5", "--password", "x-demo-pass-1", stdout=io.StringIO())


def test_the_demo_has_a_sent_campaign_with_deliveries_in_every_state_and_a_second_run_adds_nothing():
    _seed()
    tenant = demo_tenants()[0]
    with tenant_context(tenant), transaction.atomic():
        sent = Campaign.objects.get(status=Campaign.Status.SENT)
        counts = counts_of(sent)
        assert counts["sent"] and counts["failed"] and counts["unsubscribed"]
        assert all(counts["skipped_by_reason"].values())
        assert Campaign.objects.filter(status=Campaign.Status.DRAFT).exists()
        cancelled = Campaign.objects.get(status=Campaign.Status.CANCELLED)
        assert counts_of(cancelled)["queued"]
        before = Delivery.objects.count()
    _seed()
    with tenant_context(tenant), transaction.atomic():
        assert Delivery.objects.count() == before and Campaign.objects.count() == 3
    assert not [m for m in mail.outbox if "diagnostic" in m.subject.lower()]
