"""The link kinds outreach itself offers: the IP diagnostic and a guidance topic (registered in ready())."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from apps.guidance import topics
from apps.outreach.links import LinkKind, absolute_url

DIAGNOSTIC_VALUE = "start"


def diagnostic_choices() -> list[tuple[str, str]]:
    return [(DIAGNOSTIC_VALUE, gettext("The IP diagnostic"))]


def diagnostic_url(value: str, msme: Any) -> str:
    return absolute_url(reverse("diagnostics:start")) if value == DIAGNOSTIC_VALUE else ""


def diagnostic_urls(value: str) -> Callable[[Any], str]:
    url = diagnostic_url(value, None)
    return lambda msme: url


def topic_choices() -> list[tuple[str, str]]:
    language = (get_language() or topics.FALLBACK_LANGUAGE).split("-")[0]
    return [(topic.slug, topics.localized(topic.title, language)[0]) for topic in topics.all_topics()]


def topic_url(value: str, msme: Any) -> str:
    if topics.get_topic(value) is None:
        return ""
    return absolute_url(reverse("guidance:topic", args=[value]))


def topic_urls(value: str) -> Callable[[Any], str]:
    url = topic_url(value, None)
    return lambda msme: url


# The same URL for every MSME: resolved once per batch of a campaign's messages.
DIAGNOSTIC = LinkKind(
    "diagnostic", _("The IP diagnostic"), diagnostic_choices, diagnostic_url, order=10, resolve=diagnostic_urls
)
TOPIC = LinkKind("topic", _("A guidance topic"), topic_choices, topic_url, order=20, resolve=topic_urls)
