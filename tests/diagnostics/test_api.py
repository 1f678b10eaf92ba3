"""GET /api/v1/diagnostics/questionnaire/ and /api/v1/diagnostics/assessments/."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from apps.accounts.services import api_token_create
from apps.core.roles import Role
from apps.diagnostics.models import Assessment, VisitorAssessment
from apps.diagnostics.session import VISITOR_KEY
from apps.tenants.context import tenant_context
from tests.diagnostics.helpers import LEVEL_3, least_answers, most_answers
from tests.factories import AssessmentFactory, MsmeFactory, MsmeMemberFactory, user_with_role

pytestmark = pytest.mark.django_db
QUESTIONNAIRE = "/api/v1/diagnostics/questionnaire/"
ASSESSMENTS = "/api/v1/diagnostics/assessments/"


def post(client, data, **extra):
    return client.post(ASSESSMENTS, data, content_type="application/json", **extra)


def answers_from_api(client, pick):
    """Answer every question of the API's questionnaire with `pick(options)`."""
    questions = client.get(QUESTIONNAIRE).json()["questions"]
    return {
        question["id"]: pick(question["options"])["value"]
        if question["kind"] == "single"
        else [pick(question["options"])["value"]]
        for question in questions
    }


def test_the_routes_are_named():
    assert reverse("api:diagnostics-questionnaire") == QUESTIONNAIRE
    assert reverse("api:diagnostics-assessment-list") == ASSESSMENTS


def test_the_questionnaire_is_public_and_shaped_as_documented(client):
    response = client.get(QUESTIONNAIRE)
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == "2026.1"
    assert len(data["questions"]) >= 20
    question = next(q for q in data["questions"] if q["id"] == "trademark")
    assert question["kind"] == "single" and question["area"] == "protection"
    assert question["options"][0] == {"value": "no", "text": "No, and we have not checked whether it is free"}
    assert question["options"][-1]["value"] == "registered"
    patent = next(q for q in data["questions"] if q["id"] == "patent")
    assert patent["show_if"] == [{"question": "has_inventions", "any_of": ["yes"]}]
    assert {q["kind"] for q in data["questions"]} == {"single", "multi"}


def test_the_questionnaire_speaks_the_requests_language(client):
    response = client.get(QUESTIONNAIRE, headers={"accept-language": "fr"})
    english = client.get(QUESTIONNAIRE, headers={"accept-language": "en"})
    assert response.status_code == 200
    with translation.override("fr"):
        from apps.diagnostics.questionnaire import get_questionnaire

        expected = str(get_questionnaire().question("trademark").text)
    assert next(q for q in response.json()["questions"] if q["id"] == "trademark")["text"] == expected
    assert english.json()["version"] == response.json()["version"]


def test_an_unknown_version_is_a_400(client):
    response = client.get(QUESTIONNAIRE, {"version": "1999.1"})
    assert response.status_code == 400 and "version" in response.json()
    assert client.get(QUESTIONNAIRE, {"version": "2026.1"}).status_code == 200


def test_every_least_mature_answer_is_level_1_and_every_most_mature_is_level_5(client):
    least = post(client, {"answers": answers_from_api(client, lambda options: options[0])})
    most = post(client, {"answers": answers_from_api(client, lambda options: options[-1])})
    assert least.status_code == 201 and least.json()["level"] == 1
    assert most.status_code == 201 and most.json()["level"] == 5
    assert most.json()["level_name"] == "Leveraging"


def test_a_visitors_post_answers_201_with_the_result_and_the_plan(client):
    response = post(client, {"answers": LEVEL_3})
    assert response.status_code == 201
    data = response.json()
    assert set(data) >= {"id", "msme", "level", "level_name", "area_scores", "reasons", "actions"}
    assert data["msme"] is None and data["level"] == 3 and data["level_name"] == "Protecting"
    assert data["area_scores"]["protection"] == 83
    assert data["reasons"][0].startswith("Your overall score is 47 out of 100")
    assert isinstance(data["actions"], list)
    for action in data["actions"]:
        assert {"title", "why", "topic_url"} <= set(action)
    assert VisitorAssessment.objects.filter(pk=data["id"]).exists()
    assert client.session[VISITOR_KEY] == data["id"]


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        (least_answers(not_a_question="yes"), "not_a_question"),
        (least_answers(trademark="gold"), "trademark"),
        (least_answers(trademark=["registered"]), "trademark"),
        (least_answers(assets_held=["none", "brand"]), "assets_held"),
    ],
)
def test_an_unknown_question_or_value_is_a_400_naming_the_question(client, answers, field):
    response = post(client, {"answers": answers})
    assert response.status_code == 400
    assert field in response.json()["answers"]
    assert not VisitorAssessment.objects.exists()


@pytest.mark.parametrize("body", [{}, {"answers": ["trademark"]}, {"answers": "x"}, {"name": "sweep"}])
def test_a_malformed_body_is_a_400(client, body):
    response = post(client, body)
    assert response.status_code == 400 and "answers" in response.json()


