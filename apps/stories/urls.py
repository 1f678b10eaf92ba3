from apps.stories.views import urlpatterns

app_name = "stories"

__all__ = ["app_name", "urlpatterns"]
