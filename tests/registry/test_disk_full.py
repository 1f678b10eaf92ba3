"""A disk that fills while an import file is stored (page, confirm, API): a 507 that says so, never the 500
page, and nothing half-written: no truncated file, no job row, and a preview that stays as it was."""

from __future__ import annotations

import errno

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from apps.core.roles import Role
from apps.registry.models import ImportJob
from apps.tenants.context import tenant_context
from apps.tenants.files import StorageFull
from tests.disk_full import FULL, FillingFile, disk_fixture, page_text  # noqa: F401 (the fixture `disk`)

pytestmark = pytest.mark.django_db

CSV = b"name,registration_number,sector_isic,employees\nLoom Ltd,R1,1392,4\nBig Co,R3,C,400\n"


@pytest.fixture
def agency(login_as, tenant_a):
    return login_as(Role.AGENCY_STAFF, tenant_a)


def csv_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("msmes.csv", CSV, content_type="text/csv")


def import_jobs(tenant) -> int:
    with tenant_context(tenant), transaction.atomic():
        return ImportJob.objects.count()


# --- The storage itself --------------------------------------------------------------------------------


def test_with_room_the_file_is_written_whole(disk):
    name = disk.storage.save("1/registry/x/a.csv", ContentFile(CSV))
    assert (disk.root / name).read_bytes() == CSV


def test_no_room_leaves_no_truncated_file_and_says_storage_full(disk):
    disk.room = 10
    with pytest.raises(StorageFull) as raised:
        disk.storage.save("1/registry/x/a.csv", ContentFile(CSV))
    assert raised.value.errno == errno.ENOSPC
    assert disk.partial_writes == 1  # ten bytes did reach the disk ...
    assert disk.files() == []  # ... and were removed


def test_another_write_error_is_raised_as_itself_and_leaves_nothing(disk, monkeypatch):
    def broken(self, data):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(FillingFile, "write", broken)
    with pytest.raises(OSError) as raised:
        disk.storage.save("1/registry/x/a.csv", ContentFile(CSV))
    assert not isinstance(raised.value, StorageFull) and raised.value.errno == errno.EIO
    assert disk.files() == []


# --- The pages and the API -----------------------------------------------------------------------------


def test_an_import_upload_on_a_full_disk_is_a_507_page_and_keeps_nothing(disk, client, agency, tenant_a):
    disk.room = 20
    response = client.post(reverse("registry:import"), {"file": csv_upload(), "on_duplicate": "skip"})
    assert response.status_code == 507
    page = page_text(response)
    assert FULL in page and "Nothing was saved." in page and "Error 507" in page
    assert "Something went wrong on our side" not in page  # the portal's page for this, not the 500 page
    assert disk.partial_writes == 1 and disk.files() == []
    assert import_jobs(tenant_a) == 0

    disk.room = None  # room again: the same upload goes through, file and row together
    response = client.post(reverse("registry:import"), {"file": csv_upload(), "on_duplicate": "skip"})
    assert response.status_code == 302
    with tenant_context(tenant_a), transaction.atomic():
        job = ImportJob.objects.get()
    assert disk.files() == [disk.root / job.file.name]
    assert (disk.root / job.file.name).read_bytes() == CSV


def test_confirming_a_preview_on_a_full_disk_is_a_507_and_keeps_the_preview(disk, client, agency, tenant_a):
    client.post(reverse("registry:import"), {"file": csv_upload(), "on_duplicate": "skip"})
    with tenant_context(tenant_a), transaction.atomic():
        ImportJob.objects.update(status=ImportJob.Status.DONE)  # the preview ran
        preview = ImportJob.objects.get()
    disk.room = 5
    response = client.post(reverse("registry:import-confirm", args=[preview.pk]))
    assert response.status_code == 507 and FULL in page_text(response)
    assert import_jobs(tenant_a) == 1  # the preview alone, which can still be confirmed later
    assert disk.files() == [disk.root / preview.file.name]


def test_an_api_import_on_a_full_disk_is_a_507_with_a_message(disk, client, agency, tenant_a):
    disk.room = 0
    response = client.post("/api/v1/msmes/import/", {"file": csv_upload()})
    assert response.status_code == 507
    assert FULL in response.json()["detail"]
    assert disk.files() == [] and import_jobs(tenant_a) == 0
