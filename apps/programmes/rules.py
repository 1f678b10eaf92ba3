"""What a valid programme request is: one place for the bounds and their messages (pages, API, services)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.programmes.catalogue import Programme
from apps.programmes.models import Stage

DESCRIPTION_MAX = 5000
DETAIL_MAX = 300  # one detail of a programme's form (a name, a place, a field of technology)
OUTCOME_MAX = 5000


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
