from django.urls import path

from apps.dashboards.api import views

urlpatterns = [
    path("stats/", views.StatsIndexView.as_view(), name="stats-index"),
    path("stats/<slug:table>/", views.StatsTableView.as_view(), name="stats-table"),
]
