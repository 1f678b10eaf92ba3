# The primary keys of the tenant-owned tables include the tenant, as a database sharded by tenant needs.

from django.db import migrations

from apps.tenants.operations import TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy_app", "0003_ticket"),
    ]

    operations = [
        TenantPrimaryKey(model_name="gadget"),
        TenantPrimaryKey(model_name="ticket"),
        TenantPrimaryKey(model_name="widget"),
    ]
