"""The portal's URLs plus the test-only tenancy app's (pages and API)."""

from django.urls import include, path

from portal.urls import handler403, handler404
from portal.urls import urlpatterns as portal_urlpatterns
from tests.tenancy_app.urls import api_urlpatterns
from tests.tenancy_app.urls import urlpatterns as widget_urlpatterns

urlpatterns = [
    path("api/v1/", include(api_urlpatterns)),
    *widget_urlpatterns,
    *portal_urlpatterns,
]

__all__ = ["handler403", "handler404", "urlpatterns"]
