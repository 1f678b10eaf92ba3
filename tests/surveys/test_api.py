"""/api/v1/surveys/: tenant-scoped list, retrieve, create and update with questions, and the results."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.accounts.services import api_token_create
from apps.core.roles import Role
from apps.surveys import rules, services
from apps.surveys.models import Survey
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent
from tests.factories import MsmeFactory, SurveyFactory, user_with_role
from tests.surveys.helpers import answers_for, make_survey

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"kind": "single", "text": "What do you need?", "choices": ["Trademarks", "Patents"]},
    {"kind": "scale", "text": "How sure are you?", "scale_min": 0, "scale_max": 10, "scale_max_label": "Sure"},
]


def _client(tenant, role=Role.AGENCY_STAFF) -> APIClient:
    user = user_with_role(role, tenant)
    _token, key = api_token_create(user=user, membership=user.memberships.get(), name="t")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api(tenant_a):
    return _client(tenant_a)


def test_create_with_questions_then_read_it_back(api, tenant_a):
    created = api.post("/api/v1/surveys/", {"title": "Needs", "language": "fr", "questions": QUESTIONS}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "draft" and body["version"] == 1 and body["language"] == "fr"
    assert [q["kind"] for q in body["questions"]] == ["single", "scale"]
    assert body["questions"][0]["choices"] == ["Trademarks", "Patents"]
    again = api.get(f"/api/v1/surveys/{body['id']}/").json()
    assert again == body
    with tenant_context(tenant_a):
        assert AuditEvent.objects.filter(object_id=body["id"], action="create", channel="api").exists()


def test_updating_questions_of_an_answered_survey_makes_a_new_version(api, tenant_a):
    with tenant_context(tenant_a):
        survey = make_survey()
        services.response_submit(survey=survey, msme=MsmeFactory(), answers=answers_for(survey))
    response = api.patch(f"/api/v1/surveys/{survey.pk}/", {"questions": QUESTIONS[:1]}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert [q["text"] for q in response.json()["questions"]] == ["What do you need?"]
    old = api.get(f"/api/v1/surveys/{survey.pk}/results/?version=1").json()
    assert old["responses"] == 1 and len(old["questions"]) == 4


def test_status_opens_and_closes_and_an_empty_survey_does_not_open(api, tenant_a):
    with tenant_context(tenant_a):
        survey = make_survey(status="draft")
        empty = make_survey(status="draft", questions=[])
    assert api.patch(f"/api/v1/surveys/{survey.pk}/", {"status": "open"}, format="json").json()["status"] == "open"
    refused = api.patch(f"/api/v1/surveys/{empty.pk}/", {"status": "open"}, format="json")
    assert refused.status_code == 400 and "status" in refused.json()
    back = api.patch(f"/api/v1/surveys/{survey.pk}/", {"status": "draft"}, format="json")
    assert back.status_code == 400 and "status" in back.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "T", "language": "xx"}, "language"),
        ({"title": "T", "questions": [{"kind": "single", "text": "Q", "choices": ["One"]}]}, "questions"),
        ({"title": "T", "questions": [{"kind": "scale", "text": "Q", "scale_max": 99}]}, "questions"),
        ({"title": "T", "questions": [{"kind": "text", "text": "Q\x00"}]}, "questions"),
        ({"title": "T", "questions": [{"kind": "text", "text": "Q"}] * (rules.QUESTIONS_MAX + 1)}, "questions"),
        ({"title": "T" * (rules.TITLE_MAX + 1)}, "title"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, tenant_a, payload, field):
    response = api.post("/api/v1/surveys/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    with tenant_context(tenant_a):
        assert not Survey.objects.exists()


def test_results_count_the_answers(api, tenant_a):
    with tenant_context(tenant_a):
        survey = make_survey()
        for index, msme in enumerate(MsmeFactory.create_batch(2)):
            services.response_submit(survey=survey, msme=msme, answers=answers_for(survey, single=index, scale=5))
    body = api.get(f"/api/v1/surveys/{survey.pk}/results/").json()
    assert body["version"] == 1 and body["responses"] == 2
    single = body["questions"][0]
    assert single["answered"] == 2
    assert [(c["label"], c["count"], c["percent"]) for c in single["counts"]][:2] == [
        ("Trademarks", 1, 50),
        ("Patents", 1, 50),
    ]


@pytest.mark.parametrize("version", ["99999999999", "²", "0", "abc", "7", "-1", "1" * 5000])
def test_results_of_a_version_that_is_not_one_answer_400_naming_it(api, tenant_a, version):
    with tenant_context(tenant_a):
        survey = make_survey()
    answer = api.get(f"/api/v1/surveys/{survey.pk}/results/", {"version": version})
    assert answer.status_code == 400
    assert list(answer.json()) == ["version"]
    assert api.get(f"/api/v1/surveys/{survey.pk}/results/", {"version": "1"}).status_code == 200


def test_another_tenant_s_surveys_are_not_listed_nor_found(api, tenant_a, tenant_b):
    with tenant_context(tenant_b):
        foreign = SurveyFactory()
    with tenant_context(tenant_a):
        own = SurveyFactory()
    assert [row["id"] for row in api.get("/api/v1/surveys/").json()["results"]] == [str(own.pk)]
    assert api.get(f"/api/v1/surveys/{foreign.pk}/").status_code == 404
    assert api.patch(f"/api/v1/surveys/{foreign.pk}/", {"title": "Mine"}, format="json").status_code == 404


def test_members_are_refused(tenant_a):
    member = _client(tenant_a, Role.MSME_MEMBER)
    assert member.get("/api/v1/surveys/").status_code == 403
    assert member.post("/api/v1/surveys/", {"title": "T"}, format="json").status_code == 403


def test_the_list_reads_a_fixed_number_of_queries(api, tenant_a):
    with tenant_context(tenant_a):
        SurveyFactory.create_batch(2)
    api.get("/api/v1/surveys/")
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/surveys/")
    with tenant_context(tenant_a):
        SurveyFactory.create_batch(20)
    with CaptureQueriesContext(connection) as more:
        api.get("/api/v1/surveys/")
    assert len(more) == len(few)
