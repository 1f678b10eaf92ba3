from django.urls import path

from apps.guidance import topic_views, views

app_name = "guidance"
urlpatterns = [
    path("calculators/", views.calculators, name="calculators"),
    path("calculators/pct-deadlines/", views.pct_deadlines, name="pct-deadlines"),
    path("calculators/pct-fees/", views.pct_fees, name="pct-fees"),
    path("calculators/madrid-fees/", views.madrid_fees, name="madrid-fees"),
    path("calculators/hague-fees/", views.hague_fees, name="hague-fees"),
    path("calculators/route-comparison/", views.route_comparison, name="route-comparison"),
    # The topic pages (apps.guidance.topic_views); <topic:...> (registered by topic_views) matches
    # DESIGN.md's topic slugs only.
    path("", topic_views.index, name="index"),
    path("search/", topic_views.search_page, name="search"),
    path("<topic:slug>/", topic_views.topic, name="topic"),
    path("<topic:slug>/overlay/", topic_views.overlay_edit, name="overlay-edit"),
]
