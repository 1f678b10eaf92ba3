"""What other apps show beside the guidance: success stories on a topic's page and in the action plan, for now.

An app above the guidance registers a provider from its AppConfig.ready() (the guidance imports no app above
it), naming the models whose saves change what it shows: their saves replace the topic pages' content version,
so a cached page never shows a stale list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.functional import Promise


@dataclass(frozen=True)
class RelatedItem:
    title: str
    url: str
    summary: str = ""


@dataclass(frozen=True)
class RelatedProvider:
    key: str
    heading: str | Promise
    # The items for these guidance topics (and, from the action plan, this ISIC section), at most `limit`.
    items: Callable[..., list[RelatedItem]]
    more_url: Callable[[Sequence[str]], str] | None = None


_providers: dict[str, RelatedProvider] = {}


def register_related(provider: RelatedProvider, *, changed_by: Sequence[type[models.Model]] = ()) -> None:
    from apps.guidance.page_cache import bump_content_version

    _providers[provider.key] = provider
    for model in changed_by:
        for signal in (post_save, post_delete):
            signal.connect(
                bump_content_version, sender=model, dispatch_uid=f"guidance.related.{provider.key}.{model.__name__}"
            )


def related_for(
    topics: Sequence[str], *, sector: str = "", limit: int = 3
) -> list[tuple[RelatedProvider, list[RelatedItem], str]]:
    """Each provider's heading, items and "see more" address, for the providers that have items."""
    found = []
    for provider in _providers.values():
        items = provider.items(topics=list(topics), sector=sector, limit=limit)
        if items:
            more = provider.more_url(list(topics)) if provider.more_url else ""
            found.append((provider, items, more))
    return found
