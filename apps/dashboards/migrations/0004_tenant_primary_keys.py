# The primary keys of the tenant-owned tables include the tenant, as a database sharded by tenant needs.

from django.db import migrations

from apps.tenants.operations import TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0003_activity_counts"),
    ]

    operations = [
        TenantPrimaryKey(model_name="activitycount"),
        TenantPrimaryKey(model_name="assetcount"),
        TenantPrimaryKey(model_name="msmecount"),
        TenantPrimaryKey(model_name="msmecountsnapshot"),
        TenantPrimaryKey(model_name="msmefact"),
        TenantPrimaryKey(model_name="rollupstate"),
    ]
