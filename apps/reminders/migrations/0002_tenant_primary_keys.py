# The primary keys of the tenant-owned tables include the tenant, as a database sharded by tenant needs.

from django.db import migrations

from apps.tenants.operations import TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
    ]

    operations = [
        TenantPrimaryKey(model_name="calendartoken"),
        TenantPrimaryKey(model_name="reminderdelivery"),
        TenantPrimaryKey(model_name="remindersettings"),
    ]
