from django.urls import path

from apps.guidance.api import topic_views, views

urlpatterns = [
    path("calculators/pct-deadlines/", views.PctDeadlinesView.as_view(), name="pct-deadlines"),
    path("calculators/pct-fees/", views.PctFeesView.as_view(), name="pct-fees"),
    path("calculators/madrid-fees/", views.MadridFeesView.as_view(), name="madrid-fees"),
    path("calculators/hague-fees/", views.HagueFeesView.as_view(), name="hague-fees"),
    path("calculators/route-comparison/", views.RouteComparisonView.as_view(), name="route-comparison"),
    path("guidance/topics/", topic_views.TopicListView.as_view(), name="guidance-topic-list"),
    path("guidance/topics/<topic:slug>/", topic_views.TopicDetailView.as_view(), name="guidance-topic-detail"),
]
