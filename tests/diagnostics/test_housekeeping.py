"""Anonymous results: the API throttles anonymous submissions, and unclaimed ones are purged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from apps.diagnostics.models import VisitorAssessment
from apps.diagnostics.tasks import purge_unclaimed_visitor_assessments, purge_unclaimed_visitor_assessments_task
from tests.diagnostics.helpers import least_answers

pytestmark = pytest.mark.django_db

URL = "/api/v1/diagnostics/assessments/"


@override_settings(VISITOR_ASSESSMENT_RATE="2/hour")
def test_anonymous_submissions_are_throttled_per_client(client):
    cache.clear()
    try:
        answers = least_answers()
        statuses = [client.post(URL, {"answers": answers}, content_type="application/json").status_code for _ in "abc"]
        assert statuses == [201, 201, 429]
        assert VisitorAssessment.objects.count() == 2
    finally:
        cache.clear()


@override_settings(VISITOR_ASSESSMENT_RATE="1/hour")
def test_signed_in_members_are_not_throttled_by_the_visitor_rate(client, login_as, tenant_a):
    from apps.core.roles import Role
    from apps.tenants.context import tenant_context
    from tests.factories import MsmeFactory, MsmeMemberFactory

    cache.clear()
    try:
        user = login_as(Role.MSME_MEMBER, tenant_a)
        with tenant_context(tenant_a):
            MsmeMemberFactory(msme=MsmeFactory(), user=user)
        answers = least_answers()
        statuses = [client.post(URL, {"answers": answers}, content_type="application/json").status_code for _ in "ab"]
        assert statuses == [201, 201]
    finally:
        cache.clear()


def test_unclaimed_visitor_results_are_purged_after_the_retention(settings):
    settings.VISITOR_ASSESSMENT_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    stale = VisitorAssessment.objects.create(level=1, created_at=old)
    claimed = VisitorAssessment.objects.create(level=2, created_at=old, claimed_at=old)
    recent = VisitorAssessment.objects.create(level=3)
    assert purge_unclaimed_visitor_assessments_task.delay().get() == 1
    remaining = set(VisitorAssessment.objects.values_list("pk", flat=True))
    assert remaining == {claimed.pk, recent.pk} and stale.pk not in remaining
    assert purge_unclaimed_visitor_assessments(older_than_days=0) == 1  # the recent, unclaimed one
