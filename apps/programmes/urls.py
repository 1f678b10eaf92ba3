from apps.programmes.views import urlpatterns

app_name = "programmes"

__all__ = ["app_name", "urlpatterns"]
