"""Role checks for views: a clear 403 that says which role the page is for."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.core.roles import Role


def role_required(*roles: Role) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Only these roles may open the view; anonymous visitors are sent to sign in first."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(request, "role", None) not in roles:
                names = ", ".join(str(role.label) for role in roles)
                raise PermissionDenied(format_lazy(_("This page is for: {roles}."), roles=names))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
