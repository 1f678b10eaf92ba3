"""Per-role navigation, registered by each app. An entry whose page is not built yet is left out, not
linked to a 404.

Core lists no app: each app registers its entries from its AppConfig.ready() with
`register_navigation(NavEntry(..., order=N))`, and the menu shows them by `order` (docs/new-app.md,
"Navigation and demo data", has the numbers in use).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
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
    order: int  # place in the menu, lowest first


# By URL name, so that registering again (an app's ready() run twice) replaces and does not repeat.
_registered: dict[str, NavEntry] = {}


# Each role's menu, by role and URL prefix: reversing every entry for every page is a tenth of a millisecond.
_menus: dict[tuple[object, ...], tuple[dict[str, object], ...]] = {}


def _forget_menus(**_signal_kwargs: object) -> None:
    _menus.clear()


setting_changed.connect(_forget_menus, dispatch_uid="navigation.forget_menus")  # ROOT_URLCONF in tests


def register_navigation(*entries: NavEntry) -> None:
    """Add entries to the menu; called from an app's AppConfig.ready()."""
    from apps.core.templatetags.fragments import forget_fragments  # the layout's menu is kept there

    for entry in entries:
        _registered[entry.url_name] = entry
    _menus.clear()
    forget_fragments()


def registered_navigation() -> tuple[NavEntry, ...]:
    return tuple(sorted(_registered.values(), key=lambda entry: (entry.order, entry.url_name)))


def register_core_navigation() -> None:
    """The project-wide pages that belong to no app: the API docs and the Django admin."""
    register_navigation(
        NavEntry(
            _("API docs"),
            "api-docs",
            frozenset({Role.AGENCY_STAFF, Role.HELPDESK_AGENT, Role.DIVISION_ANALYST, Role.PLATFORM_ADMIN}),
            order=900,
        ),
        NavEntry(_("Administration"), "admin:index", frozenset({Role.PLATFORM_ADMIN}), order=1000),
    )


def navigation_for(role: Role | None) -> list[dict[str, object]]:
    """The menu of `role`: each entry's `label` (translated when shown), `url` and `name`."""
    key = (role, get_script_prefix(), get_urlconf())
    menu = _menus.get(key)
    if menu is None:
        menu = _menus.setdefault(key, tuple(_menu(role)))
    return list(menu)


def _menu(role: Role | None) -> list[dict[str, object]]:
    entries = []
    for entry in registered_navigation():
        if role not in entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": entry.label, "url": url, "name": entry.url_name})
    return entries
