"""`seed_demo` run again changes nothing: no demo step adds a row to any table, in any tenant, on a second run
(`make run` seeds on every start), the same day or weeks later."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from apps.dashboards.models import DIMENSIONS, MsmeCount, MsmeFact
from apps.registry.models import Msme
from apps.tenants.context import tenant_context, unscoped
from apps.tenants.demo import demo_tenants

pytestmark = pytest.mark.django_db

# Small, but enough that every step has rows of every kind, and more MSMEs than the diagnostics step assesses (its
# first 120 per tenant: a run that took the next ones made about 700 assessments more at the default 300).
ARGS = ("--msmes", "125", "--tickets", "8", "--password", "x-demo-pass-1")


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", *ARGS, stdout=out)
    return out.getvalue()


def _row_counts() -> dict[str, int]:
    """Rows of every table the project's models have (many-to-many tables included), all tenants together."""
    counts = {}
    with unscoped("test: the demo's rows in every tenant"), transaction.atomic():
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            counts[model._meta.label] = model._base_manager.count()
    return counts


def _changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {label: (before.get(label, 0), n) for label, n in after.items() if before.get(label, 0) != n}


def test_a_second_run_adds_no_row_to_any_table():
    _seed()
    first = _row_counts()
    # The first run made what each step is about (so the comparison below is not between empty tables).
    for label in (
        "registry.Msme",
        "diagnostics.Assessment",
        "helpdesk.Ticket",
        "outreach.Delivery",
        "surveys.Response",
        "events.Registration",
        "news.Post",
        "reminders.ReminderDelivery",
        "stories.Story",
        "programmes.ProgrammeRequest",
        "dashboards.MsmeCount",
        "tenants.AuditEvent",
    ):
        assert first[label] > 0, label
    output = _seed()
    assert _changed(first, _row_counts()) == {}
    assert "0 new demo assessments" in output


def test_a_run_weeks_later_adds_no_row_either(monkeypatch):
    _seed()
    first = _row_counts()
    real_now = timezone.now
    # What the steps date from "now" (a renewal due within a month, the statistics' day) has moved on.
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=40))
    _seed()
    assert _changed(first, _row_counts()) == {}


def test_a_run_that_adds_msmes_counts_them_into_the_statistics():
    call_command("seed_demo", "--msmes", "4", "--tickets", "0", "--password", "x-demo-pass-1", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo", "--msmes", "4", "--tickets", "0", "--password", "x-demo-pass-1", stdout=out)
    assert "Statistics: 0 MSMEs counted in 0 tenants. 3 tenants unchanged since their last count." in out.getvalue()
    call_command("seed_demo", "--msmes", "6", "--tickets", "0", "--password", "x-demo-pass-1", stdout=io.StringIO())
    for tenant in demo_tenants():
        with tenant_context(tenant), transaction.atomic():
            assert Msme.objects.count() == 6
            assert MsmeFact.objects.count() == 6  # the statistics count the MSMEs the last run added
            assert sum(MsmeCount.objects.filter(dimension=DIMENSIONS[0]).values_list("msmes", flat=True)) == 6
