"""Idempotent demo data: tenants, one account per role, and what later apps add."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.tenants.demo import seed_tenants_and_accounts

DEFAULT_PASSWORD = "demo-pass-2026"


class Command(BaseCommand):
    help = "Create or refresh the demo tenants, accounts and data. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password for every demo account")
        parser.add_argument("--msmes", type=int, default=None, help="MSMEs per tenant (registry issue)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["msmes"] is not None and options["msmes"] < 0:
            self.stderr.write("--msmes must be zero or more")
            raise SystemExit(2)
        accounts = seed_tenants_and_accounts(password=options["password"])
        width = max(len(email) for email, _ in accounts)
        self.stdout.write("Demo accounts:")
        for email, role in accounts:
            self.stdout.write(f"  {email:<{width}}  {role}")
        self.stdout.write(f"Password for every demo account: {options['password']}")
