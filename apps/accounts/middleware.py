"""API-token authentication (before the tenant is resolved) and the staff MFA requirement."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from apps.accounts.services import MFA_REQUIRED_FOR_API, api_token_authenticate, staff_mfa_missing
from apps.core.api import is_api_request
from apps.core.roles import STAFF_ROLES


def token_key_from_request(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "token":
        return None
    return key.strip()


class ApiTokenMiddleware:
    """`Authorization: Token <key>` on an API request acts as the token's user, in its tenant.

    Done as middleware, not only in DRF, so that the tenant middleware can take the tenant
    from the token before any view runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.api_token = None
        request.api_token_invalid = False
        if is_api_request(request):
            key = token_key_from_request(request)
            if key is not None:
                token = api_token_authenticate(key)
                if token is None:
                    request.api_token_invalid = True
                else:
                    request.user = token.user
                    request.api_token = token
        return self.get_response(request)


class StaffMfaMiddleware:
    """Where PORTAL_REQUIRE_STAFF_MFA is on (production), staff must enrol TOTP before working.

    Pages send them to enrol; the API (with a token or the session) answers 403 with JSON, since a
    program cannot follow the enrolment.
    """

    exempt_prefixes = ("/accounts/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.PORTAL_REQUIRE_STAFF_MFA
            and getattr(getattr(request, "actor", None), "role", None) in STAFF_ROLES
            and not request.path.startswith(self.exempt_prefixes)
            and staff_mfa_missing(user=request.user, role=request.actor.role)
        ):
            if is_api_request(request):
                detail = MFA_REQUIRED_FOR_API.format(url=request.build_absolute_uri(reverse("mfa_activate_totp")))
                return JsonResponse({"detail": detail}, status=403)
            return redirect("mfa_activate_totp")
        return self.get_response(request)
