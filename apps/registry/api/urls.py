from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.registry.api import views

router = SimpleRouter()
router.register("msmes", views.MsmeViewSet, basename="msme")
router.register("imports", views.ImportJobViewSet, basename="import-job")

asset_list = views.IpAssetViewSet.as_view({"get": "list", "post": "create"})
asset_detail = views.IpAssetViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)

urlpatterns = [
    path("msmes/<uuid:msme_pk>/assets/", asset_list, name="msme-asset-list"),
    path("msmes/<uuid:msme_pk>/assets/<uuid:pk>/", asset_detail, name="msme-asset-detail"),
    *router.urls,
]
