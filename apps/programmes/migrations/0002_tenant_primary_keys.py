# The primary keys of the tenant-owned tables include the tenant, as a database sharded by tenant needs.

from django.db import migrations

from apps.tenants.operations import TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0001_initial"),
    ]

    operations = [
        TenantPrimaryKey(model_name="greenconnection"),
        TenantPrimaryKey(model_name="greenneed"),
        TenantPrimaryKey(model_name="greentechnology"),
        TenantPrimaryKey(model_name="greentechnologyasset"),
        TenantPrimaryKey(model_name="intermediary"),
        TenantPrimaryKey(model_name="mentor"),
        TenantPrimaryKey(model_name="mentoringrequest"),
        TenantPrimaryKey(model_name="partnershipoffer"),
        TenantPrimaryKey(model_name="partnershiprequest"),
        TenantPrimaryKey(model_name="programmerequest"),
    ]
