"""The demo's surveys step: in each demo tenant an open survey in the agency's language, answered by demo
MSMEs, and nothing more on a second run."""

from __future__ import annotations

import pytest

from apps.registry.models import Msme
from apps.surveys import demo, selectors
from apps.surveys.models import Answer, Response, Survey
from apps.tenants.context import tenant_context
from tests.factories import MsmeFactory

pytestmark = pytest.mark.django_db


def test_the_demo_survey_is_answered_by_demo_msmes_once(tenant_a):
    with tenant_context(tenant_a):
        for index in range(5):
            MsmeFactory(registration_number=f"DEMO-{index:04d}")
        MsmeFactory(registration_number="REAL-1")
    assert demo.seed_survey(tenant=tenant_a, answering=4) == 4
    assert demo.seed_survey(tenant=tenant_a, answering=4) == 0  # idempotent
    with tenant_context(tenant_a):
        survey = Survey.objects.get()
        assert survey.status == "open"
        responses = Response.objects.filter(survey=survey)
        assert responses.count() == 4
        assert not responses.filter(msme__registration_number="REAL-1").exists()
        assert Answer.objects.filter(response__survey=survey, scale_value__isnull=False).count() == 4
        results = selectors.results(selectors.version_of(survey))
        assert results.questions[0].answered == 4
        assert Msme.objects.count() == 6
