"""Enters the request's one scope (apps.tenants.scope: the membership's tenant, from the session or the
API token; else the user's division), and runs the request in one transaction with that scope set once,
with its first query (apps.tenants.rls)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from apps.core.api import is_api_request
from apps.core.audit import Channel, audit_context
from apps.core.roles import Role
from apps.tenants import signed_in
from apps.tenants.context import NoActiveTenant, scope_context, unscoped
from apps.tenants.files import StorageFull
from apps.tenants.rls import autocommit_scope
from apps.tenants.scope import actor_for, role_for
from apps.tenants.selectors import active_membership_for_request


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._admin_prefix: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Who is acting, before the transaction and mostly from the cache: a request that reads nothing
        # else (a bare page, a cached one) then sends PostgreSQL nothing at all, not even BEGIN and COMMIT.
        self._resolve_actor(request)
        # One transaction for the request: one BEGIN and COMMIT, and the row-level security settings sent
        # once (with its first query), instead of a transaction of its own around each query. A streamed
        # response's body is read after this returns: iterate_in_tenant and serve_private_file handle that.
        if _non_atomic(request):
            with autocommit_scope("view marked transaction.non_atomic_requests"):
                return self._in_tenant(request)
        with transaction.atomic():
            response = self._in_tenant(request)
            if getattr(request, "_rollback", False):
                transaction.set_rollback(True)
            return response

    def _resolve_actor(self, request: HttpRequest) -> None:
        signed_in.resolve(request)
        membership = active_membership_for_request(request)
        request.membership = membership
        request.tenant = membership.tenant if membership else None
        request.actor = actor_for(request.user, role_for(request.user, membership), membership)

    def _in_tenant(self, request: HttpRequest) -> HttpResponse:
        with ExitStack() as stack:
            stack.enter_context(scope_context(request.actor.scope))
            # What the request writes is recorded as done through a page or the API, in the actor's scope.
            channel = Channel.API if is_api_request(request) else Channel.PAGE
            stack.enter_context(audit_context(channel=channel, division=request.actor.division))
            if request.actor.role == Role.PLATFORM_ADMIN and request.path.startswith(self.admin_prefix):
                # The Django admin is the operators' cross-tenant tool.
                stack.enter_context(unscoped("platform admin in the Django admin"))
            # No apply_scope() here: the RLS execute wrapper sets the scope with the request's first query,
            # in the same transaction, so a request that makes none sends none.
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view's exception rolls the request's transaction back, as ATOMIC_REQUESTS would.

        And a tenant page asked for by someone with no tenant (a division analyst, a platform
        admin outside the admin, a user with no membership): 403, never a 500. An upload the storage has
        no room for: 507, saying so (the storage removed what it had written; the rollback the rows)."""
        roll_back_request(request)
        if isinstance(exception, StorageFull):
            return _storage_full(request)
        if not isinstance(exception, NoActiveTenant):
            return None
        message = _("This page belongs to an agency, and you are not working in one.")
        if is_api_request(request):
            return JsonResponse({"detail": message}, status=403)
        return response_for_exception(request, PermissionDenied(message))

    @property
    def admin_prefix(self) -> str:
        if self._admin_prefix is None:
            self._admin_prefix = reverse("admin:index")
        return self._admin_prefix


def _storage_full(request: HttpRequest) -> HttpResponse:
    message = _(
        "The file could not be stored: the portal's file storage is full. Nothing was saved. "
        "Try again later; if it keeps happening, tell the helpdesk."
    )
    if is_api_request(request):
        return JsonResponse({"detail": message}, status=507)
    return render(request, "507.html", {"message": message}, status=507)


def _non_atomic(request: HttpRequest) -> bool:
    """Whether the view opted out of the request's transaction with Django's own marker,
    `transaction.non_atomic_requests` (on a DRF viewset: on the action's method)."""
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    return _non_atomic_view(urlconf, request.path_info, (request.method or "").lower())


# Resolving the path again (Django resolves it after the middleware) was a twentieth of a cached page's time;
# the answer depends only on the URLconf, the path and the method.
@functools.lru_cache(maxsize=1024)
def _non_atomic_view(urlconf: object, path: str, method: str) -> bool:
    try:
        view = resolve(path, urlconf=urlconf).func
    except Resolver404:
        return False
    aliases = set(getattr(view, "_non_atomic_requests", ()))
    actions = getattr(view, "actions", None) or {}
    if action := actions.get(method):
        aliases |= set(getattr(getattr(view.cls, action, None), "_non_atomic_requests", ()))
    return DEFAULT_DB_ALIAS in aliases


@receiver(setting_changed)
def _forget_views(*, setting: str, **_kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":  # as Django's own URL caches (tests override it)
        _non_atomic_view.cache_clear()


def roll_back_request(request: HttpRequest) -> None:
    """Roll the request's transaction back once the response is made (an exception became an error
    response). Marked, not rolled back at once: rendering that response may still query."""
    request._rollback = True
