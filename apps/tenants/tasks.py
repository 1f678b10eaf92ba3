"""Celery tasks carry their tenant explicitly and re-enter its context in the worker.

A worker has no request and so no active tenant: a tenant task takes the tenant's id as its
first argument, loads the tenant and runs inside `tenant_context`, in one transaction with the
tenant scope set once (as a request does). Enqueue with `enqueue_for_tenant`, which reads the
active tenant and sends after the transaction commits.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from celery import shared_task
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


def enqueue_for_tenant(task: Any, *args: Any, **kwargs: Any) -> None:
    """Send `task` for the active tenant once the current transaction commits."""
    tenant_id = require_active_tenant().pk
    transaction.on_commit(lambda: task.delay(tenant_id, *args, **kwargs))
