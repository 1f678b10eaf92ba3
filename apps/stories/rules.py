"""What a valid success story is: one place for the bounds and their messages (pages, API, services)."""

from __future__ import annotations

from typing import Any

import pycountry
from django.conf import settings
from django.utils.translation import gettext as _

from apps.guidance.topics import topic_slugs
from apps.registry.models import IpAsset

TITLE_MAX = 200
SUMMARY_MAX = 300
BODY_MAX = 10000
NAME_MAX = 200
SECTIONS = tuple(chr(code) for code in range(ord("A"), ord("U") + 1))  # ISIC Rev.4 sections


def story_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, limit, message in (
        ("title", TITLE_MAX, _("Give the story a title.")),
        ("summary", SUMMARY_MAX, _("Sum the story up in a sentence or two.")),
        ("body", BODY_MAX, _("Tell what the business did with its IP and what changed.")),
    ):
        value = values.get(field, "")
        if not value.strip():
            errors[field] = [message]
        elif len(value) > limit:
            errors[field] = [_("Keep this under %(max)d characters.") % {"max": limit}]
    if values.get("sector_section") not in SECTIONS:
        errors["sector_section"] = [_("Pick a sector from the list.")]
    if pycountry.countries.get(alpha_2=values.get("country") or "") is None:
        errors["country"] = [_("Pick a country from the list.")]
    ip_used = values.get("ip_used", [])
    if not ip_used or any(kind not in IpAsset.Type.values for kind in ip_used):
        errors["ip_used"] = [_("Pick the kinds of IP the business used.")]
    topics = values.get("topics", [])
    if not topics or any(slug not in topic_slugs() for slug in topics):
        errors["topics"] = [_("Pick the guidance topics the story shows.")]
    if len(values.get("msme_name", "")) > NAME_MAX:
        errors["msme_name"] = [_("Keep this under %(max)d characters.") % {"max": NAME_MAX}]
    if values.get("language") not in {code for code, _name in settings.LANGUAGES}:
        errors["language"] = [_("Pick a language from the list.")]
    return errors
