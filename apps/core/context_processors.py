from __future__ import annotations

from django.http import HttpRequest

from apps.core.navigation import navigation_for


def portal(request: HttpRequest) -> dict[str, object]:
    role = getattr(request, "role", None)
    return {
        "active_role": role,
        "navigation": navigation_for(role),
    }
