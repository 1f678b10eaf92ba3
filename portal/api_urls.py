"""/api/v1/: each app's API routes, listed here at the project level (the apps do not import each other
to be mounted; core lists none of them)."""

from django.urls import include, path

from apps.accounts.api.views import MeView

app_name = "api"
urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("", include("apps.registry.api.urls")),
    path("", include("apps.guidance.api.urls")),
    path("", include("apps.diagnostics.api.urls")),
    path("", include("apps.plan.api.urls")),
    path("", include("apps.helpdesk.api.urls")),
    path("", include("apps.outreach.api.urls")),
    path("", include("apps.surveys.api.urls")),
    path("", include("apps.events.api.urls")),
    path("", include("apps.programmes.api.urls")),
    path("", include("apps.stories.api.urls")),
    path("", include("apps.dashboards.api.urls")),
]
