from django.urls import path

from apps.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.api_tokens, name="api-tokens"),
    path("tokens/<uuid:token_id>/revoke/", views.api_token_revoke_view, name="api-token-revoke"),
    path("saved-filters/", views.saved_filter_save, name="saved-filter-save"),
    path("saved-filters/<uuid:saved_filter_pk>/delete/", views.saved_filter_delete_view, name="saved-filter-delete"),
]
