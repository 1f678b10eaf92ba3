"""The agency staff's survey pages: list, build and edit (a formset of questions), open and close, preview,
the answers per question, and the CSV download."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.roles import Role
from apps.surveys import services
from apps.surveys.models import Question, Survey
from apps.tenants.context import tenant_context
from tests.factories import MsmeFactory, SurveyFactory
from tests.surveys.helpers import answers_for, make_survey

pytestmark = pytest.mark.django_db


def formset_data(questions, *, title="Needs 2027", total=None, **extra):
    data = {
        "title": title,
        "introduction": "Why we ask.",
        "language": "en",
        "questions-TOTAL_FORMS": str(total or len(questions)),
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "30",
    }
    for index, question in enumerate(questions):
        for name, value in question.items():
            data[f"questions-{index}-{name}"] = value
    data.update(extra)
    return data


QUESTION_FORMS = [
    {"text": "What do you need?", "kind": "single", "choices": "Trademarks\nPatents\n", "required": "on"},
    {"text": "How well do you know IP?", "kind": "scale", "scale_min": "1", "scale_max": "5", "required": "on"},
    {"text": "Anything else?", "kind": "text"},
]


@pytest.fixture
def signed_in_staff(client, login_as, tenant_a):
    return login_as(Role.AGENCY_STAFF, tenant_a)


def test_staff_build_a_survey_with_its_questions(client, signed_in_staff, tenant_a):
    response = client.post(reverse("surveys:create"), formset_data(QUESTION_FORMS))
    assert response.status_code == 302
    with tenant_context(tenant_a):
        survey = Survey.objects.get()
        assert survey.status == "draft" and survey.created_by == signed_in_staff
        questions = list(Question.objects.filter(version__survey=survey).order_by("position"))
        assert [(q.kind, q.required) for q in questions] == [("single", True), ("scale", True), ("text", False)]
        assert [c.label for c in questions[0].choices.all()] == ["Trademarks", "Patents"]
    assert response.url == reverse("surveys:detail", args=[survey.pk])


def test_bad_questions_are_shown_again_with_their_errors(client, signed_in_staff, tenant_a):
    bad = [
        {"text": "Pick one", "kind": "single", "choices": "Only one"},
        {"text": "", "kind": "scale", "scale_max": "2"},
    ]
    bad[1]["help_text"] = "changed"  # a filled form with no question text
    response = client.post(reverse("surveys:create"), formset_data(bad, title=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Give at least 2 choices." in body
    assert "This field is required." in body
    assert 'value="Only one"' in body or "Only one</textarea>" in body  # re-shown as typed
    with tenant_context(tenant_a):
        assert not Survey.objects.exists()


def test_too_many_questions_are_refused(client, signed_in_staff, tenant_a):
    many = [{"text": f"Q{i}", "kind": "text"} for i in range(31)]
    response = client.post(reverse("surveys:create"), formset_data(many))
    assert response.status_code == 400
    with tenant_context(tenant_a):
        assert not Survey.objects.exists()


def test_editing_an_answered_survey_makes_a_new_version(client, signed_in_staff, tenant_a):
    with tenant_context(tenant_a):
        survey = make_survey()
        services.response_submit(survey=survey, msme=MsmeFactory(), answers=answers_for(survey))
    page = client.get(reverse("surveys:edit", args=[survey.pk]))
    assert page.status_code == 200 and b'id="new-version-note"' in page.content
    response = client.post(reverse("surveys:edit", args=[survey.pk]), formset_data(QUESTION_FORMS[:1]))
    assert response.status_code == 302
    with tenant_context(tenant_a):
        survey.refresh_from_db()
        assert survey.version == 2
        assert Question.objects.filter(version__survey=survey, version__number=1).count() == 4


def test_deleting_and_reordering_questions(client, signed_in_staff, tenant_a):
    with tenant_context(tenant_a):
        survey = make_survey(status="draft")
    data = formset_data(
        [
            {**QUESTION_FORMS[0], "ORDER": "2"},
            {**QUESTION_FORMS[1], "ORDER": "1"},
            {**QUESTION_FORMS[2], "DELETE": "on"},
        ]
    )
    assert client.post(reverse("surveys:edit", args=[survey.pk]), data).status_code == 302
    with tenant_context(tenant_a):
        texts = list(
            Question.objects.filter(version__survey=survey).order_by("position").values_list("text", flat=True)
        )
    assert texts == ["How well do you know IP?", "What do you need?"]


def test_open_and_close(client, signed_in_staff, tenant_a):
    with tenant_context(tenant_a):
        survey = make_survey(status="draft")
        empty = make_survey(status="draft", questions=[])
    client.post(reverse("surveys:open", args=[survey.pk]))
    client.post(reverse("surveys:open", args=[empty.pk]))
    with tenant_context(tenant_a):
        survey.refresh_from_db()
        empty.refresh_from_db()
    assert (survey.status, empty.status) == ("open", "draft")
    client.post(reverse("surveys:close", args=[survey.pk]))
    with tenant_context(tenant_a):
        survey.refresh_from_db()
    assert survey.status == "closed"


def test_the_preview_shows_the_questions_and_saves_nothing(client, signed_in_staff, tenant_a):
    with tenant_context(tenant_a):
        survey = make_survey()
    page = client.get(reverse("surveys:preview", args=[survey.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="preview-note"' in body and "What do you need most?" in body and 'id="send-answers"' not in body


def test_results_show_counts_percentages_and_texts(client, signed_in_staff, tenant_a):
    with tenant_context(tenant_a):
        survey = make_survey()
        for index, msme in enumerate(MsmeFactory.create_batch(4)):
            services.response_submit(
                survey=survey,
                msme=msme,
                answers=answers_for(survey, single=int(index == 3), text=f"Idea number {index}"),
            )
    body = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "4 responses to version 1" in body
    assert "75%" in body and "25%" in body
    assert "Idea number 3" in body


@pytest.mark.parametrize("version", ["99999999999", "²", "0", "abc", "2", "-1"])
def test_results_of_a_version_that_is_not_one_is_not_found(client, signed_in_staff, tenant_a, version):
    with tenant_context(tenant_a):
        survey = make_survey()
    url = reverse("surveys:results", args=[survey.pk])
    assert client.get(url, {"version": version}).status_code == 404
    assert client.get(url, {"version": "1"}).status_code == 200
    assert client.get(url, {"version": ""}).status_code == 200


def test_text_answers_are_paginated(client, signed_in_staff, tenant_a):
    with tenant_context(tenant_a):
        survey = make_survey()
        for index, msme in enumerate(MsmeFactory.create_batch(27)):
            services.response_submit(
                survey=survey, msme=msme, answers=answers_for(survey, text=f"Text answer {index:02d}")
            )
        question = Question.objects.get(version__survey=survey, kind="text")
    url = reverse("surveys:texts", args=[survey.pk, question.pk])
    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    assert first.count("Text answer") == 25 and second.count("Text answer") == 2
    assert "Page 1 of 2" in first


def test_the_csv_has_a_row_per_response_and_a_column_per_question(client, signed_in_staff, tenant_a):
    with tenant_context(tenant_a):
        survey = make_survey()
        msme = MsmeFactory(name="Café Ngozi")
        services.response_submit(survey=survey, msme=msme, answers=answers_for(survey, multiple=(0, 2), text="More"))
    response = client.get(reverse("surveys:export", args=[survey.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][5:] == [
        "v1 1. What do you need most?",
        "v1 2. Which channels suit you?",
        "v1 3. How well do you know IP?",
        "v1 4. Anything else?",
    ]
    assert rows[1][1] == "Café Ngozi"
    assert rows[1][5:] == ["Trademarks", "Workshops; Courses", "4", "More"]


def test_the_list_reads_a_fixed_number_of_queries(client, signed_in_staff, tenant_a):
    with tenant_context(tenant_a):
        SurveyFactory.create_batch(2)
    client.get(reverse("surveys:index"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("surveys:index")).status_code == 200
    with tenant_context(tenant_a):
        SurveyFactory.create_batch(30)
    with CaptureQueriesContext(connection) as more:
        page = client.get(reverse("surveys:index"))
    assert len(more) == len(few)
    assert page.content.decode().count("of needs") == 25


def test_bad_filters_answer_400(client, signed_in_staff):
    assert client.get(reverse("surveys:index") + "?status=nope").status_code == 400
