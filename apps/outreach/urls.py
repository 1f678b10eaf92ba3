"""Outreach pages, under /outreach/: the segments' routes and the campaigns' routes, kept in their own modules."""

from apps.outreach.views.campaigns import urlpatterns as campaign_patterns
from apps.outreach.views.segments import urlpatterns as segment_patterns

app_name = "outreach"
urlpatterns = [*campaign_patterns, *segment_patterns]
