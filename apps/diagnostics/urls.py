from django.urls import path

from apps.diagnostics import views

app_name = "diagnostics"
urlpatterns = [
    path("", views.start, name="start"),
    path("step/<int:step>/", views.step, name="step"),
    path("result/", views.result, name="result"),
    path("assessments/<uuid:pk>/", views.assessment_detail, name="assessment"),
    path("msme/<uuid:pk>/", views.record, name="record"),
    path("msme/<uuid:pk>/step/<int:step>/", views.record_step, name="record-step"),
]
