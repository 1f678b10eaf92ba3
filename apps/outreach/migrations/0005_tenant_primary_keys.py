# The primary keys of the tenant-owned tables include the tenant, as a database sharded by tenant needs.

from django.db import migrations

from apps.tenants.operations import TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0004_outbox_message"),
    ]

    operations = [
        TenantPrimaryKey(model_name="campaign"),
        TenantPrimaryKey(model_name="campaignmessage"),
        TenantPrimaryKey(model_name="delivery"),
        TenantPrimaryKey(model_name="outboxmessage"),
        TenantPrimaryKey(model_name="segment"),
    ]
