"""What a valid post and a valid comment are, once: plain functions of plain values returning
{field: [message]} (the page's forms and the services ask them)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.utils.translation import gettext as _

from apps.guidance.topics import TOPIC_SLUGS
from apps.news.models import WIPO_REGIONS, Post
from apps.registry.rules import subdivisions

TITLE_MAX = 200
SUMMARY_MAX = 500
BODY_MAX = 20_000
COMMENT_MIN = 2
COMMENT_MAX = 2_000
LANGUAGE_MAX = 10


def post_languages(tenant_languages: Sequence[str]) -> list[str]:
    """The languages a tenant's posts can be written in: its own (even those the pages are not in, such as
    Swahili) first, then the portal's."""
    codes = [code for code in tenant_languages if code and len(code) <= LANGUAGE_MAX]
    for code, _name in settings.LANGUAGES:
        if code not in codes:
            codes.append(code)
    return codes


def region_codes(country: str) -> set[str]:
    """The regions a tenant's post may name: WIPO's, or a subdivision of the agency's country."""
    codes = {code for code, _label in WIPO_REGIONS}
    if country:
        codes |= {code for code, _name in subdivisions(country)}
    return codes


def text_field(name: str, language: str) -> str:
    """The form field of one language's title, summary or body."""
    return f"{name}_{language}"


def post_errors(
    *,
    kind: str,
    topic: str,
    region: str,
    closes_on: datetime.date | None,
    fallback_language: str,
    texts: Mapping[str, Mapping[str, str]],
    languages: Sequence[str],
    country: str,
) -> dict[str, list[str]]:
    """`texts`: {language: {"title", "summary", "body"}}; a language with none of the three is no text."""
    errors: dict[str, list[str]] = {}
    if kind not in Post.Kind.values:
        errors["kind"] = [_("Pick news or consultation.")]
    if topic not in TOPIC_SLUGS:
        errors["topic"] = [_("Pick a topic.")]
    if region and region not in region_codes(country):
        errors["region"] = [_("Pick a region from the list.")]
    if kind == Post.Kind.CONSULTATION and closes_on is None:
        errors["closes_on"] = [_("A consultation needs the day its comments close.")]
    if fallback_language not in languages:
        errors["fallback_language"] = [_("Pick one of the languages offered.")]
    for language, text in texts.items():
        if language not in languages:
            errors.setdefault("fallback_language", []).append(_("Pick one of the languages offered."))
            continue
        title, summary, body = (text.get(key, "").strip() for key in ("title", "summary", "body"))
        if not (title or summary or body):
            continue
        if not title:
            errors[text_field("title", language)] = [_("A title is needed in each language written.")]
        elif len(title) > TITLE_MAX:
            errors[text_field("title", language)] = [_("At most %(max)d characters.") % {"max": TITLE_MAX}]
        if len(summary) > SUMMARY_MAX:
            errors[text_field("summary", language)] = [_("At most %(max)d characters.") % {"max": SUMMARY_MAX}]
        if not body:
            errors[text_field("body", language)] = [_("A text is needed in each language written.")]
        elif len(body) > BODY_MAX:
            errors[text_field("body", language)] = [_("At most %(max)d characters.") % {"max": BODY_MAX}]
    fallback = texts.get(fallback_language, {})
    if fallback_language in languages and not (fallback.get("title", "").strip() and fallback.get("body", "").strip()):
        errors.setdefault(text_field("title", fallback_language), []).append(
            _("The fallback language needs a title and a text: readers in other languages see it.")
        )
    return errors


def comment_errors(*, body: str, recent_comments: int) -> dict[str, list[str]]:
    """`recent_comments`: how many the author wrote in the last hour (NEWS_COMMENTS_PER_HOUR at most)."""
    body = body.strip()
    if len(body) < COMMENT_MIN:
        return {"body": [_("Write your comment.")]}
    if len(body) > COMMENT_MAX:
        return {"body": [_("At most %(max)d characters.") % {"max": COMMENT_MAX}]}
    if recent_comments >= settings.NEWS_COMMENTS_PER_HOUR:
        return {
            "body": [
                _("You have written %(count)d comments in the last hour; please wait before writing more.")
                % {"count": recent_comments}
            ]
        }
    return {}


def topic_errors(topic: str) -> dict[str, list[str]]:
    return {} if topic in TOPIC_SLUGS else {"topic": [_("Pick a topic.")]}


def closed_message() -> str:
    return _("This post no longer takes comments.")


def bulk_message(limit: int) -> str:
    return _("At most %(max)d at once.") % {"max": limit}
