from django.urls import path

from apps.guidance.api import views

urlpatterns = [
    path("calculators/pct-deadlines/", views.PctDeadlinesView.as_view(), name="pct-deadlines"),
]
