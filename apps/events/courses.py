"""The courses an event may be a session of: listed by an app above the events (the programmes' training list,
WIPO Academy's distance learning) from its AppConfig.ready(). The events import no app above them."""

from __future__ import annotations

from collections.abc import Callable

_sources: dict[str, Callable[[], list[tuple[str, str]]]] = {}


def register_course_source(name: str, source: Callable[[], list[tuple[str, str]]]) -> None:
    """`source()` returns the courses as (address, title)."""
    _sources[name] = source


def course_choices() -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = []
    for source in _sources.values():
        choices += [(url, title) for url, title in source() if url]
    return choices
