from django.urls import path

from apps.plan.api import views

urlpatterns = [
    path("msmes/<uuid:pk>/plan/", views.MsmePlanView.as_view(), name="msme-plan"),
]
