"""Outreach pages, under /outreach/: the segments' routes, the campaigns' routes and the public unsubscribe
page, kept in their own modules."""

from apps.outreach.views.campaigns import urlpatterns as campaign_patterns
from apps.outreach.views.segments import urlpatterns as segment_patterns
from apps.outreach.views.unsubscribe import urlpatterns as unsubscribe_patterns

app_name = "outreach"
urlpatterns = [*campaign_patterns, *segment_patterns, *unsubscribe_patterns]
