"""The Django admin, signed into through allauth only (its rate limits, lockout and MFA step)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from apps.core.roles import Role

# Whoever uses the admin works as staff there, whatever their role in the portal.
ADMIN_ROLE = Role.PLATFORM_ADMIN


class PortalAdminSite(AdminSite):
    """Django's admin without its own login form, which would skip allauth's throttling and MFA."""

    def has_permission(self, request: HttpRequest) -> bool:
        from apps.accounts.services import session_passed_mfa, staff_mfa_missing

        if not super().has_permission(request):
            return False
        if staff_mfa_missing(user=request.user, role=ADMIN_ROLE):
            return False
        return session_passed_mfa(request)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Never a form here: send to allauth's sign-in (with `next`), or on to where the user was going."""
        from apps.accounts.services import session_passed_mfa, staff_mfa_missing

        next_url = request.GET.get(REDIRECT_FIELD_NAME) or request.POST.get(REDIRECT_FIELD_NAME) or ""
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        user = request.user
        if user.is_authenticated:
            if not (user.is_active and user.is_staff):
                raise PermissionDenied(_("This account cannot use the administration."))
            if staff_mfa_missing(user=user, role=ADMIN_ROLE):
                return redirect("mfa_activate_totp")
            if not session_passed_mfa(request):
                # This session was opened without the second factor the user has: start again properly.
                logout(request)
                messages.warning(request, _("Sign in again with your authenticator app to use the administration."))
            else:
                return HttpResponseRedirect(next_url)
        return HttpResponseRedirect(f"{resolve_url('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


class PortalAdminConfig(AdminConfig):
    default_site = "apps.accounts.admin_site.PortalAdminSite"
