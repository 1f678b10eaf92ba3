"""The audit trail moves to apps.tenants (one AuditEvent for every tenant-owned model): its rows are copied
there, with their model labels ("registry.msme") and an IP asset's MSME as the event's parent; then the
registry's table is dropped. Reversible: the registry's rows are moved back (those of other models stay)."""

from django.db import migrations

from apps.tenants.context import unscoped
from apps.tenants.rls import enable_sql

FORWARD = """
    INSERT INTO tenants_auditevent (id, tenant_id, at, actor_id, action, channel, division, object_type, object_id,
                                    object_repr, parent_type, parent_id, changes, batch_id)
    SELECT id, tenant_id, at, actor_id, action, CASE WHEN action = 'import' THEN 'import' ELSE '' END, '',
           'registry.' || object_type, object_id, substr(object_label, 1, 200),
           CASE WHEN object_type = 'msme' THEN '' ELSE 'registry.msme' END,
           CASE WHEN object_type = 'msme' THEN NULL ELSE msme_id END, changes, NULL
    FROM registry_auditevent
"""

BACKWARD = """
    INSERT INTO registry_auditevent (id, tenant_id, msme_id, object_type, object_id, object_label, action, changes,
                                     actor_id, at)
    SELECT e.id, e.tenant_id, m.id, substr(e.object_type, 10), e.object_id, e.object_repr, e.action, e.changes,
           e.actor_id, e.at
    FROM tenants_auditevent e
    LEFT JOIN registry_msme m
           ON m.tenant_id = e.tenant_id AND m.id = (CASE WHEN e.parent_id IS NULL THEN e.object_id ELSE e.parent_id END)
    WHERE e.object_type IN ('registry.msme', 'registry.ipasset') AND e.object_id IS NOT NULL
"""
# Moved, not copied: migrating forward again copies them once more.
BACKWARD_DELETE = """
    DELETE FROM tenants_auditevent WHERE object_type IN ('registry.msme', 'registry.ipasset') AND object_id IS NOT NULL
"""


def _run(*statements: str):  # noqa: ANN202
    def run(apps, schema_editor):  # noqa: ANN001, ANN202
        # The owner that runs migrations may be held to row-level security (FORCE): this reads every tenant.
        with unscoped("migration: the audit trail moves between apps, in every tenant"):
            for sql in statements:
                schema_editor.execute(sql)
            if schema_editor.connection.vendor == "postgresql":
                # The tenant keys are deferred: checked now, as the migration still alters the tables.
                schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    return run


def _restore_table_kit(apps, schema_editor):  # noqa: ANN001, ANN202
    """Backwards only: the recreated registry table gets its row-level security and tenant key back."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in enable_sql("registry_auditevent"):
        schema_editor.execute(statement)
    schema_editor.execute(
        'ALTER TABLE "registry_auditevent" ADD CONSTRAINT "registry_auditevent_msme_tenant_fk" '
        'FOREIGN KEY ("tenant_id", "msme_id") REFERENCES "registry_msme" ("tenant_id", "id") '
        'ON DELETE SET NULL ("msme_id") DEFERRABLE INITIALLY DEFERRED'
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0007_importjob_limits"),
        ("tenants", "0002_auditevent"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD, BACKWARD_DELETE)),
        migrations.RemoveIndex(model_name="auditevent", name="audit_tenant_msme_at"),
        migrations.RemoveIndex(model_name="auditevent", name="audit_tenant_object"),
        migrations.RunPython(migrations.RunPython.noop, _restore_table_kit),
        migrations.DeleteModel(name="AuditEvent"),
    ]
