"""What a valid programme request is: one place for the bounds and their messages (pages, API, services)."""

from __future__ import annotations

from typing import Any

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from apps.programmes.catalogue import Programme
from apps.programmes.models import (
    GreenCategory,
    GreenOffer,
    GreenStage,
    Intermediary,
    MentoringArea,
    PartnershipOffer,
    Stage,
)

DESCRIPTION_MAX = 5000
DETAIL_MAX = 300  # one detail of a programme's form (a name, a place, a field of technology)
OUTCOME_MAX = 5000
TITLE_MAX = 200
KEYWORDS_MAX = 300
IP_HELD_MAX = 2000
MESSAGE_MAX = 2000
MAX_COUNTRIES = 60  # a listing's countries: more is "every country", which is an empty list


def request_errors(
    *, programme: Programme, kind: str, description: str, details: dict[str, str]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in dict(programme.kinds):
        errors["kind"] = [_("Pick what you ask for from the list.")]
    if not description.strip():
        errors["description"] = [_("Describe what you need in a few sentences.")]
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = [_("Keep the description under %(max)d characters.") % {"max": DESCRIPTION_MAX}]
    for name, value in details.items():
        if len(value) > DETAIL_MAX:
            errors[name] = [_("Keep this under %(max)d characters.") % {"max": DETAIL_MAX}]
    return errors


def stage_errors(*, programme: Programme, stage: str, outcome: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if stage not in programme.stages or stage == Stage.WITHDRAWN:
        errors["stage"] = [_("Pick a stage from the list.")]
    if len(outcome) > OUTCOME_MAX:
        errors["outcome"] = [_("Keep the outcome under %(max)d characters.") % {"max": OUTCOME_MAX}]
    return errors


def green_errors(values: dict[str, Any], *, technology: bool) -> dict[str, list[str]]:
    """A green technology (`technology`) or need: its title, field, description, countries and, for a
    technology, its stage and what is offered."""
    errors: dict[str, list[str]] = {}
    title = values.get("title", "")
    if not title.strip():
        errors["title"] = [_("Give the technology a short title.") if technology else _("Give the need a short title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("Keep the title under %(max)d characters.") % {"max": TITLE_MAX}]
    if values.get("category") not in GreenCategory.values:
        errors["category"] = [_("Pick a field from the list.")]
    description = values.get("description", "")
    if not description.strip():
        errors["description"] = [_("Describe it in a few sentences.")]
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = [_("Keep the description under %(max)d characters.") % {"max": DESCRIPTION_MAX}]
    countries = values.get("countries", [])
    if len(countries) > MAX_COUNTRIES:
        errors["countries"] = [_("Pick at most %(max)d countries, or none for every country.") % {"max": MAX_COUNTRIES}]
    elif any(not isinstance(code, str) or pycountry.countries.get(alpha_2=code) is None for code in countries):
        errors["countries"] = [_("Pick countries from the list.")]
    if len(values.get("keywords", "")) > KEYWORDS_MAX:
        errors["keywords"] = [_("Keep the keywords under %(max)d characters.") % {"max": KEYWORDS_MAX}]
    stage_field = "stage" if technology else "min_stage"
    if values.get(stage_field, GreenStage.RESEARCH) not in GreenStage.values:
        errors[stage_field] = [_("Pick a stage from the list.")]
    if technology:
        offers = values.get("offers", [])
        if not offers or any(offer not in GreenOffer.values for offer in offers):
            errors["offers"] = [_("Say what you offer: a licence, a sale, a joint venture or a collaboration.")]
        if len(values.get("ip_held", "")) > IP_HELD_MAX:
            errors["ip_held"] = [_("Keep this under %(max)d characters.") % {"max": IP_HELD_MAX}]
    return errors


def message_errors(message: str) -> dict[str, list[str]]:
    if len(message) > MESSAGE_MAX:
        return {"message": [_("Keep the message under %(max)d characters.") % {"max": MESSAGE_MAX}]}
    return {}


MENTOR_BIO_MAX = 1000
MENTORING_DESCRIPTION_MAX = 3000


def mentoring_errors(*, area: str, description: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if area not in MentoringArea.values:
        errors["area"] = [_("Pick an area from the list.")]
    if not description.strip():
        errors["description"] = [_("Describe what you need in a few sentences.")]
    elif len(description) > MENTORING_DESCRIPTION_MAX:
        errors["description"] = [
            _("Keep the description under %(max)d characters.") % {"max": MENTORING_DESCRIPTION_MAX}
        ]
    return errors


def mentor_errors(values: dict[str, Any]) -> dict[str, list[str]]:

    errors: dict[str, list[str]] = {}
    if not values.get("name", "").strip():
        errors["name"] = [_("Give the mentor's name.")]
    try:
        validate_email(values.get("email", ""))
    except ValidationError:
        errors["email"] = [_("Give an e-mail address the mentor reads.")]
    areas = values.get("areas", [])
    if not areas or any(area not in MentoringArea.values for area in areas):
        errors["areas"] = [_("Pick the areas the mentor knows.")]
    languages = values.get("languages", [])
    if not languages or any(code not in dict(settings.LANGUAGES) for code in languages):
        errors["languages"] = [_("Pick the languages the mentor speaks.")]
    if len(values.get("bio", "")) > MENTOR_BIO_MAX:
        errors["bio"] = [_("Keep this under %(max)d characters.") % {"max": MENTOR_BIO_MAX}]
    return errors


def _isic_sections_error(sectors: Any) -> bool:
    sections = {chr(code) for code in range(ord("A"), ord("U") + 1)}
    return not isinstance(sectors, list) or any(section not in sections for section in sectors)


def intermediary_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not values.get("name", "").strip():
        errors["name"] = [_("Give the intermediary's name.")]
    if values.get("kind") not in Intermediary.Kind.values:
        errors["kind"] = [_("Pick a kind from the list.")]
    if _isic_sections_error(values.get("sectors", [])):
        errors["sectors"] = [_("Pick sectors from the list.")]
    if len(values.get("description", "")) > DESCRIPTION_MAX:
        errors["description"] = [_("Keep the description under %(max)d characters.") % {"max": DESCRIPTION_MAX}]
    return errors


def offer_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not values.get("company", "").strip():
        errors["company"] = [_("Name the company.")]
    if values.get("kind") not in PartnershipOffer.Kind.values:
        errors["kind"] = [_("Pick a kind from the list.")]
    if not values.get("description", "").strip():
        errors["description"] = [_("Say what the company offers.")]
    if not values.get("contact_name", "").strip():
        errors["contact_name"] = [_("Name the person the MSMEs are introduced to.")]
    if _isic_sections_error(values.get("sectors", [])):
        errors["sectors"] = [_("Pick sectors from the list.")]
    return errors


def introduction_errors(*, message: str, consent: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not message.strip():
        errors["message"] = [_("Say what your business would bring and what it looks for.")]
    elif len(message) > MESSAGE_MAX:
        errors["message"] = [_("Keep the message under %(max)d characters.") % {"max": MESSAGE_MAX}]
    if not consent:
        errors["consent"] = [_("The agency introduces you only if you agree to share your contact with the company.")]
    return errors
