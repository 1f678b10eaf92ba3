"""Surveys and answers for the tests."""

from __future__ import annotations

from typing import Any

from apps.surveys import selectors, services
from apps.surveys.models import Survey

QUESTIONS: list[dict[str, Any]] = [
    {"kind": "single", "text": "What do you need most?", "choices": ["Trademarks", "Patents", "Licensing"]},
    {"kind": "multiple", "text": "Which channels suit you?", "choices": ["Workshops", "Webinars", "Courses"]},
    {
        "kind": "scale",
        "text": "How well do you know IP?",
        "scale_min": 1,
        "scale_max": 5,
        "scale_min_label": "Not at all",
        "scale_max_label": "Very well",
    },
    {"kind": "text", "text": "Anything else?", "required": False},
]


def make_survey(*, status: str = Survey.Status.OPEN, questions: list[dict[str, Any]] | None = None) -> Survey:
    survey = services.survey_create(
        data={"title": "Needs 2027", "introduction": "Tell us.", "language": "en"},
        questions=QUESTIONS if questions is None else questions,
    )
    if status == Survey.Status.OPEN:
        services.survey_open(survey=survey)
    elif status == Survey.Status.CLOSED:
        services.survey_close(survey=survey)
    return survey


def answers_for(
    survey: Survey, *, single: int = 0, multiple: tuple[int, ...] = (0,), scale: int = 4, text: str = ""
) -> dict:
    questions = selectors.questions_of(selectors.version_of(survey))
    out: dict[str, Any] = {}
    for question in questions:
        choices = [str(c.pk) for c in question.choices.all()]
        if question.kind == "single":
            out[str(question.pk)] = choices[single]
        elif question.kind == "multiple":
            out[str(question.pk)] = [choices[i] for i in multiple]
        elif question.kind == "scale":
            out[str(question.pk)] = scale
        else:
            out[str(question.pk)] = text
    return out
