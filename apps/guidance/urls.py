from django.urls import path

from apps.guidance import views

app_name = "guidance"
urlpatterns = [
    path("calculators/pct-deadlines/", views.pct_deadlines, name="pct-deadlines"),
]
