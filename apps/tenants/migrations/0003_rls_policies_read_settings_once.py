"""Every tenant-isolation policy already in the database gets the current predicate, which reads each setting
once per statement (apps.tenants.rls). A database migrated from scratch has it already: EnableRowLevelSecurity
writes the current predicate. Undone, the policies get back the predicate that read the settings for every row."""

from django.db import migrations

from apps.tenants.rls import POLICY_NAME, policy_predicate

# The predicates before this migration, kept here as they were.
_PER_ROW = (
    "(current_setting('app.unscoped', true) = 'on' "
    "OR tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::bigint)"
)
_PER_ROW_DIVISION = (
    "(current_setting('app.unscoped', true) = 'on' "
    "OR tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::bigint "
    "OR division = NULLIF(current_setting('app.division', true), ''))"
)


def _replace_policies(schema_editor, predicate_for) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, qual FROM pg_policies WHERE schemaname = current_schema() AND policyname = %s",
            [POLICY_NAME],
        )
        policies = cursor.fetchall()
    for table, qual in policies:
        predicate = predicate_for(routed_to_division="app.division" in qual)
        schema_editor.execute(f'ALTER POLICY {POLICY_NAME} ON "{table}" USING {predicate} WITH CHECK {predicate}')


def read_once(apps, schema_editor) -> None:
    _replace_policies(schema_editor, policy_predicate)


def read_per_row(apps, schema_editor) -> None:
    _replace_policies(
        schema_editor, lambda *, routed_to_division: _PER_ROW_DIVISION if routed_to_division else _PER_ROW
    )


class Migration(migrations.Migration):
    dependencies = [("tenants", "0002_auditevent")]

    operations = [migrations.RunPython(read_once, read_per_row, elidable=False)]
