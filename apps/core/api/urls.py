"""/api/v1/: each app adds its routes here."""

from django.urls import include, path

from apps.accounts.api.views import MeView

app_name = "api"
urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("", include("apps.registry.api.urls")),
    path("", include("apps.guidance.api.urls")),
    path("", include("apps.diagnostics.api.urls")),
]
