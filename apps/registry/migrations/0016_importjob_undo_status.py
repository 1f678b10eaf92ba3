from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0015_tenant_primary_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="undo_status",
            field=models.CharField(
                blank=True,
                choices=[("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")],
                max_length=8,
                verbose_name="undo status",
            ),
        ),
        migrations.AddField(
            model_name="importjob",
            name="undo_message",
            field=models.TextField(blank=True, verbose_name="undo message"),
        ),
        migrations.AddField(
            model_name="importjob",
            name="undo_requested_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="undo requested at"),
        ),
        migrations.AddField(
            model_name="importjob",
            name="undo_started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="undo started at"),
        ),
    ]
