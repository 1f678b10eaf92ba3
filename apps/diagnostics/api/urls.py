from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.diagnostics.api import views

router = SimpleRouter()
router.register("diagnostics/assessments", views.AssessmentViewSet, basename="diagnostics-assessment")

urlpatterns = [
    path("diagnostics/questionnaire/", views.QuestionnaireView.as_view(), name="diagnostics-questionnaire"),
    *router.urls,
]
