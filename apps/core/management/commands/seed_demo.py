"""Idempotent demo data: each app's registered step (apps.core.demo), in order."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.core.demo import DemoRun, demo_steps

DEFAULT_PASSWORD = "demo-pass-2026"
DEFAULT_MSMES = 300
DEFAULT_TICKETS = 250  # enough per topic that the statistics by topic show counts, not only "<5"


class Command(BaseCommand):
    help = "Create or refresh the demo tenants, accounts and data. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password for every demo account")
        parser.add_argument(
            "--msmes", type=int, default=DEFAULT_MSMES, help=f"MSMEs per demo tenant (default {DEFAULT_MSMES})"
        )
        parser.add_argument(
            "--tickets",
            type=int,
            default=DEFAULT_TICKETS,
            help=f"helpdesk tickets per demo tenant (default {DEFAULT_TICKETS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for option in ("msmes", "tickets"):
            if options[option] < 0:
                self.stderr.write(f"--{option} must be zero or more")
                raise SystemExit(2)
        run = DemoRun(
            password=options["password"], msmes=options["msmes"], tickets=options["tickets"], say=self.stdout.write
        )
        for step in demo_steps():
            step.seed(run)
        if run.accounts:
            width = max(len(email) for email, _ in run.accounts)
            self.stdout.write("Demo accounts:")
            for email, role in run.accounts:
                self.stdout.write(f"  {email:<{width}}  {role}")
        self.stdout.write(f"Password for every demo account: {options['password']}")
