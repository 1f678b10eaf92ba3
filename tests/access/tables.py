"""Reading the tables: which status each (URL name, role) cell expects, and the URL to request."""

from __future__ import annotations

import types
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

from django.db import models
from django.urls import get_resolver
from django.utils.regex_helper import normalize

from tests.access import (
    accounts,
    admin,
    allauth,
    api,
    core,
    dashboards,
    diagnostics,
    events,
    guidance,
    helpdesk_agent,
    helpdesk_api,
    helpdesk_member,
    helpdesk_sessions,
    helpdesk_settings,
    news,
    outreach_campaigns,
    outreach_segments,
    plan,
    programmes,
    registry,
    reminders,
    stories,
    surveys,
    tenants,
)
from tests.access.data import ROLES, AccessData
from tests.access.spec import Spec
from tests.test_isolation_sweep import Route, walk

# The explicit tables, one per app. The admin's routes follow a rule (tests/access/admin.py).
TABLES: tuple[types.ModuleType, ...] = (
    core,
    accounts,
    allauth,
    tenants,
    registry,
    guidance,
    diagnostics,
    plan,
    helpdesk_agent,
    helpdesk_member,
    helpdesk_sessions,
    helpdesk_settings,
    api,
    helpdesk_api,
    reminders,
    surveys,
    news,
    events,
    outreach_segments,
    outreach_campaigns,
    dashboards,
    programmes,
    stories,
)
# The portal's own URLconf: the test settings' one adds the test-only tenancy app's routes.
PORTAL_URLCONF = "portal.urls"


@dataclass(frozen=True)
class Cell:
    name: str
    role: str
    method: str
    path: str
    expected: int
    xfail: str | None = None  # the bug that makes the route answer otherwise

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path} [{self.name}] as {self.role}"


def portal_routes() -> list[Route]:
    return list(walk(get_resolver(PORTAL_URLCONF).url_patterns))


def _value(data: AccessData, name: str) -> str:
    """An AccessData attribute's primary key (or its value, when it is a string), or the name itself as a
    literal ("patents", "1")."""
    obj = getattr(data, name, None)
    if isinstance(obj, models.Model):
        return str(obj.pk)
    if isinstance(obj, str) and obj:  # a value AccessData made (a calendar address's secret token)
        return obj
    return name


def table_spec(name: str, data: AccessData, *, observing: bool = False) -> Spec | None:
    """The explicit table's row of `name` (observing: its ARGS and POST_ONLY even with no row yet)."""
    for module in TABLES:
        if name in module.TABLE or (
            observing and name in getattr(module, "ARGS", {}) | dict.fromkeys(getattr(module, "POST_ONLY", ()))
        ):
            args = getattr(module, "ARGS", {}).get(name, {})
            xfails = {role: reason for (url, role), reason in getattr(module, "XFAIL", {}).items() if url == name}
            return Spec(
                name=name,
                expected=module.TABLE.get(name, {}),
                kwargs={param: _value(data, value) for param, value in args.items()},
                method="post" if name in getattr(module, "POST_ONLY", set()) else "get",
                xfail=xfails,
            )
    return None


def spec_for(route: Route, data: AccessData | None) -> Spec | None:
    """The route's row: its table's, else the first rule that claims it."""
    if data is not None:
        spec = table_spec(route.name, data)
    else:
        spec = next((Spec(route.name, m.TABLE[route.name]) for m in TABLES if route.name in m.TABLE), None)
    if spec is not None:
        return spec
    return admin.rule(route, data)


def route_path(route: Route, kwargs: dict[str, str]) -> str | None:
    for format_string, params in normalize(route.regex):
        if set(params) <= set(kwargs):
            return "/" + quote(format_string % {p: kwargs[p] for p in params}, safe="/~:@!$&'()*+,;=-._")
    return None


def cells(data: AccessData) -> Iterator[Cell | str]:
    """Every cell of the matrix; a string where a row is incomplete (a problem to report)."""
    for route in portal_routes():
        spec = spec_for(route, data)
        if spec is None:
            yield f"{route.name}: in no table and matched by no rule"
            continue
        missing = [role for role in ROLES if role not in spec.expected]
        unknown = sorted(set(spec.expected) - set(ROLES))
        if missing or unknown:
            yield f"{route.name}: roles missing {missing}, unknown {unknown}"
            continue
        url = route_path(route, spec.kwargs)
        if url is None:
            yield f"{route.name}: no value for its parameters {route.params}: name them in the table's ARGS"
            continue
        for role in ROLES:
            yield Cell(route.name, role, spec.method, url, spec.expected[role], spec.xfail.get(role))
