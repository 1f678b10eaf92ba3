# The primary keys of the tenant-owned tables include the tenant, as a database sharded by tenant needs.

from django.db import migrations

from apps.tenants.operations import TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0014_importjob_undo"),
    ]

    operations = [
        TenantPrimaryKey(model_name="importjob"),
        TenantPrimaryKey(model_name="ipasset"),
        TenantPrimaryKey(model_name="msme"),
        TenantPrimaryKey(model_name="msmemember"),
    ]
