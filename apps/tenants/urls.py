from django.urls import path

from apps.tenants import views

app_name = "tenants"
urlpatterns = [path("switch/", views.switch_tenant, name="switch")]
