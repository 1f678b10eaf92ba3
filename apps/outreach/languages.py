"""The languages a campaign's message may be in: every language the registry accepts as an MSME's preferred
one (apps.registry.rules decides which), named in the portal's words where the portal speaks it."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from apps.registry import rules as registry_rules


@cache
def _registry_names() -> dict[str, str]:
    return dict(registry_rules.languages())


def language_name(code: str) -> str:
    """The language's name: the portal's (translated) for its own languages, else its ISO 639 name."""
    portal = dict(settings.LANGUAGES)
    if code in portal:
        return str(portal[code])
    return _registry_names().get(code, code)


def language_choices() -> list[tuple[str, str]]:
    """Every language a message may be in, as (code, "Name (code)"), by ISO name (the portal's in its words)."""
    return [(code, f"{language_name(code)} ({code})") for code, _name in registry_rules.languages()]


def message_language(code: str) -> str | None:
    """`code` as a message's language is stored (small letters), or None when the registry does not accept it."""
    if not code or registry_rules.language_error(code) is not None:
        return None
    return code.lower()
