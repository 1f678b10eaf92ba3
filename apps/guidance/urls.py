from django.urls import path

from apps.guidance import views

app_name = "guidance"
urlpatterns = [
    path("calculators/pct-deadlines/", views.pct_deadlines, name="pct-deadlines"),
    path("calculators/pct-fees/", views.pct_fees, name="pct-fees"),
    path("calculators/madrid-fees/", views.madrid_fees, name="madrid-fees"),
    path("calculators/hague-fees/", views.hague_fees, name="hague-fees"),
]
