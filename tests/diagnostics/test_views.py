"""The diagnostic's pages: steps without JavaScript, the result, members' and staff's assessments, the MSME page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.roles import Role
from apps.diagnostics.models import Assessment, VisitorAssessment
from apps.diagnostics.questionnaire import get_questionnaire
from apps.tenants.context import tenant_context
from tests.diagnostics.helpers import LEVEL_3, LEVEL_4, least_answers
from tests.factories import AssessmentFactory, MsmeFactory, MsmeMemberFactory

pytestmark = pytest.mark.django_db
STEPS = len(get_questionnaire().areas)


def step_url(n: int) -> str:
    return reverse("diagnostics:step", args=[n])


def walk(client, answers, url=step_url):
    """Post the answers step by step (each step reads only its own questions); the last response."""
    response = None
    for n in range(1, STEPS + 1):
        response = client.post(url(n), {**answers, "next": "1"})
        assert response.status_code == 302, (n, response.content.decode()[:2000])
    return response


@pytest.fixture
def member(client, login_as, tenant_a):
    user = login_as(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a):
        return MsmeMemberFactory(user=user).msme


def test_the_start_page_explains_the_diagnostic(client):
    response = client.get(reverse("diagnostics:start"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Who it is for" in page and "About 10 minutes" in page
    assert "Leveraging" in page and "Knowing what you own" in page
    assert step_url(1) in page


def test_a_visitor_takes_the_diagnostic_and_sees_the_result(client):
    done = walk(client, LEVEL_3)
    assert done["Location"] == reverse("diagnostics:result")
    visitor = VisitorAssessment.objects.get()
    assert visitor.level == 3
    response = client.get(reverse("diagnostics:result"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Level 3 of 5: Protecting" in page
    assert 'id="area-scores"' in page and '<meter class="w-100 d-block" min="0" max="100"' in page
    assert "Your overall score is 47 out of 100" in page
    assert "kept in this browser session" in page and reverse("account_signup") in page
    # The answers in progress are gone; the result stays.
    assert "diagnostic_answers" not in client.session


def test_the_result_without_a_diagnostic_goes_to_the_start(client):
    assert client.get(reverse("diagnostics:result"))["Location"] == reverse("diagnostics:start")


def test_a_step_with_a_question_left_open_is_shown_again_with_the_question_named(client):
    answers = least_answers()
    del answers["ip_kinds"]
    response = client.post(step_url(1), {**answers, "next": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#q-ip_kinds"' in page and "Please answer this question." in page
    # What was answered is still ticked.
    assert 'id="q-ip_matters-unknown" value="unknown" checked' in page


def test_an_unknown_value_is_a_400(client):
    response = client.post(step_url(1), {**least_answers(), "ip_kinds": "gold", "next": "1"})
    assert response.status_code == 400
    assert "is not an answer to this question" in response.content.decode()


def test_unknown_steps_are_404(client):
    assert client.get(step_url(0)).status_code == 404
    assert client.get(step_url(STEPS + 1)).status_code == 404


def test_hidden_questions_are_skipped_on_the_server(client):
    client.post(step_url(2), {**least_answers(), "next": "1"})  # no inventions, no designs, no works
    page = client.get(step_url(3)).content.decode()
    assert 'id="q-trademark"' in page and 'id="q-patent"' not in page and 'id="q-design"' not in page
    client.post(step_url(2), {**least_answers(has_inventions="yes", assets_held=["designs"]), "next": "1"})
    page = client.get(step_url(3)).content.decode()
    assert 'id="q-patent"' in page and 'id="q-design"' in page


def test_a_question_that_depends_on_the_same_step_is_marked_for_the_script(client):
    page = client.get(step_url(6)).content.decode()
    assert 'data-show-if="exports:planning,yes"' in page
    assert "js/diagnostic.js" in page
    # Without the script it can be left open when it does not apply.
    response = client.post(step_url(6), {"exports": "no", "international_systems": "no", "next": "1"})
    assert response.status_code == 302
    response = client.post(step_url(6), {"exports": "yes", "international_systems": "no", "next": "1"})
    assert response.status_code == 400
    assert 'href="#q-protected_abroad"' in response.content.decode()


def test_back_keeps_what_was_answered_without_checking_it(client):
    response = client.post(step_url(2), {"inventory": "main", "back": "1"})
    assert response["Location"] == step_url(1)
    assert 'id="q-inventory-main" value="main" checked' in client.get(step_url(2)).content.decode()
    assert client.post(step_url(1), {"back": "1"})["Location"] == reverse("diagnostics:start")


def test_jumping_to_the_last_step_sends_back_to_the_first_open_question(client):
    response = client.post(step_url(STEPS), {**least_answers(), "next": "1"})
    assert response["Location"] == step_url(1)
    assert not VisitorAssessment.objects.exists()


def test_a_members_assessment_is_saved_to_their_msme(client, member, tenant_a):
    assert walk(client, LEVEL_4)["Location"] == reverse("diagnostics:result")
    with tenant_context(tenant_a):
        assessment = Assessment.objects.get()
        member.refresh_from_db()
    assert assessment.msme_id == member.pk and assessment.source == "self"
    assert member.maturity_level == 4
    assert not VisitorAssessment.objects.exists()
    page = client.get(reverse("diagnostics:result")).content.decode()
    assert "Level 4 of 5: Managing" in page and member.name in page
    start = client.get(reverse("diagnostics:start")).content.decode()
    assert "See the history of your assessments" in start


def test_agency_staff_record_an_assessment_for_an_msme(client, login_as, tenant_a):
    staff = login_as(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a):
        msme = MsmeFactory()
    record = reverse("diagnostics:record", args=[msme.pk])
    first = client.get(record)
    assert first["Location"] == reverse("diagnostics:record-step", kwargs={"pk": msme.pk, "step": 1})
    page = client.get(first["Location"]).content.decode()
    assert msme.name in page and "Step 1 of 7" in page
    done = walk(client, LEVEL_3, url=lambda n: reverse("diagnostics:record-step", kwargs={"pk": msme.pk, "step": n}))
    with tenant_context(tenant_a):
        assessment = Assessment.objects.get()
        msme.refresh_from_db()
    assert done["Location"] == reverse("diagnostics:assessment", args=[assessment.pk])
    assert assessment.source == "agency" and assessment.recorded_by == staff and msme.maturity_level == 3
    page = client.get(done["Location"]).content.decode()
    assert "Level 3 of 5: Protecting" in page and "Recorded by agency staff" in page
    # The staff's own diagnostic (as a visitor would take it) is kept apart.
    assert "diagnostic_answers" not in client.session


def test_staff_cannot_record_for_another_agencys_msme(client, login_as, tenant_a, tenant_b):
    login_as(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_b):
        theirs = MsmeFactory()
        their_assessment = AssessmentFactory(msme=theirs)
    assert client.get(reverse("diagnostics:record", args=[theirs.pk])).status_code == 404
    url = reverse("diagnostics:record-step", kwargs={"pk": theirs.pk, "step": 1})
    assert client.get(url).status_code == 404
    assert client.post(url, {**LEVEL_3, "next": "1"}).status_code == 404
    assert client.get(reverse("diagnostics:assessment", args=[their_assessment.pk])).status_code == 404


def test_members_see_only_their_own_assessments_and_cannot_record(client, member, tenant_a):
    with tenant_context(tenant_a):
        own = AssessmentFactory(msme=member)
        other = AssessmentFactory()
    assert client.get(reverse("diagnostics:assessment", args=[own.pk])).status_code == 200
    assert client.get(reverse("diagnostics:assessment", args=[other.pk])).status_code == 404
    assert client.get(reverse("diagnostics:record", args=[member.pk])).status_code == 403


def test_the_msme_page_shows_the_assessments_with_a_constant_query_count(client, login_as, tenant_a):
    login_as(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a):
        msme = MsmeFactory()
        AssessmentFactory(msme=msme, level=2)
    url = reverse("registry:detail", args=[msme.pk])
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    assert 'id="assessment-trend"' in page and "Record an assessment" in page
    with tenant_context(tenant_a):
        for level in (3, 4, 4, 5):
            AssessmentFactory(msme=msme, level=level, recorded_by=None)
    with CaptureQueriesContext(connection) as five:
        page = client.get(url).content.decode()
    assert page.count('href="/diagnostic/assessments/') >= 6  # the latest, and each row
    assert len(five) == len(one)


def test_a_member_sees_the_trend_on_their_page(client, member, tenant_a):
    with tenant_context(tenant_a):
        AssessmentFactory(msme=member, level=2, source="visitor")
    page = client.get(reverse("registry:detail", args=[member.pk])).content.decode()
    assert "Take the diagnostic again" in page and "Taken before signing up" in page


def test_answers_left_from_an_older_questionnaire_do_not_trap_the_visitor(client):
    session = client.session
    session["diagnostic_answers"] = {"a_question_of_an_old_version": "x"}
    session.save()
    response = walk(client, least_answers())
    assert response.url == reverse("diagnostics:result")
    assert VisitorAssessment.objects.get().level == 1
