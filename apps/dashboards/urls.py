from django.urls import path

from apps.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("refresh/", views.refresh, name="refresh"),
    path("<slug:table>.csv", views.table_csv, name="csv"),
    path("profile/", views.profile, name="profile"),
    path("profile.pdf", views.profile_pdf, name="profile-pdf"),
    path("profile/<slug:agency>/", views.agency_profile, name="agency-profile"),
    path("profile/<slug:agency>.pdf", views.agency_profile_pdf, name="agency-profile-pdf"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/<slug:table>.csv", views.open_data_csv, name="open-data-csv"),
    path("open-data/<slug:table>.json", views.open_data_json, name="open-data-json"),
]
