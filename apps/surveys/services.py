"""Survey writes: building a survey and its questions (a new version once it has responses), opening and
closing it, and an MSME's response, accepted once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import diff, snapshot
from apps.registry.models import Msme
from apps.surveys import rules
from apps.surveys.models import Answer, Choice, Question, Response, Survey, SurveyVersion
from apps.tenants import audit

SURVEY_FIELDS = ("title", "introduction", "language")
QUESTION_FIELDS = (
    "kind",
    "text",
    "help_text",
    "required",
    "scale_min",
    "scale_max",
    "scale_min_label",
    "scale_max_label",
)


class AlreadyAnswered(Exception):
    """The MSME has answered this survey already: each answer is taken once."""


class NotOpen(Exception):
    """The survey takes no answers (a draft, or closed)."""


def _user(actor: Any) -> Any:
    user = getattr(actor, "user", actor)
    return user if getattr(user, "is_authenticated", False) else None


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _check_questions(questions: list[dict[str, Any]]) -> None:
    _raise(rules.questions_errors(questions))
    for index, question in enumerate(questions):
        errors = rules.question_errors(question)
        if errors:
            raise ValidationError({f"questions[{index}].{name}": messages for name, messages in errors.items()})


@transaction.atomic
def survey_create(*, data: dict[str, Any], questions: list[dict[str, Any]] | None = None, actor: Any = None) -> Survey:
    """A draft survey (`data`: title, introduction, language) with its first version and `questions`."""
    fields = {name: data[name] for name in SURVEY_FIELDS if name in data}
    _raise(rules.survey_errors(title=fields.get("title", ""), introduction=fields.get("introduction", "")))
    _check_questions(questions or [])
    survey = Survey.objects.create(created_by=_user(actor), version=1, **fields)
    version = SurveyVersion.objects.create(survey=survey, number=1)
    _write_questions(version, questions or [])
    audit.record(
        instance=survey,
        action=audit.Action.CREATE,
        actor=_user(actor),
        changes={**snapshot(survey), "questions": len(questions or [])},
    )
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, data: dict[str, Any], actor: Any = None) -> Survey:
    """The survey's title, introduction and language (its questions: survey_set_questions)."""
    before = snapshot(survey)
    for name in SURVEY_FIELDS:
        if name in data:
            setattr(survey, name, data[name])
    _raise(rules.survey_errors(title=survey.title, introduction=survey.introduction))
    survey.save()
    changes = diff(before, snapshot(survey))
    changes.pop("updated_at", None)
    if changes:
        audit.record(instance=survey, action=audit.Action.UPDATE, actor=_user(actor), changes=changes)
    return survey


def _current_version(survey: Survey) -> SurveyVersion:
    return SurveyVersion.objects.get(survey=survey, number=survey.version)


def _question_values(question: Question) -> dict[str, Any]:
    values = {name: getattr(question, name) for name in QUESTION_FIELDS}
    values["choices"] = [choice.label for choice in question.choices.all()]
    return values


def _normalised(question: dict[str, Any]) -> dict[str, Any]:
    """A question as it is stored: the scale's fields only on a scale, the choices only on a choice."""
    kind = question["kind"]
    values = {
        "kind": kind,
        "text": question["text"].strip(),
        "help_text": (question.get("help_text") or "").strip(),
        "required": bool(question.get("required", True)),
        "scale_min": question.get("scale_min", 1) if kind == rules.SCALE else 1,
        "scale_max": question.get("scale_max", 5) if kind == rules.SCALE else 5,
        "scale_min_label": (question.get("scale_min_label") or "").strip() if kind == rules.SCALE else "",
        "scale_max_label": (question.get("scale_max_label") or "").strip() if kind == rules.SCALE else "",
    }
    values["choices"] = rules.clean_choices(question.get("choices") or []) if kind in rules.CHOICE_KINDS else []
    return values


def _write_questions(version: SurveyVersion, questions: list[dict[str, Any]]) -> None:
    made = Question.objects.bulk_create(
        Question(version=version, position=position, **{k: v for k, v in _normalised(q).items() if k != "choices"})
        for position, q in enumerate(questions, start=1)
    )
    Choice.objects.bulk_create(
        Choice(question=question, position=position, label=label)
        for question, values in zip(made, questions, strict=True)
        for position, label in enumerate(_normalised(values)["choices"], start=1)
    )


@transaction.atomic
def survey_set_questions(*, survey: Survey, questions: list[dict[str, Any]], actor: Any = None) -> SurveyVersion:
    """Replace the survey's questions (each a dict of QUESTION_FIELDS and `choices`, a list of labels).

    A version that has responses is kept as it was: the new questions make the next version, which the
    answers given from now on use. Without responses the current version's questions are replaced.
    Unchanged questions change nothing (no new version, no event)."""
    _check_questions(questions)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    version = _current_version(survey)
    old = [_question_values(q) for q in version.questions.prefetch_related("choices")]
    new = [_normalised(q) for q in questions]
    if old == new:
        return version
    before = survey.version
    if version.responses.exists():
        survey.version += 1
        survey.save(update_fields=["version", "updated_at"])
        version = SurveyVersion.objects.create(survey=survey, number=survey.version)
    else:
        Choice.objects.filter(question__version=version).delete()
        version.questions.all().delete()
    _write_questions(version, new)
    changes: dict[str, Any] = {"questions": [len(old), len(new)]}
    if survey.version != before:
        changes["version"] = [before, survey.version]
    audit.record(instance=survey, action=audit.Action.UPDATE, actor=_user(actor), changes=changes)
    return version


