"""Finding a user's memberships and the active one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from apps.tenants.models import Membership

SESSION_KEY = "active_tenant_slug"


def memberships_for_user(*, user: object) -> QuerySet[Membership]:
    return (
        Membership.objects.select_related("tenant")
        .filter(user=user, tenant__is_active=True)
        .order_by("created_at", "pk")
    )


def active_membership_for_request(request: HttpRequest) -> Membership | None:
    """From the API token, else the membership chosen in the session, else the user's first one."""
    user = request.user
    if not user.is_authenticated:
        return None
    token = getattr(request, "api_token", None)
    if token is not None:
        membership = token.membership
        if membership is None or not membership.tenant.is_active:
            return None
        return membership
    memberships = request_memberships(request)
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.tenant.slug == chosen:
            return membership
    return memberships[0] if memberships else None


def request_memberships(request: HttpRequest) -> list[Membership]:
    """The signed-in user's memberships, read once per request."""
    if not request.user.is_authenticated:
        return []
    if not hasattr(request, "_memberships"):
        request._memberships = list(memberships_for_user(user=request.user))
    return request._memberships
