"""Uploaded import files: private per tenant, downloaded only by the tenant's agency staff, deleted after
the retention period and when an MSME in them is erased."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.core.roles import Role
from apps.registry import services
from apps.registry.models import ImportJob, Msme
from apps.registry.tasks import purge_expired_import_files
from apps.tenants.context import tenant_context
from tests.factories import user_with_role
from tests.registry.factories import ImportJobFactory
from tests.registry.test_import_flow import csv_file, upload

pytestmark = pytest.mark.django_db

SEED = "name,registration_number,sector_isic,employees,email,phone\nPhil Co,P1,C,4,owner@phil.example,+63 2 8123 4567\n"


def agency_client(tenant) -> Client:
    client = Client()
    client.force_login(user_with_role(Role.AGENCY_STAFF, tenant))
    return client


def uploaded_job(client, tenant, capture, content: str = SEED, name: str = "seed-ph.csv") -> ImportJob:
    response = upload(client, capture, csv_file(content, name=name))
    assert response.status_code == 302, response.content
    with tenant_context(tenant):
        return ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def stored_bytes(tenant, job: ImportJob) -> bytes:
    with tenant_context(tenant), job.file.open("rb") as stored:
        return stored.read()


def test_each_tenants_files_are_stored_apart_under_random_names(tenant_a, tenant_b, django_capture_on_commit_callbacks):
    job_a = uploaded_job(agency_client(tenant_a), tenant_a, django_capture_on_commit_callbacks)
    job_b = uploaded_job(agency_client(tenant_b), tenant_b, django_capture_on_commit_callbacks)
    assert job_a.file_name == job_b.file_name == "seed-ph.csv"  # kept for display
    assert job_a.file.name.startswith(f"{tenant_a.pk}/registry/{job_a.pk}/")
    assert job_b.file.name.startswith(f"{tenant_b.pk}/registry/{job_b.pk}/")
    for job in (job_a, job_b):
        assert "seed" not in job.file.name and job.file.name.endswith(".csv")
    assert stored_bytes(tenant_a, job_a) == SEED.encode()


def test_the_tenants_agency_staff_download_the_file_from_the_job_page(
    client, login_as, tenant_a, django_capture_on_commit_callbacks
):
    login_as(Role.AGENCY_STAFF, tenant_a)
    job = uploaded_job(client, tenant_a, django_capture_on_commit_callbacks)
    url = reverse("registry:import-file", args=[job.pk])
    assert url == f"/registry/import/{job.pk}/file/"
    page = client.get(reverse("registry:import-job", args=[job.pk])).content.decode()
    assert f'href="{url}"' in page and "/media/" not in page

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SEED.encode()
    assert response["Content-Disposition"] == 'attachment; filename="seed-ph.csv"'
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("role", "same_tenant", "status"),
    [
        (None, True, 302),  # anonymous: sent to sign in
        (Role.MSME_MEMBER, True, 403),
        (Role.HELPDESK_AGENT, True, 403),
        (Role.DIVISION_ANALYST, True, 403),
        (Role.AGENCY_STAFF, False, 404),
    ],
)
def test_nobody_else_gets_the_file(client, login_as, tenant_a, tenant_b, role, same_tenant, status):
    with tenant_context(tenant_a):
        job = ImportJobFactory(file=ContentFile(SEED.encode(), name="seed-ph.csv"))
    if role is not None:
        login_as(role, tenant_a if same_tenant else tenant_b)
    response = client.get(reverse("registry:import-file", args=[job.pk]))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"owner@phil.example" not in body


def _age(tenant, job: ImportJob, days: int) -> None:
    with tenant_context(tenant):
        ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_retention_deletes_old_files_only_and_keeps_the_jobs(
    client, login_as, tenant_a, tenant_b, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_FILE_RETENTION_DAYS = 30
    with tenant_context(tenant_a):
        old = ImportJobFactory(created=7, failed=1, errors=[{"line": 2, "column": "employees", "reason": "x"}])
        recent = ImportJobFactory()
    with tenant_context(tenant_b):
        old_b = ImportJobFactory()
    _age(tenant_a, old, 31)
    _age(tenant_a, recent, 29)
    _age(tenant_b, old_b, 45)
    storage = old.file.storage
    old_name, recent_name, old_b_name = old.file.name, recent.file.name, old_b.file.name

    assert purge_expired_import_files.delay().get() == 2

    assert not storage.exists(old_name) and not storage.exists(old_b_name)
    assert storage.exists(recent_name)
    with tenant_context(tenant_a):
        old.refresh_from_db()
        recent.refresh_from_db()
    assert not old.file and old.file_deleted_at is not None
    assert (old.created, old.failed, len(old.errors)) == (7, 1, 1)
    assert recent.file and recent.file_deleted_at is None

    login_as(Role.AGENCY_STAFF, tenant_a)
    page = client.get(reverse("registry:import-job", args=[old.pk])).content.decode()
    assert "The uploaded file was deleted on" in page
    assert reverse("registry:import-file", args=[old.pk]) not in page
    assert client.get(reverse("registry:import-file", args=[old.pk])).status_code == 404
    # A preview whose file is gone cannot be confirmed: the page says why instead of failing.
    response = client.post(reverse("registry:import-confirm", args=[old.pk]), follow=True)
    assert "The uploaded file has been deleted" in response.content.decode()
    with tenant_context(tenant_a):
        assert ImportJob.objects.count() == 2


def test_the_retention_period_is_configurable(tenant_a, settings):
    settings.IMPORT_FILE_RETENTION_DAYS = 5
    with tenant_context(tenant_a):
        job = ImportJobFactory()
    _age(tenant_a, job, 6)
    assert purge_expired_import_files() == 1


def test_retention_holds_in_a_deactivated_agency_too(tenant_a, tenant_b):
    # Its uploads hold personal data just the same; deactivating the agency must not keep them.
    with tenant_context(tenant_b):
        job = ImportJobFactory()
    _age(tenant_b, job, 400)
    tenant_b.is_active = False
    tenant_b.save(update_fields=["is_active"])
    assert purge_expired_import_files() == 1


def test_a_row_with_a_file_stored_before_files_were_private_does_not_break_pages(client, login_as, tenant_a):
    with tenant_context(tenant_a):
        job = ImportJobFactory(file=None)
        ImportJob.objects.filter(pk=job.pk).update(file="imports/2026/12/seed-ph.csv")
    login_as(Role.AGENCY_STAFF, tenant_a)
    assert client.get(reverse("registry:import-job", args=[job.pk])).status_code == 200
    assert client.get(reverse("registry:import")).status_code == 200
    assert client.get(reverse("registry:import-file", args=[job.pk])).status_code == 404
    response = client.post(reverse("registry:import-confirm", args=[job.pk]), follow=True)
    assert response.status_code == 200 and "The uploaded file has been deleted" in response.content.decode()


LOOM = "Loom Weavers Ltd", "LW-77", "loom@weavers.example", "+254 700 111 222"


def test_erasing_an_msme_purges_it_from_stored_files_and_job_errors(
    client, login_as, tenant_a, django_capture_on_commit_callbacks
):
    name, number, email, phone = LOOM
    header = "name,registration_number,sector_isic,employees,email,phone\n"
    other = "Other Co,OC-1,C,3,info@other.example,+254 700 999 000\n"
    agency = login_as(Role.AGENCY_STAFF, tenant_a)
    # The file that created it; a later file whose row for it failed; a row of another business that
    # names its e-mail where a phone number belongs; and a file that never mentioned it.
    preview = uploaded_job(
        client, tenant_a, django_capture_on_commit_callbacks, f"{header}{name},{number},C,4,{email},{phone}\n{other}"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:import-confirm", args=[preview.pk]))
    failed = uploaded_job(
        client, tenant_a, django_capture_on_commit_callbacks, f"{header}{name},{number},C,-1,{email},{phone}\n"
    )
    echoed = uploaded_job(client, tenant_a, django_capture_on_commit_callbacks, f"{header}Third Co,TC-1,C,2,,{email}\n")
    unrelated = uploaded_job(client, tenant_a, django_capture_on_commit_callbacks, f"{header}{other}")
    with tenant_context(tenant_a):
        assert any(email in json.dumps(job.errors) for job in ImportJob.objects.all())  # before: it is there
        msme = Msme.objects.get(registration_number=number)

        services.msme_erase(msme=msme, actor=agency)

        jobs = list(ImportJob.objects.all())
        assert len(jobs) == 5
        for job in jobs:
            stored = stored_bytes(tenant_a, job).decode() if job.file else ""
            texts = stored + json.dumps(job.errors) + job.message
            for value in (name, number, email, phone, "700 111 222"):
                assert value not in texts, (job.file_name, value)
        kept = {job.pk for job in jobs if job.file}
        assert kept == {unrelated.pk}
        failed.refresh_from_db()
        echoed.refresh_from_db()
    assert failed.errors and failed.errors[0]["registration_number"] == "[erased]"
    assert echoed.errors and echoed.errors[0]["registration_number"] == "TC-1"  # another business's row stays
    assert failed.file_deleted_at is not None
    page = client.get(reverse("registry:import-job", args=[failed.pk])).content.decode()
    assert "The uploaded file was deleted on" in page and email not in page
