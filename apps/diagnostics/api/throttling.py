from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class VisitorAssessmentThrottle(AnonRateThrottle):
    """Anonymous assessments per client address (signed-in users are not throttled here): each one is
    a row. The rate is read from settings when asked, so deployments and tests can set it.

    While Redis is down the throttle fails open, deliberately: the fail-soft cache (apps/core/cache.py) reads
    as empty, so every visitor is let through. The public diagnostic is the portal's front door and an outage
    is short and visible (/healthz says "degraded"); the rows it lets in are bounded by the outage and purged
    when unclaimed (VISITOR_ASSESSMENT_RETENTION_DAYS). Refusing every visitor would turn a cache outage into
    an outage of the diagnostic."""

    scope = "visitor_assessments"

    def get_rate(self) -> str | None:
        return settings.VISITOR_ASSESSMENT_RATE
