"""What a valid event, registration and feedback are, once: plain functions of plain values returning
`{field: [message]}`, used by the forms, the serializers and the services."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import available_timezones

from django.conf import settings
from django.utils.translation import gettext as _

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
NAME_MAX = 150
COMMENT_MAX = 2000
CAPACITY_MAX = 100_000
TOPICS_MAX = 10
# A course may run for weeks; longer is a typing mistake.
EVENT_MAX_DAYS = 366
# The most registrations one attendance form marks at once.
ATTENDANCE_MAX = 1000


def event_errors(
    *,
    title: str,
    description: str,
    kind: str,
    online_url: str,
    venue: str,
    city: str,
    language: str,
    time_zone: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    capacity: int | None,
    topics: list[str],
    kinds: list[str],
    topic_slugs: list[str],
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the event a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("Keep the title under %(max)d characters.") % {"max": TITLE_MAX}]
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = [_("Keep the description under %(max)d characters.") % {"max": DESCRIPTION_MAX}]
    if kind not in kinds:
        errors["kind"] = [_("Pick a kind of event from the list.")]
    if not online_url and not venue.strip() and not city.strip():
        errors["online_url"] = [_("Give the link of an online event, or the venue and city of one at a place.")]
    if language not in {code for code, _name in settings.LANGUAGES}:
        errors["language"] = [_("Pick a language from the list.")]
    if time_zone not in available_timezones():
        errors["time_zone"] = [_("Pick a time zone from the list.")]
    if starts_at is None:
        errors["starts_at"] = [_("Say when the event starts.")]
    if ends_at is None:
        errors["ends_at"] = [_("Say when the event ends.")]
    elif starts_at is not None:
        if ends_at <= starts_at:
            errors["ends_at"] = [_("The event must end after it starts.")]
        elif ends_at - starts_at > timedelta(days=EVENT_MAX_DAYS):
            errors["ends_at"] = [_("An event lasts at most %(days)d days.") % {"days": EVENT_MAX_DAYS}]
    if capacity is not None and not 1 <= capacity <= CAPACITY_MAX:
        errors["capacity"] = [
            _("The capacity is a number from 1 to %(max)d, or empty for no limit.") % {"max": CAPACITY_MAX}
        ]
    if len(topics) > TOPICS_MAX:
        errors["topics"] = [_("Pick at most %(max)d topics.") % {"max": TOPICS_MAX}]
    elif any(topic not in topic_slugs for topic in topics):
        errors["topics"] = [_("Pick topics from the list.")]
    return errors


def person_errors(*, name: str, email: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if len(name) > NAME_MAX:
        errors["name"] = [_("Keep the name under %(max)d characters.") % {"max": NAME_MAX}]
    if len(email) > 254:
        errors["email"] = [_("Enter a valid e-mail address.")]
    return errors


def feedback_errors(*, rating: int | None, comment: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if rating is None or not 1 <= rating <= 5:
        errors["rating"] = [_("Rate the event from 1 to 5.")]
    if len(comment) > COMMENT_MAX:
        errors["comment"] = [_("Keep the comment under %(max)d characters.") % {"max": COMMENT_MAX}]
    return errors
