"""What a campaign can link to: the diagnostic, a guidance topic, an event, a survey, ...

Each kind of link is registered by the app that owns the target, from its `AppConfig.ready()`, so that
outreach lists the targets without importing the apps above it (events, surveys):

    register_link_kind(LinkKind("event", _("An event"), choices=upcoming_event_choices, url_for=event_url))

`choices()` runs in the active tenant and returns `[(value, label)]`; `url_for(value, msme)` returns the
absolute URL a message carries for that MSME (`msme` is None for a preview or a test send), or "" when the
value no longer exists.

A kind whose `url_for` reads its target (a survey, an event) also gives `resolve(value)`: it reads the target
once and returns the function of an MSME that `url_for(value, ·)` is, so that a batch of a campaign's messages
reads it once, not once per message (`LinkKind.urls`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.functional import Promise


@dataclass(frozen=True)
class LinkKind:
    key: str
    label: str | Promise
    choices: Callable[[], list[tuple[str, str]]]
    url_for: Callable[[str, Any], str]
    order: int = 100
    resolve: Callable[[str], Callable[[Any], str]] | None = None

    def urls(self, value: str) -> Callable[[Any], str]:
        """The URL of `value` for each MSME, its target read once (by `resolve`) when the kind can."""
        if self.resolve is not None:
            return self.resolve(value)
        url_for = self.url_for
        return lambda msme: url_for(value, msme)


_KINDS: dict[str, LinkKind] = {}


def register_link_kind(kind: LinkKind) -> None:
    existing = _KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"link kind {kind.key!r} is registered twice")
    _KINDS[kind.key] = kind


def link_kinds() -> list[LinkKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.key))


def link_kind(key: str) -> LinkKind | None:
    return _KINDS.get(key)


def absolute_url(path: str) -> str:
    """`path` on the portal's public address (`PORTAL_URL`), for messages read outside the portal."""
    return settings.PORTAL_URL.rstrip("/") + "/" + path.lstrip("/")
