"""Load ISIC Rev.4 (from the `isic` package, which carries the UN Statistics Division's
structure and English titles) and put row-level security on the registry's tenant-owned tables."""

from django.db import migrations

import apps.tenants.rls


def load_isic(apps, schema_editor):
    # Imported when the migration runs, not when the migration graph is loaded (makemigrations, check):
    # the app's current code must not be needed to read its history.
    from apps.registry.isic import load_isic_codes

    load_isic_codes(apps.get_model("registry", "IsicCode"))


def unload_isic(apps, schema_editor):
    apps.get_model("registry", "IsicCode").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        migrations.RunPython(load_isic, unload_isic),
        apps.tenants.rls.EnableRowLevelSecurity(model_name="msme"),
        apps.tenants.rls.EnableRowLevelSecurity(model_name="msmemember"),
        apps.tenants.rls.EnableRowLevelSecurity(model_name="ipasset"),
        apps.tenants.rls.EnableRowLevelSecurity(model_name="importjob"),
        apps.tenants.rls.EnableRowLevelSecurity(model_name="auditevent"),
    ]
