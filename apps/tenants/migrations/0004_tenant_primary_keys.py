# The primary keys of the tenant-owned tables include the tenant, as a database sharded by tenant needs.

from django.db import migrations

from apps.tenants.operations import TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0003_rls_policies_read_settings_once"),
    ]

    operations = [
        TenantPrimaryKey(model_name="auditevent"),
    ]
