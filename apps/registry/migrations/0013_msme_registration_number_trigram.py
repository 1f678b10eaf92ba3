from django.db import migrations

# A part of a registration number (`registration_number ILIKE '%…%'`, written by Django as
# UPPER(registration_number) LIKE UPPER(…)) through a trigram index that starts with the tenant, as the name's
# (migration 0003, which enabled pg_trgm and btree_gin). PostgreSQL only: elsewhere, nothing.
TRIGRAM_SQL = (
    "CREATE INDEX IF NOT EXISTS msme_tenant_regno_trgm ON registry_msme "
    "USING gin (tenant_id, upper(registration_number) gin_trgm_ops)"
)


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGRAM_SQL)


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS msme_tenant_regno_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0012_msme_tenant_updated"),
    ]

    operations = [
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
