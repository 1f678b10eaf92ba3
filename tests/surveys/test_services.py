"""Building surveys, versioning their questions once answered, and taking each MSME's answer once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from apps.surveys import rules, selectors, services
from apps.surveys.models import Answer, Question, Response, Survey, SurveyVersion
from apps.tenants.models import AuditEvent
from tests.factories import MsmeFactory
from tests.surveys.helpers import QUESTIONS, answers_for, make_survey

pytestmark = pytest.mark.django_db


def test_a_survey_is_made_with_its_first_version_and_questions(survey):
    version = selectors.version_of(survey)
    questions = selectors.questions_of(version)
    assert (survey.version, version.number) == (1, 1)
    assert [q.kind for q in questions] == ["single", "multiple", "scale", "text"]
    assert [c.label for c in questions[0].choices.all()] == ["Trademarks", "Patents", "Licensing"]
    assert questions[2].scale_max_label == "Very well" and questions[3].required is False
    assert AuditEvent.objects.filter(object_id=survey.pk, action="create").exists()


def test_editing_questions_without_answers_replaces_them_in_the_same_version(survey):
    version = services.survey_set_questions(survey=survey, questions=QUESTIONS[:2])
    survey.refresh_from_db()
    assert version.number == survey.version == 1
    assert SurveyVersion.objects.filter(survey=survey).count() == 1
    assert Question.objects.filter(version__survey=survey).count() == 2


def test_editing_questions_of_an_answered_survey_makes_a_new_version_and_old_answers_keep_theirs(survey, msme):
    response = services.response_submit(survey=survey, msme=msme, answers=answers_for(survey, single=1))
    old_question = response.answers.get(question__kind="single").question
    changed = [{**QUESTIONS[0], "text": "What do you need now?"}, QUESTIONS[2]]
    version = services.survey_set_questions(survey=survey, questions=changed)
    survey.refresh_from_db()
    assert (survey.version, version.number) == (2, 2)
    response.refresh_from_db()
    assert response.version.number == 1
    old_question.refresh_from_db()
    assert old_question.text == "What do you need most?"  # untouched
    assert [q.text for q in selectors.questions_of(version)] == ["What do you need now?", "How well do you know IP?"]
    event = AuditEvent.objects.filter(object_id=survey.pk, action="update").latest("at")
    assert event.changes["version"] == [1, 2]
    # The next MSME answers the new version.
    other = MsmeFactory()
    services.response_submit(survey=survey, msme=other, answers=answers_for(survey, single=0))
    assert Response.objects.get(msme=other).version.number == 2


def test_saving_the_same_questions_again_changes_nothing(survey, msme):
    services.response_submit(survey=survey, msme=msme, answers=answers_for(survey))
    services.survey_set_questions(survey=survey, questions=QUESTIONS)
    survey.refresh_from_db()
    assert survey.version == 1


def test_each_msme_answers_once(survey, msme):
    services.response_submit(survey=survey, msme=msme, answers=answers_for(survey))
    with pytest.raises(services.AlreadyAnswered):
        services.response_submit(survey=survey, msme=msme, answers=answers_for(survey))
    assert Response.objects.filter(survey=survey, msme=msme).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks (it locks the database)")
def test_a_submission_locks_the_survey_against_a_concurrent_edit_of_its_questions(survey, msme):
    # survey_set_questions locks the survey row before it rewrites the questions of an unanswered version;
    # taking the same lock, a submission reads either the questions before the edit or those after.
    with CaptureQueriesContext(connection) as queries:
        services.response_submit(survey=survey, msme=msme, answers=answers_for(survey))
    table = Survey._meta.db_table
    assert any(f'FROM "{table}"' in q["sql"] and "FOR UPDATE" in q["sql"] for q in queries.captured_queries)


def test_a_draft_or_closed_survey_takes_no_answers(tenant_a, in_tenant, msme):
    for status in (Survey.Status.DRAFT, Survey.Status.CLOSED):
        survey = make_survey(status=status)
        with pytest.raises(services.NotOpen):
            services.response_submit(survey=survey, msme=msme, answers=answers_for(survey))


def test_answers_are_rows_a_group_by_counts(survey):
    for index, msme in enumerate(MsmeFactory.create_batch(3)):
        services.response_submit(
            survey=survey, msme=msme, answers=answers_for(survey, single=index % 2, multiple=(0, 2), scale=index + 2)
        )
    single = Question.objects.get(version__survey=survey, kind="single")
    counts = dict(Answer.objects.filter(question=single).values_list("choice__label").annotate(n=Count("id")))
    assert counts == {"Trademarks": 2, "Patents": 1}
    scale = Question.objects.get(version__survey=survey, kind="scale")
    assert sorted(Answer.objects.filter(question=scale).values_list("scale_value", flat=True)) == [2, 3, 4]
    multiple = Question.objects.get(version__survey=survey, kind="multiple")
    assert Answer.objects.filter(question=multiple).count() == 6  # a row per choice picked


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"single": None}, "Answer this question."),
        ({"single": "not-a-choice"}, "Pick one of the choices."),
        ({"scale": 9}, "Pick a number from 1 to 5."),
        ({"scale": "high"}, "Pick a number from 1 to 5."),
        ({"text": "x" * (rules.TEXT_ANSWER_MAX + 1)}, f"At most {rules.TEXT_ANSWER_MAX} characters."),
    ],
)
def test_bad_answers_are_refused_naming_the_question(survey, msme, change, message):
    answers = answers_for(survey)
    kinds = {q.kind: str(q.pk) for q in selectors.questions_of(selectors.version_of(survey))}
    for kind, value in change.items():
        answers[kinds[kind]] = value
    with pytest.raises(ValidationError) as refused:
        services.response_submit(survey=survey, msme=msme, answers=answers)
    assert refused.value.message_dict == {kinds[next(iter(change))]: [message]}
    assert not Response.objects.exists()


def test_a_single_choice_takes_one_choice_only(survey, msme):
    answers = answers_for(survey)
    single = Question.objects.get(version__survey=survey, kind="single")
    answers[str(single.pk)] = [str(c.pk) for c in single.choices.all()[:2]]
    with pytest.raises(ValidationError, match="Pick one choice only"):
        services.response_submit(survey=survey, msme=msme, answers=answers)


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ({"kind": "single", "text": "Q", "choices": ["Only one"]}, "questions[0].choices"),
        (
            {"kind": "single", "text": "Q", "choices": [f"c{i}" for i in range(rules.CHOICES_MAX + 1)]},
            "questions[0].choices",
        ),
        ({"kind": "single", "text": "Q", "choices": ["Same", "same"]}, "questions[0].choices"),
        ({"kind": "scale", "text": "Q", "scale_min": 1, "scale_max": 40}, "questions[0].scale_max"),
        ({"kind": "scale", "text": "Q", "scale_min": 3, "scale_max": 5}, "questions[0].scale_min"),
        ({"kind": "text", "text": "Q" * (rules.QUESTION_TEXT_MAX + 1)}, "questions[0].text"),
        ({"kind": "essay", "text": "Q"}, "questions[0].kind"),
    ],
)
def test_bad_questions_are_refused_naming_the_field(tenant_a, in_tenant, question, field):
    in_tenant(tenant_a)
    with pytest.raises(ValidationError) as refused:
        services.survey_create(data={"title": "T"}, questions=[question])
    assert field in refused.value.message_dict
    assert not Survey.objects.exists()


def test_the_number_of_questions_is_bounded(tenant_a, in_tenant):
    in_tenant(tenant_a)
    many = [{"kind": "text", "text": f"Q{i}"} for i in range(rules.QUESTIONS_MAX + 1)]
    with pytest.raises(ValidationError) as refused:
        services.survey_create(data={"title": "T"}, questions=many)
    assert "questions" in refused.value.message_dict


def test_a_survey_opens_only_with_a_question(tenant_a, in_tenant):
    in_tenant(tenant_a)
    survey = make_survey(status=Survey.Status.DRAFT, questions=[])
    with pytest.raises(ValidationError) as refused:
        services.survey_open(survey=survey)
    assert "status" in refused.value.message_dict


def test_results_count_choices_and_scales_with_percentages(survey, django_assert_max_num_queries):
    for index, msme in enumerate(MsmeFactory.create_batch(4)):
        services.response_submit(
            survey=survey,
            msme=msme,
            answers=answers_for(survey, single=0 if index < 3 else 1, multiple=(0, 1), scale=5, text=f"Idea {index}"),
        )
    with django_assert_max_num_queries(8):
        results = selectors.results(selectors.version_of(survey))
    assert results.responses == 4
    single, multiple, scale, text = results.questions
    assert [(c.label, c.count, c.percent) for c in single.counts] == [
        ("Trademarks", 3, 75),
        ("Patents", 1, 25),
        ("Licensing", 0, 0),
    ]
    assert [c.percent for c in multiple.counts] == [100, 100, 0]
    assert [(c.label, c.count) for c in scale.counts][-1] == ("5", 4)
    assert text.text_count == 4 and len(text.texts) == 4
