"""Celery tasks carry their tenant explicitly and re-enter its context in the worker.

A worker has no request and so no active tenant: a tenant task takes the tenant's id as its
first argument, loads the tenant and runs inside `tenant_context`, in one transaction with the
tenant scope set once (as a request does). Enqueue with `enqueue_for_tenant`, which reads the
active tenant and sends after the transaction commits.

Sending never blocks nor fails the caller for long when the broker is down (`send_now`): a short connect
timeout, no retries, and the error logged. The write that asked for the task has committed by then, so the
page answers; what was not queued is picked up by the beat job or sweep that owns that work, or marked by the
caller's `on_refused`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any

from celery import current_app, shared_task
from django.db import transaction

from apps.core.audit import Channel, audit_context
from apps.tenants.context import require_active_tenant, tenant_context
from apps.tenants.rls import apply_scope, autocommit_scope


def tenant_task(
    *task_args: Any, commits_as_it_goes: str = "", **task_options: Any
) -> Callable[[Callable[..., Any]], Any]:
    """Decorate `func(tenant, *args, **kwargs)`; the Celery task takes `(tenant_id, *args, **kwargs)`.

    The run is one transaction: its work commits when it returns and rolls back when it raises.
    `commits_as_it_goes` (the reason) opts out: the run is in autocommit, each query in its own
    transaction or the function's own atomic blocks, so that what it commits (an import's progress)
    is seen by others while it runs.
    """

    def decorator(func: Callable[..., Any]) -> Any:
        @functools.wraps(func)
        def run(tenant_id: int, *args: Any, **kwargs: Any) -> Any:
            from apps.tenants.models import Tenant

            if commits_as_it_goes:
                tenant = Tenant.objects.get(pk=tenant_id)
                with tenant_context(tenant), autocommit_scope(commits_as_it_goes), audit_context(channel=Channel.TASK):
                    return func(tenant, *args, **kwargs)
            with transaction.atomic():
                tenant = Tenant.objects.get(pk=tenant_id)
                with tenant_context(tenant), audit_context(channel=Channel.TASK):
                    apply_scope()
                    return func(tenant, *args, **kwargs)

        return shared_task(*task_args, **task_options)(run)

    return decorator


logger = logging.getLogger(__name__)

# A request must not wait on a broker that is down, nor fail once its write has committed.
ENQUEUE_CONNECT_TIMEOUT = 2
ENQUEUE_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 5}


def send_now(
    task: Any, args: Sequence[Any] = (), *, on_refused: Callable[[], None] | None = None, **options: Any
) -> bool:
    """Queue `task` now (a short connect timeout, no retries). When the broker cannot take it, the error is
    logged, `on_refused()` runs (to mark or release what was not queued), and the answer is False."""
    try:
        with current_app.connection_for_write(
            connect_timeout=ENQUEUE_CONNECT_TIMEOUT,
            transport_options={**current_app.conf.broker_transport_options, **ENQUEUE_TRANSPORT_OPTIONS},
        ) as connection:
            task.apply_async(tuple(args), retry=False, connection=connection, **options)
    except Exception:  # kombu's OperationalError, redis' ConnectionError, a timeout: all mean "not queued"
        logger.warning("Task %s could not be queued", getattr(task, "name", task), exc_info=True)
        if on_refused is not None:
            on_refused()
        return False
    return True


def enqueue_for_tenant(task: Any, *args: Any, on_refused: Callable[[], None] | None = None, **kwargs: Any) -> None:
    """Send `task` for the active tenant once the current transaction commits (`send_now`: a broker that is
    down is logged, and `on_refused` runs, never an error for the request that committed)."""
    tenant_id = require_active_tenant().pk
    transaction.on_commit(lambda: send_now(task, (tenant_id, *args), kwargs=kwargs or None, on_refused=on_refused))
