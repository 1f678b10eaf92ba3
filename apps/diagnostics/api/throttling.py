from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class VisitorAssessmentThrottle(AnonRateThrottle):
    """Anonymous assessments per client address (signed-in users are not throttled here): each one is
    a row. The rate is read from settings when asked, so deployments and tests can set it."""

    scope = "visitor_assessments"

    def get_rate(self) -> str | None:
        return settings.VISITOR_ASSESSMENT_RATE
