"""/events/: the pages of events and trainings (apps.events.views)."""

from apps.events.views import urlpatterns

app_name = "events"

__all__ = ["app_name", "urlpatterns"]
