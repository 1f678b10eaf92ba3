"""import_msmes --tenant SLUG FILE [--on-duplicate update|skip] [--dry-run] [--report OUT.csv]"""

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.registry.importing.reader import FileRejected, upload_size_error
from apps.registry.importing.service import msme_import
from apps.tenants.models import Tenant

# The report lists this many row errors (the upload page and the API keep IMPORT_MAX_ERRORS).
REPORTED_ERRORS = 100_000


class Command(BaseCommand):
    help = "Import MSMEs into a tenant from a CSV or XLSX file (DESIGN.md's import columns)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV or XLSX file with a header row")
        parser.add_argument("--tenant", required=True, help="the tenant's slug, e.g. ke")
        parser.add_argument(
            "--on-duplicate",
            choices=["update", "skip"],
            default="skip",
            help="what to do with registration numbers already stored (default: skip)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        parser.add_argument("--report", help="write each bad row (line, column, reason) to this CSV file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            tenant = Tenant.objects.get(slug=options["tenant"])
        except Tenant.DoesNotExist:
            raise CommandError(f"No tenant with slug {options['tenant']!r}.") from None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        if too_large := upload_size_error(path.stat().st_size):
            raise CommandError(too_large)
        try:
            with path.open("rb") as stream:
                result = msme_import(
                    tenant=tenant,
                    stream=stream,
                    file_name=path.name,
                    on_duplicate=options["on_duplicate"],
                    dry_run=options["dry_run"],
                    max_errors=REPORTED_ERRORS,
                )
        except FileRejected as exc:
            raise CommandError(str(exc)) from None
        if options["report"]:
            with open(options["report"], "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(["line", "column", "reason", "registration_number"])
                for error in result.errors:
                    writer.writerow([error.line, error.column, error.reason, error.registration_number])
        for error in result.errors[:50]:
            self.stderr.write(f"line {error.line}: {error.column or 'row'}: {error.reason}")
        if len(result.errors) > 50:
            self.stderr.write(f"... and {len(result.errors) - 50} more (use --report to get them)")
        if result.errors_omitted:
            self.stderr.write(f"... and {result.errors_omitted} more errors, not listed in the report")
        prefix = "dry run: " if options["dry_run"] else ""
        self.stdout.write(prefix + result.summary())
