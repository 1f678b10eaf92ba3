"""What a valid campaign is, once: the form, the serializer and the services all ask these."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.outreach.links import link_kind
from apps.outreach.recipients import portal_languages
from apps.registry import rules as registry_rules

SUBJECT_MAX = 200
BODY_MAX = 20_000
SHORT_TEXT_MAX = 480


def campaign_errors(
    *,
    fallback_language: str,
    link_kind_key: str,
    link_value: str,
    scheduled_for: datetime | None,
    languages: Iterable[str],
    now: datetime | None = None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    languages = list(languages)
    if fallback_language not in portal_languages():
        errors["fallback_language"] = [_("The fallback language must be one of the portal's languages.")]
    elif languages and fallback_language not in languages:
        errors["fallback_language"] = [_("Write the message in the fallback language too.")]
    if not languages:
        errors["messages"] = [_("Write the message in at least one language.")]
    for language in languages:
        # Any language an MSME may prefer (the registry's rule and words): an MSME that prefers Swahili gets
        # the Swahili message, the portal's own words around it (the footer) in its default language.
        problem = registry_rules.language_error(language) if language else _("Pick a language from the list.")
        if problem:
            errors.setdefault("messages", []).append(problem)
    if len(set(languages)) != len(languages):
        errors.setdefault("messages", []).append(_("There is already a message in this language."))
    if link_kind_key:
        kind = link_kind(link_kind_key)
        if kind is None:
            errors["link_kind"] = [_("Choose what the message links to from the list.")]
        elif not link_value:
            errors["link_value"] = [_("Choose the linked item.")]
        elif link_value not in {value for value, _label in kind.choices()}:
            errors["link_value"] = [_("Choose the linked item from the list.")]
    if scheduled_for is not None and scheduled_for <= (now or timezone.now()):
        errors["scheduled_for"] = [_("The time to send at must be in the future.")]
    return errors
