from django.urls import path

from apps.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.api_tokens, name="api-tokens"),
    path("tokens/<uuid:token_id>/revoke/", views.api_token_revoke_view, name="api-token-revoke"),
]
