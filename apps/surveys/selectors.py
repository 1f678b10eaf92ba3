"""Survey reads: who sees which surveys, a version's questions, and the answers counted per question."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber

from apps.core import policies
from apps.core.policies import Actor
from apps.surveys import rules
from apps.surveys.filters import SurveyFilterSet
from apps.surveys.models import Answer, Question, Response, Survey, SurveyVersion

RULE = "surveys.manage_surveys"
# The texts of a short-text question shown on the results page; the rest are on its own paginated page.
TEXTS_SHOWN = 5


def surveys_visible(actor: Actor) -> QuerySet[Survey]:
    return policies.rows(actor, RULE, Survey.objects.order_by("-created_at", "id"))


def survey_list(actor: Actor, *, filters: dict[str, Any] | None = None) -> tuple[SurveyFilterSet, QuerySet[Survey]]:
    """The actor's surveys, filtered (nothing when the filters are invalid)."""
    queryset = surveys_visible(actor).annotate(response_count=Count("responses"))
    filterset = SurveyFilterSet(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return filterset, queryset.none()
    return filterset, filterset.qs


def open_surveys() -> QuerySet[Survey]:
    """The active tenant's open surveys, newest first."""
    return Survey.objects.filter(status=Survey.Status.OPEN).order_by("-created_at", "id")


def version_of(survey: Survey, number: int | None = None) -> SurveyVersion:
    """The survey's version `number` (its current one when None); DoesNotExist otherwise."""
    return SurveyVersion.objects.get(survey=survey, number=survey.version if number is None else number)


def questions_of(version: SurveyVersion) -> list[Question]:
    """The version's questions in order, with their choices (two queries)."""
    return list(version.questions.prefetch_related("choices").order_by("position"))


@dataclass
class ChoiceCount:
    label: str
    count: int
    percent: int  # of the responses that answered the question


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    counts: list[ChoiceCount] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    text_count: int = 0


@dataclass
class Results:
    version: SurveyVersion
    responses: int
    questions: list[QuestionResult]


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def results(version: SurveyVersion) -> Results:
    """Each question's answers counted (choices and scale points, with percentages of those who answered it)
    and the latest texts of a short-text question. A fixed number of queries however many answers."""
    questions = questions_of(version)
    answers = Answer.objects.filter(question__version=version)
    answered = dict(
        answers.values_list("question").annotate(n=Count("response", distinct=True)).values_list("question", "n")
    )
    by_choice = dict(
        answers.filter(choice__isnull=False).values_list("choice").annotate(n=Count("id")).values_list("choice", "n")
    )
    by_scale = {
        (question_id, value): n
        for question_id, value, n in answers.filter(scale_value__isnull=False)
        .values_list("question", "scale_value")
        .annotate(n=Count("id"))
        .values_list("question", "scale_value", "n")
    }
    texts: dict[Any, list[str]] = {}
    latest = (
        answers.exclude(text="")
        .annotate(rank=Window(RowNumber(), partition_by=[F("question")], order_by=[F("response__submitted_at").desc()]))
        .filter(rank__lte=TEXTS_SHOWN)
        .values_list("question", "text")
    )
    for question_id, text in latest:
        texts.setdefault(question_id, []).append(text)
    shown = []
    for question in questions:
        total = answered.get(question.pk, 0)
        result = QuestionResult(question=question, answered=total)
        if question.kind in rules.CHOICE_KINDS:
            for choice in question.choices.all():
                n = by_choice.get(choice.pk, 0)
                result.counts.append(ChoiceCount(choice.label, n, _percent(n, total)))
        elif question.kind == rules.SCALE:
            for point in question.scale_points:
                n = by_scale.get((question.pk, point), 0)
                result.counts.append(ChoiceCount(str(point), n, _percent(n, total)))
        else:
            result.texts = texts.get(question.pk, [])
            result.text_count = total
        shown.append(result)
    return Results(version=version, responses=Response.objects.filter(version=version).count(), questions=shown)


def question_texts(question: Question) -> QuerySet[Answer]:
    """A short-text question's answers, newest first (for a paginated page)."""
    return (
        Answer.objects.filter(question=question)
        .exclude(text="")
        .select_related("response")
        .only("text", "response__submitted_at", "response__language")
        .order_by("-response__submitted_at", "id")
    )


def responses_for_export(survey: Survey) -> QuerySet[Response]:
    """Every response to the survey with its MSME and answers, oldest first (read in chunks)."""
    return (
        Response.objects.filter(survey=survey)
        .select_related("msme", "version")
        .prefetch_related(Prefetch("answers", Answer.objects.select_related("choice").order_by("choice__position")))
        .order_by("submitted_at", "id")
    )


def export_questions(survey: Survey) -> list[Question]:
    """Every version's questions, in version then position order: the export's columns."""
    return list(
        Question.objects.filter(version__survey=survey)
        .select_related("version")
        .order_by("version__number", "position")
    )
