"""Success stories beside the guidance and in campaigns: the guidance's related-content provider (topic pages,
action plans) and the outreach link kind."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from apps.guidance.related import RelatedItem
from apps.outreach.links import absolute_url
from apps.stories import selectors


def related_stories(*, topics: Sequence[str], sector: str = "", limit: int = 3) -> list[RelatedItem]:
    return [
        RelatedItem(title=story.title, url=reverse("stories:detail", args=[story.pk]), summary=story.summary)
        for story in selectors.for_topics(topics=list(topics), sector=sector, limit=limit)
    ]


def more_stories(topics: Sequence[str]) -> str:
    url = reverse("stories:index")
    return f"{url}?{urlencode({'topic': topics[0]})}" if len(topics) == 1 else url


def story_choices() -> list[tuple[str, str]]:
    """The published stories a campaign may link to (newest first)."""
    with selectors.reading_published():
        return [(str(story.pk), story.title) for story in selectors.published()[:200]]


def story_link(value: str, msme: Any = None) -> str:
    try:
        pk = uuid.UUID(str(value))
    except ValueError:
        return ""
    if selectors.published_story(pk) is None:
        return ""
    return absolute_url(reverse("stories:detail", args=[pk]))
