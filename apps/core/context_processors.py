from __future__ import annotations

from django.http import HttpRequest

from apps.core.navigation import navigation_for


def portal(request: HttpRequest) -> dict[str, object]:
    actor = getattr(request, "actor", None)  # absent on a page answered before the tenant middleware
    role = actor.role if actor is not None else None
    return {
        "active_role": role,
        "navigation": navigation_for(role),
    }
