from django.urls import path

from apps.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.index, name="index"),
    path("settings/", views.settings_update, name="settings"),
    path("calendar/", views.calendar_create, name="calendar"),
    path("calendar/revoke/", views.calendar_revoke, name="calendar-revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]
