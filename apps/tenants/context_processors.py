from __future__ import annotations

from django.http import HttpRequest

from apps.tenants.selectors import request_memberships


def tenant(request: HttpRequest) -> dict[str, object]:
    """The agency the request acts in, and the user's other memberships (the switcher)."""
    user = getattr(request, "user", None)
    active_tenant = getattr(request, "tenant", None)
    context: dict[str, object] = {"active_tenant": active_tenant, "switchable_memberships": []}
    if user is not None and user.is_authenticated and active_tenant is not None:
        context["switchable_memberships"] = request_memberships(request)
    return context
