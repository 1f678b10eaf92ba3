# The primary keys of the tenant-owned tables include the tenant, as a database sharded by tenant needs.

from django.db import migrations

from apps.tenants.operations import TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("guidance", "0002_search_document_summary_keywords"),
    ]

    operations = [
        TenantPrimaryKey(model_name="topicoverlay"),
    ]
