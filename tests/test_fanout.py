"""for_each_tenant: a beat job's work in each tenant, each in its own context and transaction."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from apps.registry.models import Msme
from apps.tenants.context import get_active_tenant, tenant_context
from apps.tenants.fanout import for_each_tenant
from tests.factories import MsmeFactory, TenantFactory

pytestmark = pytest.mark.django_db


def _tenant_ids_visible_to_sql() -> set[int]:
    # Past the manager: on PostgreSQL row-level security alone decides which rows come back.
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tenant_id FROM registry_msme")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def three_tenants():
    tenants = [TenantFactory(slug=slug) for slug in ("fan-c", "fan-a", "fan-b")]
    for count, tenant in enumerate(tenants, start=1):
        with tenant_context(tenant):
            MsmeFactory.create_batch(count)
    return {tenant.slug: tenant for tenant in tenants}


def test_each_call_runs_in_its_tenant_and_sees_only_its_rows(three_tenants):
    seen = []

    def count(tenant):
        assert get_active_tenant() == tenant
        if connection.vendor == "postgresql":
            assert _tenant_ids_visible_to_sql() == {tenant.pk}
        seen.append(tenant.slug)
        return Msme.objects.count()

    outcomes = for_each_tenant(count, reason="test: count each tenant's MSMEs")

    assert seen == ["fan-a", "fan-b", "fan-c"]  # a stable order: by slug
    assert {slug: o.result for slug, o in outcomes.items()} == {"fan-c": 1, "fan-a": 2, "fan-b": 3}
    assert all(o.ok for o in outcomes.values())
    assert get_active_tenant() is None


def test_one_tenants_failure_is_logged_rolled_back_and_does_not_stop_the_others(three_tenants, caplog):
    def rename_then_fail_in_a(tenant):
        Msme.objects.update(name="renamed")
        if tenant.slug == "fan-a":
            raise RuntimeError("boom")
        return Msme.objects.filter(name="renamed").count()

    with caplog.at_level(logging.ERROR, logger="apps.tenants.fanout"):
        outcomes = for_each_tenant(rename_then_fail_in_a, reason="test: rename")

    assert not outcomes["fan-a"].ok and str(outcomes["fan-a"].error) == "boom"
    assert (outcomes["fan-b"].result, outcomes["fan-c"].result) == (3, 1)
    (record,) = caplog.records
    assert "fan-a" in record.getMessage() and record.tenant == "fan-a" and record.exc_info
    # The failing tenant's writes were rolled back with its transaction; the others' stayed.
    for slug, renamed in {"fan-a": 0, "fan-b": 3, "fan-c": 1}.items():
        with tenant_context(three_tenants[slug]):
            assert Msme.objects.filter(name="renamed").count() == renamed


def test_inactive_tenants_are_skipped_unless_asked_for(three_tenants):
    three_tenants["fan-b"].is_active = False
    three_tenants["fan-b"].save(update_fields=["is_active"])

    assert set(for_each_tenant(lambda t: None, reason="test: active")) >= {"fan-a", "fan-c"}
    assert "fan-b" not in for_each_tenant(lambda t: None, reason="test: active")
    assert "fan-b" in for_each_tenant(lambda t: None, reason="test: all", active_only=False)


def test_the_reason_and_caller_are_logged_at_info(caplog):
    with caplog.at_level(logging.INFO, logger="apps.tenants.fanout"):
        for_each_tenant(lambda t: None, reason="test: audit")
    (record,) = caplog.records
    assert record.fanout_reason == "test: audit"
    assert record.fanout_caller.startswith(f"{__name__}:test_the_reason_and_caller_are_logged_at_info:")


def test_a_reason_is_required():
    with pytest.raises(ValueError):
        for_each_tenant(lambda t: None, reason="")
