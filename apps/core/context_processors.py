from __future__ import annotations

from django.http import HttpRequest

from apps.core.navigation import navigation_for
from apps.tenants.selectors import request_memberships


def portal(request: HttpRequest) -> dict[str, object]:
    role = getattr(request, "role", None)
    user = getattr(request, "user", None)
    context: dict[str, object] = {
        "active_tenant": getattr(request, "tenant", None),
        "active_role": role,
        "navigation": navigation_for(role),
        "switchable_memberships": [],
    }
    if user is not None and user.is_authenticated and getattr(request, "tenant", None) is not None:
        context["switchable_memberships"] = request_memberships(request)
    return context
