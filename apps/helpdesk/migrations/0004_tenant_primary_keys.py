# The primary keys of the tenant-owned tables include the tenant, as a database sharded by tenant needs.

from django.db import migrations

from apps.tenants.operations import TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0003_ticket_next_due_at"),
    ]

    operations = [
        TenantPrimaryKey(model_name="attachment"),
        TenantPrimaryKey(model_name="counsellingsession"),
        TenantPrimaryKey(model_name="counsellingslot"),
        TenantPrimaryKey(model_name="message"),
        TenantPrimaryKey(model_name="requestertier"),
        TenantPrimaryKey(model_name="ticket"),
        TenantPrimaryKey(model_name="ticketlink"),
    ]