def test_a_members_post_is_saved_to_their_msme(client, login_as, tenant_a):
    user = login_as(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a):
        msme = MsmeMemberFactory(user=user).msme
        other = MsmeFactory()
    response = post(client, {"answers": LEVEL_3})
    assert response.status_code == 201
    assert response.json()["msme"] == str(msme.pk)
    with tenant_context(tenant_a):
        assessment = Assessment.objects.get(pk=response.json()["id"])
        msme.refresh_from_db()
    assert assessment.source == "self" and msme.maturity_level == 3
    refused = post(client, {"answers": LEVEL_3, "msme": str(other.pk)})
    assert refused.status_code == 400 and "msme" in refused.json()


def test_agency_staff_must_name_an_msme_of_their_agency(client, tenant_a, tenant_b):
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    _token, key = api_token_create(user=staff, membership=staff.memberships.first(), name="t")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    with tenant_context(tenant_a):
        ours = MsmeFactory()
    with tenant_context(tenant_b):
        theirs = MsmeFactory()
    assert post(client, {"answers": LEVEL_3}, **auth).json() == {
        "msme": ["Agency staff record an assessment for an MSME: give its id."]
    }
    foreign = post(client, {"answers": LEVEL_3, "msme": str(theirs.pk)}, **auth)
    assert foreign.status_code == 400 and "msme" in foreign.json()
    response = post(client, {"answers": most_answers(), "msme": str(ours.pk)}, **auth)
    assert response.status_code == 201
    with tenant_context(tenant_a):
        assessment = Assessment.objects.get(pk=response.json()["id"])
    assert assessment.source == "agency" and assessment.recorded_by == staff and assessment.msme_id == ours.pk
    with tenant_context(tenant_b):
        assert not Assessment.objects.exists()


def test_the_list_is_paginated_scoped_and_keeps_a_constant_query_count(
    client, login_as, tenant_a, tenant_b, django_assert_max_num_queries
):
    login_as(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a):
        msme = MsmeFactory()
        for _ in range(3):
            AssessmentFactory(msme=msme)
        AssessmentFactory()
    with tenant_context(tenant_b):
        foreign = AssessmentFactory()
    with django_assert_max_num_queries(8):
        response = client.get(ASSESSMENTS)
    data = response.json()
    assert data["count"] == 4 and str(foreign.pk) not in response.content.decode()
    with tenant_context(tenant_a):
        for _ in range(20):
            AssessmentFactory()
    with django_assert_max_num_queries(8):
        assert client.get(ASSESSMENTS).json()["count"] == 24
    filtered = client.get(ASSESSMENTS, {"msme": str(msme.pk)}).json()
    assert filtered["count"] == 3 and {row["msme"] for row in filtered["results"]} == {str(msme.pk)}
    assert client.get(ASSESSMENTS, {"msme": "nope"}).status_code == 400
    assert client.get(f"{ASSESSMENTS}{foreign.pk}/").status_code == 404


def test_a_member_lists_and_reads_only_their_msmes_assessments(client, login_as, tenant_a):
    user = login_as(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a):
        msme = MsmeMemberFactory(user=user).msme
        own = AssessmentFactory(msme=msme)
        other = AssessmentFactory()
    data = client.get(ASSESSMENTS).json()
    assert [row["id"] for row in data["results"]] == [str(own.pk)]
    detail = client.get(f"{ASSESSMENTS}{own.pk}/")
    assert detail.status_code == 200 and "actions" in detail.json()
    assert client.get(f"{ASSESSMENTS}{other.pk}/").status_code == 404
    # ?msme= of another MSME changes nothing for a member.
    assert client.get(ASSESSMENTS, {"msme": str(other.msme_id)}).json()["count"] == 1


def test_anonymous_visitors_cannot_list_stored_assessments(client):
    assert client.get(ASSESSMENTS).status_code in {401, 403}


def test_the_schema_documents_the_routes(client):
    schema = client.get("/api/schema/", headers={"accept": "application/json"}).content.decode()
    assert "/api/v1/diagnostics/questionnaire/" in schema and "/api/v1/diagnostics/assessments/" in schema


def test_an_unknown_questionnaire_version_is_a_400_naming_it(client):
    response = post(client, {"answers": {}, "version": "1999.9"})
    assert response.status_code == 400
    assert "version" in response.json()


def test_a_cross_site_post_gets_its_result_but_cannot_plant_it_in_the_session(tenant_a):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.get("/diagnostic/")  # a session and a CSRF cookie, as a visitor's browser has
    forged = post(browser, {"answers": LEVEL_3})
    assert forged.status_code == 201  # a program's POST is answered...
    assert VISITOR_KEY not in browser.session  # ...but nothing is kept for a later sign-in to claim

    token = browser.cookies["csrftoken"].value
    same_site = post(browser, {"answers": LEVEL_3}, HTTP_X_CSRFTOKEN=token)
    assert same_site.status_code == 201
    assert browser.session[VISITOR_KEY] == same_site.json()["id"]
