from django.contrib import admin
from django.db import transaction
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.core import about
from apps.core import views as core_views
from apps.guidance import urls as guidance_urls
from apps.plan import urls as plan_urls

handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("about/privacy/", about.privacy, name="about-privacy"),
    path("about/terms/", about.terms, name="about-terms"),
    path("about/contact/", about.contact, name="about-contact"),
    path("about/accessibility/", about.accessibility, name="about-accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("apps.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("tenants/", include("apps.tenants.urls")),
    path("registry/", include("apps.registry.urls")),
    # The action plan (apps.plan) keeps the paths and "guidance:" names it had inside the guidance app.
    path("guidance/", include(([*plan_urls.urlpatterns, *guidance_urls.urlpatterns], guidance_urls.app_name))),
    path("diagnostic/", include("apps.diagnostics.urls")),
    path("helpdesk/", include("apps.helpdesk.urls")),
    path("dashboards/", include("apps.dashboards.urls")),
    path("outreach/", include("apps.outreach.urls")),
    path("reminders/", include("apps.reminders.urls")),
    path("surveys/", include("apps.surveys.urls")),
    path("news/", include("apps.news.urls")),
    path("events/", include("apps.events.urls")),
    path("programmes/", include("apps.programmes.urls")),
    path("stories/", include("apps.stories.urls")),
    path("api/v1/", include("portal.api_urls")),
    # No data read: outside the request's transaction, so they need no database connection.
    path("api/schema/", transaction.non_atomic_requests(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        transaction.non_atomic_requests(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]
# No route serves uploaded files, in development either: they are tenant-private (apps.tenants.files)
# and leave only through views that check scope.
