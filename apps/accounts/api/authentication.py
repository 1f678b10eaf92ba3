from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from apps.accounts.middleware import token_key_from_request


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>`: the key was checked by ApiTokenMiddleware; this reports the result."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        django_request = request._request
        if token_key_from_request(django_request) is None:
            return None
        token = getattr(django_request, "api_token", None)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
