from __future__ import annotations

from django.http import HttpRequest

from apps.core.navigation import navigation_for


def portal(request: HttpRequest) -> dict[str, object]:
    actor = getattr(request, "actor", None)  # absent on a page answered before the tenant middleware
    role = actor.role if actor is not None else None
    navigation = navigation_for(role)
    return {
        "active_role": role,
        "navigation": navigation,
        # The menu entry of this page, if it is one: the layout's menu is cached by role and this.
        "navigation_current": next((entry["url"] for entry in navigation if entry["url"] == request.path), ""),
    }
