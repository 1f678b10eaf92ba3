from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.programmes.api import views

router = SimpleRouter()
router.register("tiscs", views.TiscViewSet, basename="tisc")
router.register("tisc-requests", views.TiscRequestViewSet, basename="tisc-request")
router.register("adr/requests", views.AdrRequestViewSet, basename="adr-request")
router.register("research/requests", views.ResearchRequestViewSet, basename="research-request")
router.register("iap/requests", views.IapRequestViewSet, basename="iap-request")
router.register("green/technologies", views.GreenTechnologyViewSet, basename="green-technology")
router.register("green/needs", views.GreenNeedViewSet, basename="green-need")

urlpatterns = [
    path("calculators/adr-fees/", views.AdrFeesView.as_view(), name="adr-fees"),
    *router.urls,
]
