"""Foreign keys between tenant-owned tables include the tenant (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from apps.registry.models import IpAsset, Msme
from apps.tenants.context import tenant_context, unscoped
from apps.tenants.models import AuditEvent, TenantOwnedModel
from tests.factories import AuditEventFactory, IpAssetFactory, MsmeFactory

pytestmark = pytest.mark.django_db


def tenant_owned_foreign_keys() -> list[models.ForeignKey]:
    return [
        field
        for model in apps.get_models()
        if issubclass(model, TenantOwnedModel)
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and issubclass(field.related_model, TenantOwnedModel)
    ]


def test_ratchet_keys_between_tenant_owned_models_leave_the_constraint_to_the_tenant_key():
    keys = tenant_owned_foreign_keys()
    assert keys, "the registry has keys between tenant-owned models"
    assert [f"{f.model._meta.label}.{f.name}" for f in keys if f.db_constraint] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tenant keys are PostgreSQL's")
def test_ratchet_every_such_key_is_a_tenant_foreign_key_in_the_database():
    with connection.cursor() as cursor:
        for field in tenant_owned_foreign_keys():
            cursor.execute(
                "SELECT array_agg(a.attname ORDER BY k.n) FROM pg_constraint c "
                "CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n) "
                "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
                "WHERE c.contype = 'f' AND c.conrelid = %s::regclass GROUP BY c.oid",
                [field.model._meta.db_table],
            )
            keys = [list(row[0]) for row in cursor.fetchall()]
            assert ["tenant_id", field.column] in keys, f"{field.model._meta.label}.{field.name}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tenant keys are PostgreSQL's")
def test_the_database_refuses_a_row_pointing_at_another_tenants_row(tenant_a, tenant_b):
    with tenant_context(tenant_b):
        theirs = MsmeFactory()
    # The ORM would not build this; raw SQL (or a bug) could: the database says no.
    with tenant_context(tenant_a), pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO registry_ipasset (id, tenant_id, msme_id, asset_type, jurisdiction, title, "
            "application_number, registration_number, status, classes, owner, custodian, storage_location, "
            "notes, created_at, updated_at) VALUES (gen_random_uuid(), %s, %s, 'trademark', 'KE', 'x', '', '', "
            "'pending', '', '', '', '', '', now(), now())",
            [tenant_a.pk, theirs.pk],
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_deleting_an_msme_removes_its_assets_and_keeps_its_history(tenant_a):
    with tenant_context(tenant_a):
        asset = IpAssetFactory()
        msme = asset.msme
        msme_id = msme.pk
        event = AuditEventFactory(msme=msme)
        msme.delete()
        assert not IpAsset.objects.filter(pk=asset.pk).exists()
        event.refresh_from_db()
        assert event.object_id == msme_id  # the history names what it was about, and outlives it
    with unscoped("test"):
        assert not Msme.objects.filter(pk=msme_id).exists()
        assert AuditEvent.objects.filter(pk=event.pk).exists()
