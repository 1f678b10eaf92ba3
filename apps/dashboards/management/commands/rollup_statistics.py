"""rollup_statistics [--full] [--tenant SLUG]: count the MSMEs into the statistics' summary tables."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.dashboards import rollups
from apps.tenants.fanout import for_each_tenant
from apps.tenants.models import Tenant


class Command(BaseCommand):
    help = "Bring the statistics' summary tables up to date: by what changed, or rebuilt from scratch with --full."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="count every MSME again (the tables are rebuilt)")
        parser.add_argument("--tenant", help="only this tenant (its slug); default: every active tenant")

    def handle(self, *args: Any, **options: Any) -> None:
        count = rollups.rebuild if options["full"] else rollups.refresh
        if options["tenant"] and not Tenant.objects.filter(slug=options["tenant"]).exists():
            raise CommandError(f"No tenant with slug {options['tenant']!r}.")

        def run(tenant: Tenant) -> rollups.RollupResult | None:
            if options["tenant"] and tenant.slug != options["tenant"]:
                return None
            return count(tenant)

        outcomes = for_each_tenant(run, reason="statistics: the rollup command", active_only=not options["tenant"])
        failed = 0
        for slug, outcome in outcomes.items():
            if not outcome.ok:
                failed += 1
                self.stderr.write(f"{slug}: failed: {outcome.error}")
            elif outcome.result is not None:
                result = outcome.result
                kind = "full" if result.full else "incremental"
                self.stdout.write(
                    f"{slug}: {kind}, {result.msmes_read} MSMEs read, {result.msmes_moved} moved, "
                    f"{result.counts} counts, {result.seconds:.2f} s"
                )
        if failed:
            raise CommandError(f"{failed} tenant(s) failed.")
