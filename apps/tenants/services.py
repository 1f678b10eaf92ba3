"""Tenant services."""

from __future__ import annotations

from django.http import HttpRequest

from apps.tenants.selectors import SESSION_KEY, memberships_for_user


def tenant_switch(*, request: HttpRequest, slug: str) -> bool:
    """Make `slug` the active tenant for this session, if the user is a member of it."""
    if not memberships_for_user(user=request.user).filter(tenant__slug=slug).exists():
        return False
    request.session[SESSION_KEY] = slug
    return True
