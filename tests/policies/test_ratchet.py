"""Ratchet: every page and API view of the portal's apps says who it is for.

A view declares `@requires("<rule>")` (or `@public`), or, for DRF, `permission_classes =
[PolicyPermission]` with a `policy` covering each of its actions or methods (or `[PublicAccess]`).
A new app's view that forgets, or names a rule no policies.py registers, fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework import viewsets

from apps.core import policies


def routed_views(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from routed_views(pattern.url_patterns, prefix + namespace)
        elif isinstance(pattern, URLPattern):
            yield prefix + (pattern.name or str(pattern.pattern)), pattern.callback


def _module(view: Any) -> str:
    return getattr(getattr(view, "cls", view), "__module__", "")


def app_views() -> list[tuple[str, Any]]:
    # The Django admin answers to its site's own check (PortalAdminSite.has_permission: platform
    # admins), which tests/access/admin.py holds to a rule per kind of admin route.
    views = [
        (name, view)
        for name, view in routed_views()
        if _module(view).startswith("apps.") and not name.startswith("admin:")
    ]
    assert len(views) > 50, "the URLconf was not walked"
    return views


def test_every_view_of_the_apps_declares_its_policy():
    undeclared = [f"{name} ({_module(view)})" for name, view in app_views() if policies.declared_rules(view) is None]
    assert undeclared == [], "declare @requires/@public, or PolicyPermission with a `policy` for each action"


def test_every_rule_a_view_names_is_registered():
    named = {rule for _name, view in app_views() for rule in policies.declared_rules(view) or []}
    assert named - set(policies.registered()) - {policies.PUBLIC} == set()
    assert {"registry.view_msme", "registry.import_msmes", policies.PUBLIC} <= named
    assert policies.check_declared_rules() == []


def test_the_ratchet_sees_a_view_that_declares_nothing():
    def bare(request):
        return None

    class Incomplete(viewsets.ModelViewSet):
        permission_classes = [policies.PolicyPermission]
        policy = {"list": "registry.view_msme"}

    assert policies.declared_rules(bare) is None
    assert policies.declared_rules(Incomplete.as_view({"get": "list", "post": "create"})) is None
    assert policies.declared_rules(Incomplete.as_view({"get": "list"})) == ["registry.view_msme"]
    assert policies.declared_rules(policies.public(bare)) == [policies.PUBLIC]
