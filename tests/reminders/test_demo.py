"""The demo reminders (seed_demo's reminders step): each demo member has a calendar address, a renewal due
within a month and its reminders as sent history; a second run adds nothing and sends nothing."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from apps.reminders.models import CalendarToken, ReminderDelivery
from apps.tenants.context import tenant_context
from apps.tenants.demo import demo_tenants

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--msmes", "3", "--tickets", "2", "--password", "x-demo-pass-1", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, tuple[int, int]]:
    counts = {}
    for tenant in demo_tenants():
        with tenant_context(tenant), transaction.atomic():
            counts[tenant.slug] = (
                CalendarToken.objects.count(),
                ReminderDelivery.objects.filter(status="sent", sent_at__isnull=False).count(),
            )
    return counts


def test_the_demo_members_have_a_calendar_address_and_sent_reminders_once():
    output = _seed()
    counts = _counts()
    assert counts and all(tokens == 1 and sent >= 1 for tokens, sent in counts.values()), counts
    address = next(line for line in output.splitlines() if "calendar address of" in line).rsplit(" ", 1)[1]
    assert Client().get(urlsplit(address).path).status_code == 200  # the address the demo prints works
    assert all("Reminder:" not in message.subject for message in mail.outbox)  # history: nothing was sent
    _seed()
    assert _counts() == counts
