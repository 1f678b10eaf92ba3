"""Beat jobs that do the same work in every tenant, one tenant at a time.

A periodic task has no tenant: `for_each_tenant` enters each tenant's context in turn, each in a
transaction of its own, so one tenant's failure rolls back only that tenant's work and the others
still run.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TenantOutcome[T]:
    """What `func` returned in one tenant, or the error it raised there (its work rolled back)."""

    result: T | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def for_each_tenant[T](
    func: Callable[[Tenant], T], *, reason: str, active_only: bool = True
) -> dict[str, TenantOutcome[T]]:
    """`func(tenant)` in every (active) tenant, in slug order, each in `tenant_context` and its own
    transaction; returns {slug: outcome}.

    An exception in one tenant is logged with the tenant's slug and does not stop the others.
    `reason` is logged with the caller, as `unscoped()` does, so fan-outs can be audited from the logs.
    """
    if not reason:
        raise ValueError("for_each_tenant() needs a reason")
    tenants = Tenant.objects.order_by("slug")
    if active_only:
        tenants = tenants.filter(is_active=True)
    frame = sys._getframe(1)
    caller = f"{frame.f_globals.get('__name__', '?')}:{frame.f_code.co_qualname}:{frame.f_lineno}"
    logger.info("for each tenant, by %s: %s", caller, reason, extra={"fanout_reason": reason, "fanout_caller": caller})
    outcomes: dict[str, TenantOutcome[T]] = {}
    for tenant in list(tenants):
        try:
            with tenant_context(tenant), transaction.atomic():
                outcomes[tenant.slug] = TenantOutcome(result=func(tenant))
        except Exception as error:
            logger.exception(
                "%s failed in tenant %s (%s)",
                reason,
                tenant.slug,
                caller,
                extra={"tenant": tenant.slug, "fanout_reason": reason},
            )
            outcomes[tenant.slug] = TenantOutcome(error=error)
    return outcomes
