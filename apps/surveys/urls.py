from django.urls import path

from apps.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="index"),
    path("new/", views.survey_create, name="create"),
    path("answer/<str:token>/", views.answer, name="answer"),
    path("<uuid:survey_pk>/", views.survey_detail, name="detail"),
    path("<uuid:survey_pk>/edit/", views.survey_edit, name="edit"),
    path("<uuid:survey_pk>/open/", views.survey_open, name="open"),
    path("<uuid:survey_pk>/close/", views.survey_close, name="close"),
    path("<uuid:survey_pk>/preview/", views.survey_preview, name="preview"),
    path("<uuid:survey_pk>/results/", views.survey_results, name="results"),
    path("<uuid:survey_pk>/results.csv", views.survey_export, name="export"),
    path("<uuid:survey_pk>/questions/<uuid:question_pk>/texts/", views.question_texts, name="texts"),
]
