"""`migrate` with the same autodetector as `makemigrations` (Django's check commands.E001 wants both)."""

from django.core.management.commands import migrate

from apps.tenants.autodetector import TenantAutodetector


class Command(migrate.Command):
    autodetector = TenantAutodetector
