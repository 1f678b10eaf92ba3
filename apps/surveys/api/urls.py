from rest_framework.routers import SimpleRouter

from apps.surveys.api import views

router = SimpleRouter()
router.register("surveys", views.SurveyViewSet, basename="survey")
urlpatterns = router.urls
