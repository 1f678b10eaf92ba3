from django.urls import path

from apps.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.msme_list, name="index"),
    path("export.csv", views.msme_export_csv, name="export-csv"),
    path("new/", views.msme_create, name="create"),
    path("verify/", views.msme_verify_many, name="verify-many"),
    path("mine/", views.my_msme, name="my-msme"),
    path("register/", views.self_register, name="register"),
    path("import/", views.import_upload, name="import"),
    path("import/sample.csv", views.import_sample, {"kind": "csv"}, name="import-sample-csv"),
    path("import/sample.xlsx", views.import_sample, {"kind": "xlsx"}, name="import-sample-xlsx"),
    path("import/<uuid:pk>/", views.import_job, name="import-job"),
    path("import/<uuid:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("import/<uuid:pk>/file/", views.import_file, name="import-file"),
    path("import/<uuid:pk>/rejected.csv", views.import_rejected, name="import-rejected"),
    path("import/<uuid:pk>/undo/", views.import_undo, name="import-undo"),
    path("<uuid:pk>/", views.msme_detail, name="detail"),
    path("<uuid:pk>/edit/", views.msme_edit, name="edit"),
    path("<uuid:pk>/verify/", views.msme_verify, name="verify"),
    path("<uuid:pk>/maturity/", views.msme_set_maturity, name="maturity"),
    path("<uuid:pk>/export.json", views.msme_export_json, name="export-json"),
    path("<uuid:pk>/erase/", views.msme_erase, name="erase"),
    path("<uuid:pk>/delete/", views.msme_delete, name="delete"),
    path("<uuid:pk>/assets/new/", views.asset_form, name="asset-create"),
    path("<uuid:pk>/assets/<uuid:asset_pk>/edit/", views.asset_form, name="asset-edit"),
    path("<uuid:pk>/assets/<uuid:asset_pk>/delete/", views.asset_delete, name="asset-delete"),
]
