"""Tenant tasks re-enter their tenant: in-process (eager) and on a real worker over Redis."""

import os

import pytest
from django.conf import settings
from django.db import transaction

from apps.tenants.context import get_active_tenant, tenant_context
from apps.tenants.tasks import enqueue_for_tenant
from portal.celery import app
from tests.tenancy_app.models import Widget
from tests.tenancy_app.tasks import widget_names


@pytest.mark.django_db
def test_eager_task_runs_in_the_tenant_it_was_given(tenant_a, tenant_b):
    with tenant_context(tenant_a):
        Widget.objects.create(name="loom")
    with tenant_context(tenant_b):
        Widget.objects.create(name="press")
    assert get_active_tenant() is None
    assert widget_names.delay(tenant_a.pk).get() == ["aa", "loom"]
    assert widget_names.delay(tenant_b.pk).get() == ["bb", "press"]
    assert get_active_tenant() is None


@pytest.mark.django_db
def test_enqueue_for_tenant_sends_the_active_tenant_after_commit(tenant_a, django_capture_on_commit_callbacks):
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=False) as callbacks:
        Widget.objects.create(name="kiln")
        enqueue_for_tenant(widget_names)
    assert len(callbacks) == 1  # nothing sent before the commit


@pytest.mark.django_db
def test_enqueue_for_tenant_refuses_without_a_tenant():
    from apps.tenants.context import NoActiveTenant

    with pytest.raises(NoActiveTenant):
        enqueue_for_tenant(widget_names)


@pytest.mark.celery_worker
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: a real worker on the Redis broker")
@pytest.mark.django_db(transaction=True)
def test_real_worker_reenters_the_tenant(tenant_a, tenant_b):
    from celery.contrib.testing.worker import start_worker

    assert settings.REDIS_URL
    with transaction.atomic(), tenant_context(tenant_a):
        Widget.objects.create(name="anvil")
    with transaction.atomic(), tenant_context(tenant_b):
        Widget.objects.create(name="bellows")
    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            result_a = widget_names.delay(tenant_a.pk)
            result_b = widget_names.delay(tenant_b.pk)
            assert result_a.get(timeout=30) == ["aa", "anvil"]
            assert result_b.get(timeout=30) == ["bb", "bellows"]
    finally:
        app.conf.task_always_eager = True
    with transaction.atomic():
        assert get_active_tenant() is None


def test_a_worker_keeps_reconnecting_to_the_broker_and_finishes_the_task_in_hand():
    # Celery's defaults: a worker exits after 100 failed reconnections (a Redis down for ~45 minutes), and
    # from Celery 6 a broker that goes away cancels the task in hand.
    assert app.conf.broker_connection_max_retries is None
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss is False
