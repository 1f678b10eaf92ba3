# The primary keys of the tenant-owned tables include the tenant, as a database sharded by tenant needs.

from django.db import migrations

from apps.tenants.operations import TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_event_messages_pending"),
    ]

    operations = [
        TenantPrimaryKey(model_name="event"),
        TenantPrimaryKey(model_name="feedback"),
        TenantPrimaryKey(model_name="registration"),
    ]
