"""Idempotent demo data: tenants, one account per role, and what later apps add."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.diagnostics.demo import seed_assessments
from apps.registry.demo import seed_msmes
from apps.tenants.demo import DEMO_TENANTS, seed_tenants_and_accounts
from apps.tenants.models import Tenant

DEFAULT_PASSWORD = "demo-pass-2026"
DEFAULT_MSMES = 300


class Command(BaseCommand):
    help = "Create or refresh the demo tenants, accounts and data. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password for every demo account")
        parser.add_argument(
            "--msmes", type=int, default=DEFAULT_MSMES, help=f"MSMEs per demo tenant (default {DEFAULT_MSMES})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["msmes"] < 0:
            self.stderr.write("--msmes must be zero or more")
            raise SystemExit(2)
        accounts = seed_tenants_and_accounts(password=options["password"])
        for demo in DEMO_TENANTS:
            tenant = Tenant.objects.get(slug=demo.slug)
            made = seed_msmes(tenant=tenant, count=options["msmes"], member_email=f"msme@{demo.slug}.demo")
            assessments = seed_assessments(tenant=tenant)
            self.stdout.write(f"{tenant.name}: {made} new demo MSMEs, {assessments} new demo assessments")
        width = max(len(email) for email, _ in accounts)
        self.stdout.write("Demo accounts:")
        for email, role in accounts:
            self.stdout.write(f"  {email:<{width}}  {role}")
        self.stdout.write(f"Password for every demo account: {options['password']}")