def _set_status(survey: Survey, status: str, actor: Any) -> Survey:
    if survey.status == status:
        return survey
    before = survey.status
    survey.status = status
    survey.save(update_fields=["status", "updated_at"])
    audit.record(instance=survey, action=audit.Action.UPDATE, actor=_user(actor), changes={"status": [before, status]})
    return survey


@transaction.atomic
def survey_open(*, survey: Survey, actor: Any = None) -> Survey:
    """Open the survey to answers (it needs a question)."""
    _raise(rules.open_errors(Question.objects.filter(version__survey=survey, version__number=survey.version).count()))
    return _set_status(survey, Survey.Status.OPEN, actor)


@transaction.atomic
def survey_close(*, survey: Survey, actor: Any = None) -> Survey:
    """Close the survey: its links then say so, and take no more answers."""
    return _set_status(survey, Survey.Status.CLOSED, actor)


@dataclass(frozen=True)
class CleanAnswer:
    question: Question
    choices: tuple[Choice, ...] = ()
    scale_value: int | None = None
    text: str = ""


def clean_answers(questions: list[Question], raw: dict[str, Any]) -> tuple[list[CleanAnswer], dict[str, list[str]]]:
    """The answers given to `questions` (their choices prefetched), keyed by question id: a choice id (single),
    a list of choice ids (multiple), a number (scale) or a text. Returns the answers and the errors by
    question id; an unanswered optional question has no answer."""
    answers: list[CleanAnswer] = []
    errors: dict[str, list[str]] = {}
    for question in questions:
        key = str(question.pk)
        value = raw.get(key)
        values = [v for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")]
        if not values:
            if question.required:
                errors[key] = [_("Answer this question.")]
            continue
        if question.kind in rules.CHOICE_KINDS:
            by_id = {str(choice.pk): choice for choice in question.choices.all()}
            picked = [by_id.get(str(v)) for v in values]
            if None in picked:
                errors[key] = [_("Pick one of the choices.")]
            elif question.kind == rules.SINGLE and len(picked) > 1:
                errors[key] = [_("Pick one choice only.")]
            else:
                answers.append(CleanAnswer(question, choices=tuple(dict.fromkeys(picked))))
        elif question.kind == rules.SCALE:
            try:
                number = int(str(values[0]))
            except ValueError:
                number = None
            if len(values) > 1 or number is None or not question.scale_min <= number <= question.scale_max:
                errors[key] = [
                    _("Pick a number from %(min)d to %(max)d.") % {"min": question.scale_min, "max": question.scale_max}
                ]
            else:
                answers.append(CleanAnswer(question, scale_value=number))
        else:
            text = str(values[0]).strip()
            if len(values) > 1 or len(text) > rules.TEXT_ANSWER_MAX:
                errors[key] = [_("At most %(max)d characters.") % {"max": rules.TEXT_ANSWER_MAX}]
            elif "\x00" in text:
                errors[key] = [_("Remove the null character.")]
            elif text:
                answers.append(CleanAnswer(question, text=text))
            elif question.required:
                errors[key] = [_("Answer this question.")]
    return answers, errors


@transaction.atomic
def response_submit(*, survey: Survey, msme: Msme, answers: dict[str, Any], language: str = "") -> Response:
    """Store `msme`'s answers to the survey's current version, once.

    Raises NotOpen when the survey takes no answers, AlreadyAnswered when the MSME answered before (also
    when two submissions race: the unique (survey, MSME) row decides), ValidationError by question id."""
    # Locked: while a version has no responses, survey_set_questions (which locks it too) rewrites its
    # questions in place, and answers to the deleted ones would fail at the commit.
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.OPEN:
        raise NotOpen
    if Response.objects.filter(survey=survey, msme=msme).exists():
        raise AlreadyAnswered
    version = _current_version(survey)
    questions = list(version.questions.prefetch_related("choices"))
    cleaned, errors = clean_answers(questions, answers)
    _raise(errors)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey, version=version, msme=msme, language=language[:8], submitted_at=timezone.now()
            )
    except IntegrityError as race:
        raise AlreadyAnswered from race
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=answer.question,
            choice=choice,
            scale_value=answer.scale_value,
            text=answer.text,
        )
        for answer in cleaned
        for choice in (answer.choices or (None,))
    )
    audit.record(
        instance=response,
        action=audit.Action.CREATE,
        changes={"survey": survey.title, "version": version.number, "answers": len(cleaned)},
        label=_("Answers to the survey %(title)s") % {"title": survey.title},
    )
    return response
