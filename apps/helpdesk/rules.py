"""What a valid ticket and message are: one place for the bounds and their messages (pages, API, e-mail
and the services all ask these)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from apps.guidance.topics import topic_slugs

SUBJECT_MAX = 200
BODY_MAX = 20000
COMMENT_MAX = 2000
MAX_ATTACHMENTS = 5


def _languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def ticket_errors(*, subject: str, body: str, topic: str, language: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not subject.strip():
        errors["subject"] = [_("Say in a few words what your question is about.")]
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = [_("Keep the subject under %(max)d characters.") % {"max": SUBJECT_MAX}]
    errors.update(message_errors(body=body, field="body"))
    if topic and topic not in topic_slugs():
        errors["topic"] = [_("Pick a topic from the list.")]
    if language not in _languages():
        errors["language"] = [_("Pick a language from the list.")]
    return errors


def message_errors(*, body: str, field: str = "body") -> dict[str, list[str]]:
    if not body.strip():
        return {field: [_("Write your message.")]}
    if len(body) > BODY_MAX:
        return {field: [_("Keep the message under %(max)d characters.") % {"max": BODY_MAX}]}
    return {}


def rating_errors(*, rating: str, comment: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if rating not in ("good", "bad"):
        errors["rating"] = [_("Say whether the answer was good or bad.")]
    if len(comment) > COMMENT_MAX:
        errors["comment"] = [_("Keep the comment under %(max)d characters.") % {"max": COMMENT_MAX}]
    return errors
