"""`makemigrations` that also writes row-level security and the tenant keys (apps.tenants.autodetector)."""

from django.core.management.commands import makemigrations

from apps.tenants.autodetector import TenantAutodetector


class Command(makemigrations.Command):
    autodetector = TenantAutodetector
