from __future__ import annotations

from typing import Any

import pytest

from apps.core.roles import Role
from apps.surveys import services
from apps.surveys.models import Survey
from tests.factories import MsmeFactory, user_with_role

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
    from apps.surveys import selectors

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


@pytest.fixture
def survey(tenant_a, in_tenant):
    in_tenant(tenant_a)
    return make_survey()


@pytest.fixture
def msme(tenant_a, in_tenant):
    in_tenant(tenant_a)
    return MsmeFactory(preferred_language="fr")


@pytest.fixture
def staff(tenant_a):
    return user_with_role(Role.AGENCY_STAFF, tenant_a)
