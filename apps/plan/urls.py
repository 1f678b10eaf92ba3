"""The action plan's pages. They keep the paths and names they had in the guidance app
(/guidance/plan/..., "guidance:plan"): portal/urls.py mounts them in the "guidance" namespace."""

from django.urls import path

from apps.plan import views

urlpatterns = [
    path("plan/", views.plan, name="plan"),
    path("plan/<uuid:pk>/", views.msme_plan, name="msme-plan"),
    path("plan/<uuid:pk>/pdf/", views.msme_plan_pdf, name="msme-plan-pdf"),
]
