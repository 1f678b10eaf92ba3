# The primary keys of the tenant-owned tables include the tenant, as a database sharded by tenant needs.

from django.db import migrations

from apps.tenants.operations import TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_post_notices_pending"),
    ]

    operations = [
        TenantPrimaryKey(model_name="comment"),
        TenantPrimaryKey(model_name="follow"),
        TenantPrimaryKey(model_name="notice"),
        TenantPrimaryKey(model_name="post"),
        TenantPrimaryKey(model_name="posttext"),
    ]
