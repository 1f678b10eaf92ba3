"""Sets the active tenant for the request from the user's membership (or API token)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.roles import Role, role_for
from apps.tenants.context import NoActiveTenant, tenant_context, unscoped
from apps.tenants.selectors import active_membership_for_request


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._admin_prefix: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = active_membership_for_request(request)
        request.membership = membership
        request.tenant = membership.tenant if membership else None
        request.role = role_for(request.user, membership)
        with ExitStack() as stack:
            stack.enter_context(tenant_context(request.tenant))
            if request.role == Role.PLATFORM_ADMIN and request.path.startswith(self.admin_prefix):
                # The Django admin is the operators' cross-tenant tool.
                stack.enter_context(unscoped("platform admin in the Django admin"))
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A tenant page asked for by someone with no tenant (a division analyst, a platform
        admin outside the admin, a user with no membership): 403, never a 500."""
        if not isinstance(exception, NoActiveTenant):
            return None
        message = _("This page belongs to an agency, and you are not working in one.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        return response_for_exception(request, PermissionDenied(message))

    @property
    def admin_prefix(self) -> str:
        if self._admin_prefix is None:
            self._admin_prefix = reverse("admin:index")
        return self._admin_prefix
