"""The active tenant: a request-scoped (or task-scoped) value, never a request parameter.

`tenant_context(tenant)` enters a tenant; `unscoped(reason)` is the one escape hatch for
cross-tenant work (division dashboards, statistics jobs, the admin). Grep for `unscoped(`
to find every place that reads across tenants.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apps.tenants.models import Tenant

logger = logging.getLogger(__name__)

_active_tenant: ContextVar[Tenant | None] = ContextVar("active_tenant", default=None)
_unscoped_reason: ContextVar[str | None] = ContextVar("unscoped_reason", default=None)


class NoActiveTenant(RuntimeError):
    """A tenant-owned model was queried with no active tenant and no `unscoped()` block."""


def get_active_tenant() -> Tenant | None:
    return _active_tenant.get()


def require_active_tenant() -> Tenant:
    tenant = _active_tenant.get()
    if tenant is None:
        raise NoActiveTenant(
            "No active tenant: enter tenant_context(tenant), or unscoped(reason) for cross-tenant work."
        )
    return tenant


def is_unscoped() -> bool:
    return _unscoped_reason.get() is not None


@contextmanager
def tenant_context(tenant: Tenant | None) -> Iterator[Tenant | None]:
    """Make `tenant` the active tenant inside the block (None: no tenant)."""
    token = _active_tenant.set(tenant)
    unscoped_token = _unscoped_reason.set(None)
    try:
        yield tenant
    finally:
        _unscoped_reason.reset(unscoped_token)
        _active_tenant.reset(token)


def iterate_in_tenant[T](tenant: Tenant | None, iterable: Iterable[T]) -> Iterator[T]:
    """`iterable`'s items, each one produced inside `tenant_context(tenant)`.

    For a streaming response: it is read after the view and the tenant middleware have returned, so
    its queries would run with no tenant, and row-level security would let no row through. The
    context is entered and left within each step, never held across a `yield`: the next step may
    run in another context (under ASGI, another thread).
    """
    from apps.tenants.rls import autocommit_scope  # rls reads this module's context

    iterator = iter(iterable)
    while True:
        # The request's transaction has ended: each query runs in a transaction of its own with the
        # scope applied (a server-side cursor is then declared WITH HOLD, and outlives the step).
        with tenant_context(tenant), autocommit_scope("streamed response, read after the request"):
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item


@contextmanager
def unscoped(reason: str) -> Iterator[None]:
    """The named escape hatch: tenant-owned managers return every tenant's rows inside it.

    `reason` and the code that entered the block (module:function:line) are logged at INFO, so that
    cross-tenant reads can be audited from the logs alone.
    """
    if not reason:
        raise ValueError("unscoped() needs a reason")
    caller = _caller()
    logger.info("unscoped by %s: %s", caller, reason, extra={"unscoped_reason": reason, "unscoped_caller": caller})
    token = _unscoped_reason.set(reason)
    try:
        yield
    finally:
        _unscoped_reason.reset(token)


def _caller() -> str:
    """module:function:line of the code that entered `unscoped()`, past contextlib's own frames
    (`with`, `ExitStack.enter_context`)."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") in {__name__, contextlib.__name__}:
        frame = frame.f_back
    if frame is None:
        return "?"
    return f"{frame.f_globals.get('__name__', '?')}:{frame.f_code.co_qualname}:{frame.f_lineno}"
