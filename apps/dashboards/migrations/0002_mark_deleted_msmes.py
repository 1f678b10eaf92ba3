"""On PostgreSQL, a deletion of MSMEs marks their facts, whatever deleted them (the ORM's post_delete receiver,
apps.dashboards.receivers, does the same elsewhere): the nightly rollup finds the deleted MSMEs among the marked
facts instead of comparing every fact with the registry."""

from django.db import migrations

CREATE = """
CREATE FUNCTION dashboards_mark_deleted_msmes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dashboards_msmefact AS fact SET msme_deleted = true
    FROM deleted_msmes WHERE fact.id = deleted_msmes.id AND NOT fact.msme_deleted;
    RETURN NULL;
END
$$;
CREATE TRIGGER dashboards_mark_deleted_msmes AFTER DELETE ON registry_msme
    REFERENCING OLD TABLE AS deleted_msmes FOR EACH STATEMENT EXECUTE FUNCTION dashboards_mark_deleted_msmes();
"""
DROP = """
DROP TRIGGER IF EXISTS dashboards_mark_deleted_msmes ON registry_msme;
DROP FUNCTION IF EXISTS dashboards_mark_deleted_msmes();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_initial"),
        ("registry", "0012_msme_tenant_updated"),
    ]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
