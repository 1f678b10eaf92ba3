"""Per-role navigation. An entry whose page is not built yet is left out, not linked to a 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.core.roles import Role

EVERYONE = frozenset({None, *Role})
SIGNED_IN = frozenset(Role)


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    roles: frozenset


NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry(_("Guidance"), "guidance:index", EVERYONE),
    NavEntry(_("IP diagnostic"), "diagnostics:start", EVERYONE),
    NavEntry(_("My business"), "registry:my-msme", frozenset({Role.MSME_MEMBER})),
    NavEntry(_("My action plan"), "guidance:plan", frozenset({Role.MSME_MEMBER})),
    NavEntry(_("MSME registry"), "registry:index", frozenset({Role.AGENCY_STAFF})),
    NavEntry(_("Import MSMEs"), "registry:import", frozenset({Role.AGENCY_STAFF})),
    NavEntry(_("Helpdesk"), "helpdesk:index", frozenset({Role.MSME_MEMBER, Role.HELPDESK_AGENT})),
    NavEntry(_("Outreach"), "outreach:index", frozenset({Role.AGENCY_STAFF})),
    NavEntry(
        _("Dashboards"), "dashboards:index", frozenset({Role.AGENCY_STAFF, Role.DIVISION_ANALYST, Role.PLATFORM_ADMIN})
    ),
    NavEntry(
        _("API docs"),
        "api-docs",
        frozenset({Role.AGENCY_STAFF, Role.HELPDESK_AGENT, Role.DIVISION_ANALYST, Role.PLATFORM_ADMIN}),
    ),
    NavEntry(_("Administration"), "admin:index", frozenset({Role.PLATFORM_ADMIN})),
)


def navigation_for(role: Role | None) -> list[dict[str, object]]:
    entries = []
    for entry in NAVIGATION:
        if role not in entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": entry.label, "url": url, "name": entry.url_name})
    return entries
