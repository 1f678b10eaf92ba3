"""The active scope: a request-scoped (or task-scoped) value, never a request parameter.

Exactly one scope is active at a time: a tenant (`tenant_context(tenant)`), a WIPO division
(`division_context(division)`: rows routed to that division, across tenants), or none (no rows).
`scope_context(scope)` enters an `apps.tenants.scope.Scope` of any kind. `unscoped(reason)` is the
one escape hatch for cross-scope work (statistics jobs, the admin). Grep for `unscoped(` to find
every place that reads across scopes.
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
    from apps.tenants.scope import Scope

logger = logging.getLogger(__name__)

_active_tenant: ContextVar[Tenant | None] = ContextVar("active_tenant", default=None)
# "" when the scope is not a division's; never set together with a tenant.
_active_division: ContextVar[str] = ContextVar("active_division", default="")
_unscoped_reason: ContextVar[str | None] = ContextVar("unscoped_reason", default=None)


class NoActiveTenant(RuntimeError):
    """A tenant-owned model was queried with no active tenant and no `unscoped()` block."""


class NotRoutedToDivisions(NoActiveTenant):
    """A model that is not routed to divisions was queried or written in a division's scope: a division
    never sees a tenant's own rows (its registry, its members)."""


def get_active_tenant() -> Tenant | None:
    return _active_tenant.get()


def get_active_division() -> str:
    """The active division's code ("" outside a division's scope)."""
    return _active_division.get()


def require_active_tenant() -> Tenant:
    tenant = _active_tenant.get()
    if tenant is None:
        if _active_division.get():
            raise NotRoutedToDivisions(
                f"Division scope ({_active_division.get()}): only models routed to divisions are readable, "
                "and a new row needs its tenant set explicitly."
            )
        raise NoActiveTenant(
            "No active tenant: enter tenant_context(tenant), or unscoped(reason) for cross-tenant work."
        )
    return tenant


def active_scope() -> Scope:
    """The scope in force, as a value that `scope_context` can enter again (a task, a streamed body)."""
    from apps.tenants.scope import Scope, ScopeKind

    tenant, division = _active_tenant.get(), _active_division.get()
    if tenant is not None:
        return Scope(ScopeKind.TENANT, tenant=tenant)
    if division:
        return Scope(ScopeKind.DIVISION, division=division)
    return Scope.none()


def is_unscoped() -> bool:
    return _unscoped_reason.get() is not None


@contextmanager
def tenant_context(tenant: Tenant | None) -> Iterator[Tenant | None]:
    """Make `tenant` the active tenant inside the block (None: no tenant, so no scope at all)."""
    with _entered(tenant, ""):
        yield tenant


@contextmanager
def division_context(division: str) -> Iterator[str]:
    """Enter `division`'s scope: models routed to divisions show the rows routed to it, of every tenant;
    every other tenant-owned model refuses to be read (`NotRoutedToDivisions`)."""
    from apps.core.roles import Division

    if division not in Division.values:
        raise ValueError(f"Not a division: {division!r}")
    with _entered(None, division):
        yield division


@contextmanager
def scope_context(scope: Scope) -> Iterator[Scope]:
    """Enter `scope`, whatever its kind. The platform's scope and no scope hold no rows by themselves: a
    platform job enters each tenant in turn (`for_each_tenant`) or reads across them with `unscoped`."""
    from apps.tenants.scope import ScopeKind

    if scope.kind == ScopeKind.TENANT and scope.tenant is None:
        raise ValueError("A tenant scope needs its tenant.")
    if scope.kind == ScopeKind.DIVISION:
        with division_context(scope.division):
            yield scope
        return
    with _entered(scope.tenant if scope.kind == ScopeKind.TENANT else None, ""):
        yield scope


@contextmanager
def _entered(tenant: Tenant | None, division: str) -> Iterator[None]:
    # Entering a scope leaves whatever was in force, the escape hatch included: one scope at a time.
    token = _active_tenant.set(tenant)
    division_token = _active_division.set(division)
    unscoped_token = _unscoped_reason.set(None)
    try:
        yield
    finally:
        _unscoped_reason.reset(unscoped_token)
        _active_division.reset(division_token)
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
