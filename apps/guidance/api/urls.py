from django.urls import path

from apps.guidance.api import views

urlpatterns = [
    path("calculators/pct-deadlines/", views.PctDeadlinesView.as_view(), name="pct-deadlines"),
    path("calculators/pct-fees/", views.PctFeesView.as_view(), name="pct-fees"),
    path("calculators/madrid-fees/", views.MadridFeesView.as_view(), name="madrid-fees"),
    path("calculators/hague-fees/", views.HagueFeesView.as_view(), name="hague-fees"),
]
