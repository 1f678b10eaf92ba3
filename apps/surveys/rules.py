"""What a valid survey is, once: the bounds and messages the pages, the API and the services share.

Plain functions of plain values returning `{field: [message]}`; the forms add them as form errors, the
serializers raise them as a 400 naming the field, and the services raise them as a ValidationError.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

TITLE_MAX = 200
INTRODUCTION_MAX = 2000
QUESTIONS_MAX = 30
QUESTION_TEXT_MAX = 300
HELP_TEXT_MAX = 300
CHOICES_MIN = 2
CHOICES_MAX = 12
CHOICE_MAX = 200
SCALE_LABEL_MAX = 60
# A scale starts at 0 or 1 and has at most 11 points (0-10): longer ones are not answered with care.
SCALE_LOWEST = 0
SCALE_HIGHEST = 10
TEXT_ANSWER_MAX = 500

SINGLE = "single"
MULTIPLE = "multiple"
SCALE = "scale"
TEXT = "text"
CHOICE_KINDS = frozenset({SINGLE, MULTIPLE})
KINDS = (SINGLE, MULTIPLE, SCALE, TEXT)


def survey_errors(*, title: str, introduction: str = "") -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the survey a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("At most %(max)d characters.") % {"max": TITLE_MAX}]
    if len(introduction) > INTRODUCTION_MAX:
        errors["introduction"] = [_("At most %(max)d characters.") % {"max": INTRODUCTION_MAX}]
    return errors


def clean_choices(choices: list[str]) -> list[str]:
    """The choices without surrounding blanks and without empty lines."""
    return [choice.strip() for choice in choices if choice and choice.strip()]


def question_errors(question: dict[str, Any]) -> dict[str, list[str]]:
    """One question: `kind`, `text`, `help_text`, `required`, `choices` (a list of labels), `scale_min`,
    `scale_max`, `scale_min_label`, `scale_max_label`."""
    errors: dict[str, list[str]] = {}
    kind = question.get("kind")
    text = question.get("text") or ""
    if kind not in KINDS:
        errors["kind"] = [_("Pick a kind of question.")]
    if not text.strip():
        errors["text"] = [_("Write the question.")]
    elif len(text) > QUESTION_TEXT_MAX:
        errors["text"] = [_("At most %(max)d characters.") % {"max": QUESTION_TEXT_MAX}]
    if len(question.get("help_text") or "") > HELP_TEXT_MAX:
        errors["help_text"] = [_("At most %(max)d characters.") % {"max": HELP_TEXT_MAX}]
    if kind in CHOICE_KINDS:
        choices = clean_choices(question.get("choices") or [])
        if len(choices) < CHOICES_MIN:
            errors["choices"] = [_("Give at least %(min)d choices.") % {"min": CHOICES_MIN}]
        elif len(choices) > CHOICES_MAX:
            errors["choices"] = [_("At most %(max)d choices.") % {"max": CHOICES_MAX}]
        elif any(len(choice) > CHOICE_MAX for choice in choices):
            errors["choices"] = [_("A choice has at most %(max)d characters.") % {"max": CHOICE_MAX}]
        elif len({choice.casefold() for choice in choices}) < len(choices):
            errors["choices"] = [_("Each choice once.")]
    if kind == SCALE:
        low, high = question.get("scale_min"), question.get("scale_max")
        if not isinstance(low, int) or not SCALE_LOWEST <= low <= 1:
            errors["scale_min"] = [_("A scale starts at 0 or 1.")]
        if not isinstance(high, int) or not 2 <= high <= SCALE_HIGHEST:
            errors["scale_max"] = [_("A scale ends between 2 and %(max)d.") % {"max": SCALE_HIGHEST}]
        for name in ("scale_min_label", "scale_max_label"):
            if len(question.get(name) or "") > SCALE_LABEL_MAX:
                errors[name] = [_("At most %(max)d characters.") % {"max": SCALE_LABEL_MAX}]
    return errors


def questions_errors(questions: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The list as a whole (each question is checked by question_errors)."""
    if len(questions) > QUESTIONS_MAX:
        return {"questions": [_("At most %(max)d questions.") % {"max": QUESTIONS_MAX}]}
    return {}


def open_errors(question_count: int) -> dict[str, list[str]]:
    if question_count == 0:
        return {"status": [_("Add at least one question before opening the survey.")]}
    return {}
