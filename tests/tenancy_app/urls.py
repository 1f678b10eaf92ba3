from django.urls import path
from rest_framework.routers import SimpleRouter

from tests.tenancy_app import views

router = SimpleRouter()
router.register("test-widgets", views.WidgetViewSet, basename="test-widget")

urlpatterns = [
    path("test-widgets/", views.widget_list, name="test-widget-list"),
    path("test-widgets/<uuid:pk>/", views.widget_detail, name="test-widget-detail"),
]
api_urlpatterns = router.urls
