from apps.programmes import green_views, mentoring_views, network_views, views

urlpatterns = [
    *views.urlpatterns,
    *green_views.urlpatterns,
    *mentoring_views.urlpatterns,
    *network_views.urlpatterns,
]

app_name = "programmes"

__all__ = ["app_name", "urlpatterns"]
