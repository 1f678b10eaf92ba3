# The primary keys of the tenant-owned tables include the tenant, as a database sharded by tenant needs.

from django.db import migrations

from apps.tenants.operations import TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
    ]

    operations = [
        TenantPrimaryKey(model_name="answer"),
        TenantPrimaryKey(model_name="choice"),
        TenantPrimaryKey(model_name="question"),
        TenantPrimaryKey(model_name="response"),
        TenantPrimaryKey(model_name="survey"),
        TenantPrimaryKey(model_name="surveyversion"),
    ]
