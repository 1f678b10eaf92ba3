"""Tenant-private files (apps.tenants.files): no public URL, per-tenant paths, downloads in the tenant."""

from __future__ import annotations

import importlib
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import override_settings

import portal.settings.base as base_settings
import portal.urls
from apps.tenants.context import get_active_tenant, tenant_context
from apps.tenants.files import PrivateFileSystemStorage, TenantUploadTo, private_storage, serve_private_file
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def test_nothing_under_media_is_served_even_in_development(client, tmp_path):
    """An anonymous GET of an uploaded file's old public address found another tenant's file."""
    stored = tmp_path / "imports" / "2026" / "12" / "seed-ph.csv"
    stored.parent.mkdir(parents=True)
    stored.write_text("name,email\nPhil Co,owner@ph.example\n")
    try:
        with override_settings(DEBUG=True, MEDIA_ROOT=tmp_path, ROOT_URLCONF="portal.urls"):
            importlib.reload(portal.urls)  # the URLconf as a development server builds it
            response = client.get("/media/imports/2026/12/seed-ph.csv")
            assert response.status_code == 404
            assert b"owner@ph.example" not in response.content
    finally:
        importlib.reload(portal.urls)


def test_the_private_storage_is_outside_every_served_directory():
    config = base_settings.STORAGES["private"]
    assert config["BACKEND"] == "apps.tenants.files.PrivateFileSystemStorage"
    location = Path(config["OPTIONS"]["location"]).resolve()
    for served in (base_settings.MEDIA_ROOT, base_settings.STATIC_ROOT, *base_settings.STATICFILES_DIRS[:1]):
        served = Path(served).resolve()
        assert not location.is_relative_to(served) and not served.is_relative_to(location)


@pytest.mark.parametrize("storage", [PrivateFileSystemStorage(location="/nonexistent"), private_storage()])
def test_private_storages_have_no_url(storage):
    with pytest.raises(ValueError, match="no URL"):
        storage.url("1/registry/x/y.csv")


def test_the_private_storage_is_the_configured_one():
    assert private_storage() is storages["private"]


def test_upload_paths_are_per_tenant_and_never_carry_the_original_name():
    tenant = TenantFactory()
    row = type("Row", (), {"tenant_id": tenant.pk, "pk": uuid.uuid4()})()
    upload_to = TenantUploadTo("helpdesk")
    first = upload_to(row, "Loom Ltd, customer list.CSV")
    second = upload_to(row, "Loom Ltd, customer list.CSV")
    assert first.startswith(f"{tenant.pk}/helpdesk/{row.pk}/") and first.endswith(".csv")
    assert "Loom" not in first and "customer" not in first
    assert first != second  # random names: nothing to guess
    assert upload_to(row, "notes.<script>").endswith(tuple("0123456789abcdef"))  # an odd extension is dropped
    assert TenantUploadTo("helpdesk") == upload_to != TenantUploadTo("registry")


class _RecordingFile(ContentFile):
    """A stored file that notes which tenant is active whenever it is read."""

    def __init__(self, content: bytes) -> None:
        super().__init__(content, name="stored.csv")
        self.tenants_seen: list = []

    def read(self, *args):
        self.tenants_seen.append(get_active_tenant())
        return super().read(*args)


def test_a_download_is_read_in_the_tenant_after_the_view_returned():
    tenant = TenantFactory()
    stored = _RecordingFile(b"x" * 10_000)
    with tenant_context(tenant):
        response = serve_private_file(stored, filename="Loom Ltd.csv")
    stored.tenants_seen.clear()
    assert get_active_tenant() is None
    # The server reads the body here, once the middleware has left the tenant's context.
    assert b"".join(response.streaming_content) == b"x" * 10_000
    assert stored.tenants_seen and all(seen == tenant for seen in stored.tenants_seen)
    assert response["Content-Disposition"] == 'attachment; filename="Loom Ltd.csv"'
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Length"] == "10000"
    response.close()


def test_a_download_needs_an_active_tenant():
    with pytest.raises(RuntimeError):
        serve_private_file(ContentFile(b"x", name="x.csv"), filename="x.csv")
