"""Recording assessments, the maturity level they set in the registry, visitors' assessments and claiming them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.diagnostics import selectors, services
from apps.diagnostics.models import Assessment, VisitorAssessment
from apps.diagnostics.session import VISITOR_KEY
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent
from tests.diagnostics.helpers import LEVEL_3, LEVEL_4, least_answers, most_answers
from tests.factories import (
    PASSWORD,
    AssessmentFactory,
    MembershipFactory,
    MsmeFactory,
    MsmeMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_recording_keeps_the_assessment_and_sets_the_maturity_level_with_its_audit(tenant_a, in_tenant):
    in_tenant(tenant_a)
    msme = MsmeFactory()
    user = UserFactory()
    assessment = services.assessment_record(msme=msme, answers=LEVEL_3, actor=user, source="self")
    assert assessment.level == 3 and assessment.score == 47
    assert assessment.questionnaire_version == "2026.1"
    assert assessment.area_scores["protection"] == 83
    assert assessment.reasons[0]["code"] == "score"
    assert assessment.recorded_by == user and assessment.tenant == tenant_a
    msme.refresh_from_db()
    assert msme.maturity_level == 3
    assert msme.maturity_assessed_at == timezone.localdate()
    event = AuditEvent.objects.filter(object_id=msme.pk, action="update").get()
    assert event.changes["maturity_level"] == [None, 3]
    assert event.actor == user


def test_the_latest_assessment_sets_the_level_and_the_history_is_kept(tenant_a, in_tenant):
    in_tenant(tenant_a)
    msme = MsmeFactory()
    first = services.assessment_record(msme=msme, answers=least_answers(), source="self")
    second = services.assessment_record(msme=msme, answers=LEVEL_4, source="self")
    msme.refresh_from_db()
    assert msme.maturity_level == 4
    assert list(selectors.assessments_for(msme)) == [second, first]
    assert selectors.latest_assessment(msme) == second


def test_bad_answers_record_nothing(tenant_a, in_tenant):
    in_tenant(tenant_a)
    msme = MsmeFactory()
    with pytest.raises(ValidationError) as error:
        services.assessment_record(msme=msme, answers=least_answers(trademark="gold"), source="self")
    assert "trademark" in error.value.message_dict
    assert not Assessment.objects.exists()
    msme.refresh_from_db()
    assert msme.maturity_level is None


def test_latest_assessment_is_none_when_never_assessed(tenant_a, in_tenant):
    in_tenant(tenant_a)
    assert selectors.latest_assessment(MsmeFactory()) is None


def test_a_visitor_assessment_needs_no_tenant_and_claiming_it_is_idempotent(tenant_a, in_tenant):
    visitor = services.visitor_assessment_create(most_answers())
    assert visitor.level == 5 and visitor.claimed_at is None
    in_tenant(tenant_a)
    msme = MsmeFactory()
    user = UserFactory()
    claimed = services.visitor_assessment_claim(visitor_assessment=visitor, msme=msme, user=user)
    again = services.visitor_assessment_claim(visitor_assessment=visitor, msme=msme, user=user)
    assert claimed == again
    assert Assessment.objects.count() == 1
    assert claimed.source == "visitor" and claimed.level == 5 and claimed.created_at == visitor.created_at
    assert claimed.answers == visitor.answers and claimed.signals == visitor.signals
    visitor.refresh_from_db()
    assert visitor.claimed_at is not None and visitor.claimed_assessment_id == claimed.pk
    msme.refresh_from_db()
    assert msme.maturity_level == 5


def test_claiming_an_older_visitor_assessment_does_not_override_a_newer_one(tenant_a, in_tenant):
    visitor = services.visitor_assessment_create(most_answers())
    VisitorAssessment.objects.filter(pk=visitor.pk).update(created_at=timezone.now() - timedelta(days=30))
    visitor.refresh_from_db()
    in_tenant(tenant_a)
    msme = MsmeFactory()
    services.assessment_record(msme=msme, answers=LEVEL_3, source="self")
    services.visitor_assessment_claim(visitor_assessment=visitor, msme=msme, user=None)
    msme.refresh_from_db()
    assert msme.maturity_level == 3
    assert [a.source for a in selectors.assessments_for(msme)] == ["self", "visitor"]


def _visitor_session(client) -> VisitorAssessment:
    response = client.post(
        reverse("api:diagnostics-assessment-list"), {"answers": LEVEL_3}, content_type="application/json"
    )
    assert response.status_code == 201
    visitor = VisitorAssessment.objects.get(pk=response.json()["id"])
    assert client.session[VISITOR_KEY] == str(visitor.pk)
    return visitor


def test_registering_a_business_claims_the_sessions_assessment(client, tenant_a):
    visitor = _visitor_session(client)
    client.force_login(UserFactory())
    done = client.post(
        reverse("registry:register"),
        {
            "choose": "1",
            "tenant": tenant_a.pk,
            "register": "1",
            "name": "Fresh Start",
            "registration_number": "FS-1",
            "sector_isic": "C",
            "employees": "2",
        },
    )
    assert done.status_code == 302
    with tenant_context(tenant_a):
        msme = Msme.objects.get(registration_number="FS-1")
        assessment = Assessment.objects.get(msme=msme)
        assert assessment.source == "visitor" and assessment.level == 3
        assert msme.maturity_level == 3
    visitor.refresh_from_db()
    assert visitor.claimed_assessment_id == assessment.pk
    assert VISITOR_KEY not in client.session


def test_signing_in_as_an_msme_member_claims_the_sessions_assessment(client, tenant_a):
    with tenant_context(tenant_a):
        link = MsmeMemberFactory()
    MembershipFactory(user=link.user, tenant=tenant_a, role="msme_member")
    _visitor_session(client)
    response = client.post(reverse("account_login"), {"login": link.user.email, "password": PASSWORD})
    assert response.status_code == 302
    with tenant_context(tenant_a):
        assessment = Assessment.objects.get(msme=link.msme)
        assert assessment.source == "visitor" and assessment.recorded_by == link.user
        link.msme.refresh_from_db()
        assert link.msme.maturity_level == 3


def test_signing_in_without_an_msme_keeps_the_assessment_in_the_session(client):
    user = UserFactory()
    visitor = _visitor_session(client)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.session[VISITOR_KEY] == str(visitor.pk)
    visitor.refresh_from_db()
    assert visitor.claimed_at is None


def test_the_factory_makes_a_tenant_owned_assessment(tenant_a, in_tenant):
    in_tenant(tenant_a)
    assessment = AssessmentFactory()
    assert assessment.tenant == tenant_a == assessment.msme.tenant


def test_a_claimed_result_older_than_the_agencys_level_leaves_that_level(tenant_a, in_tenant):
    visitor = services.visitor_assessment_create(least_answers())
    VisitorAssessment.objects.filter(pk=visitor.pk).update(created_at=timezone.now() - timedelta(days=20))
    visitor.refresh_from_db()
    in_tenant(tenant_a)
    set_on = timezone.localdate() - timedelta(days=2)
    msme = MsmeFactory(maturity_level=4, maturity_assessed_at=set_on)  # set by the agency after a visit
    services.visitor_assessment_claim(visitor_assessment=visitor, msme=msme, user=None)
    msme.refresh_from_db()
    assert (msme.maturity_level, msme.maturity_assessed_at) == (4, set_on)
    assert selectors.latest_assessment(msme).level == 1  # the result is kept in the history all the same
