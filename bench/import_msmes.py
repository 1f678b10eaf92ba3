"""Benchmark of the MSME import on PostgreSQL (issue: the MSME registry).

Generates a realistic CSV (100,000 rows by default; --million for 1,000,000) and, in one run, times
in rounds A B A B (four by default):
  (a) `manage.py import_msmes` into an empty tenant, in a process of its own (its peak RSS is measured),
      connected as a runtime role made by `grant_app_role` (no BYPASSRLS: row-level security applies);
  (b) the floor: COPY of the same rows, as the import stored them (every column), into a normal table
      created `LIKE registry_msme INCLUDING ALL` (the same indexes and constraints), dropped after;
and once (c): the same file through django-import-export's `Resource.import_data`, configured for speed
(bulk inserts, no diff), as a Django team would otherwise do it.
It prints the median of the per-round ratios (a)/(b), their range, (c)/(a) and the peak memory of (a).
Targets: (a) within 2x of (b) at 100,000 and at 1,000,000 rows, at least 10x faster than (c), peak
memory flat, whatever the file's size (190 MB at 100,000 rows and at 1,000,000 in 2026-12; a process that
only loads the portal's apps and the import's modules peaks at 98 MB).

The import's limits on rows and file size are raised for the run when the file exceeds them.
The rows a round imports are deleted after it (not timed), so that each round starts alike.
Run on a scratch database:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/import_msmes.py [--million]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

from apps.registry.importing import columns as import_columns  # noqa: E402 (needs the path above)

COLUMNS = list(import_columns.ALL)
SECTORS = ["1079", "1410", "1512", "3100", "5812", "6201", "5911", "2023", "1050", "0111", "4711", "7410", "C", "J"]
WORDS = ["Savanna", "Lotus", "Nile", "Harambee", "Baobab", "Sunrise", "Jasmine", "Kilima", "Delta", "Acacia"]
KINDS = ["Crafts", "Foods", "Textiles", "Software", "Designs", "Organics", "Studios", "Labs", "Coffee", "Leather"]


def make_csv(path: Path, rows: int, regions: list[str]) -> None:
    rng = random.Random(2026)  # noqa: S311 (benchmark data)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(rows):
            employees = rng.choice([rng.randint(0, 9)] * 6 + [rng.randint(10, 49)] * 3 + [rng.randint(50, 300)])
            writer.writerow(
                [
                    f"{rng.choice(WORDS)} {rng.choice(KINDS)} {i}",
                    f"BEN-{i:07d}",
                    rng.choice(SECTORS),
                    employees,
                    f"{rng.randint(5, 400) * max(employees, 1) * 1000}.00",
                    rng.choice(regions),
                    rng.randint(1980, 2025),
                    f"contact{i}@example.org",
                    f"+254 7{rng.randint(10, 99)} {rng.randint(100000, 999999)}",
                    f"https://www.business{i}.example.com",
                    rng.choice(["en", "sw", "fr"]),
                    rng.choice(["email", "sms", "whatsapp", "post"]),
                    rng.choice(["no"] * 19 + ["yes"]),
                    rng.choice(["false", "true"]),
                    rng.choice(["0", "1"]),
                    rng.choice(["yes", "no"]),
                ]
            )


APP_ROLE = "portal_bench_import"


def run_command(path: Path, slug: str, database_url: str) -> tuple[float, float, str]:
    """(a): the real command in its own process; returns (seconds, peak RSS in MB, its output)."""
    script = (
        "import resource, sys, time, django; django.setup();"
        "from django.core.management import call_command;"
        "t = time.perf_counter();"
        f"call_command('import_msmes', {str(path)!r}, '--tenant', {slug!r});"
        "print('SECONDS', time.perf_counter() - t);"
        "print('PEAK_MB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DATABASE_URL": database_url, **limits(path)},
    )
    figures = dict(line.split(" ", 1) for line in done.stdout.splitlines() if line.startswith(("SECONDS", "PEAK_MB")))
    summary = next(line for line in done.stdout.splitlines() if line.startswith("created"))
    return float(figures["SECONDS"]), float(figures["PEAK_MB"]), summary


def limits(path: Path) -> dict[str, str]:
    """The import's row and size limits, raised for a file beyond them (1,000,000 rows are over both)."""
    rows = sum(1 for _line in path.open("rb"))
    size_mb = path.stat().st_size // (1024 * 1024) + 1
    return {"IMPORT_MAX_ROWS": str(max(rows, 200_000)), "IMPORT_MAX_UPLOAD_MB": str(max(size_mb, 20))}


def runtime_url(owner_url: str) -> str:
    """DATABASE_URL for the runtime role (made or updated by grant_app_role with a fresh password)."""
    from urllib.parse import urlsplit, urlunsplit

    from django.core.management import call_command

    password = f"bench-{random.getrandbits(64):x}"
    call_command("grant_app_role", "--role", APP_ROLE, "--password", password, verbosity=0)
    parts = urlsplit(owner_url)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{APP_ROLE}:{password}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def export_rows(tenant_id: int, path: Path) -> int:
    """Write the rows the import stored for the tenant, every column, as COPY's text: the floor's input."""
    from django.db import connection

    with connection.cursor() as cursor, path.open("wb") as handle:
        with cursor.cursor.copy(
            "COPY (SELECT * FROM registry_msme WHERE tenant_id = %s) TO STDOUT", [tenant_id]
        ) as copy:
            for block in copy:
                handle.write(block)
        cursor.execute("SELECT count(*) FROM registry_msme WHERE tenant_id = %s", [tenant_id])
        return cursor.fetchone()[0]


def copy_floor(path: Path) -> float:
    """(b): COPY those rows into a normal table LIKE registry_msme INCLUDING ALL (same indexes and checks)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_floor_msme")
        cursor.execute("CREATE TABLE bench_floor_msme (LIKE registry_msme INCLUDING ALL)")
        start = time.perf_counter()
        with path.open("rb") as handle, cursor.cursor.copy("COPY bench_floor_msme FROM STDIN") as copy:
            while block := handle.read(1 << 16):
                copy.write(block)
        seconds = time.perf_counter() - start
        cursor.execute("SELECT count(*) FROM bench_floor_msme")
        assert cursor.fetchone()[0] > 0
        cursor.execute("DROP TABLE bench_floor_msme")
    return seconds


def delete_rows(tenant_id: int) -> None:
    """Delete what a round imported (not timed), so that each round starts from the same table."""
    from django.db import connection

    with connection.cursor() as cursor:
        # the MSMEs first: they link to the import's event (created_by_import)
        cursor.execute("DELETE FROM registry_msme WHERE tenant_id = %s", [tenant_id])
        cursor.execute("DELETE FROM tenants_auditevent WHERE tenant_id = %s", [tenant_id])
        cursor.execute("VACUUM ANALYZE registry_msme, tenants_auditevent")


def import_export(path: Path, tenant: object) -> tuple[float, int]:
    """(c): django-import-export's Resource.import_data on the same file."""
    import tablib
    from django.db import transaction
    from import_export import fields, resources, widgets

    from apps.registry.models import IsicCode, Msme
    from apps.registry.sizing import size_class_for
    from apps.tenants.context import tenant_context

    class MsmeResource(resources.ModelResource):
        sector_isic = fields.Field(
            attribute="sector_isic", column_name="sector_isic", widget=widgets.ForeignKeyWidget(IsicCode, "code")
        )

        class Meta:
            model = Msme
            fields = COLUMNS
            import_id_fields = ["registration_number"]
            use_bulk = True
            batch_size = 1000
            skip_diff = True

        def before_save_instance(self, instance: Msme, row: object, **kwargs: object) -> None:
            instance.tenant = tenant
            instance.sector_section = instance.sector_isic.section
            instance.size_class = size_class_for(
                employees=instance.employees, turnover_eur=instance.annual_turnover_eur, tenant=tenant
            )

        def before_import_row(self, row: dict, **kwargs: object) -> None:
            for name in ("is_university_spinoff", "is_informal", "exports", "consent_outreach"):
                row[name] = row[name].lower() in {"true", "yes", "1"}

    dataset = tablib.Dataset().load(path.read_text(encoding="utf-8"), format="csv")
    with tenant_context(tenant):
        start = time.perf_counter()
        result = MsmeResource().import_data(dataset, dry_run=False, raise_errors=False)
        seconds = time.perf_counter() - start
        with transaction.atomic():  # a scoped query runs in a transaction
            count = Msme.objects.count()
    if result.has_errors() or result.has_validation_errors():
        print("   django-import-export reported errors:", result.totals)
    return seconds, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--million", action="store_true", help="1,000,000 rows (about 10 minutes a round)")
    parser.add_argument("--rounds", type=int, default=4, help="A B rounds, import then floor (default: 4)")
    parser.add_argument("--skip-import-export", action="store_true", help="leave out (c), the slowest")
    args = parser.parse_args()
    rows = 1_000_000 if args.million else args.rows

    import django

    django.setup()
    import pycountry
    from django.db import connection

    from apps.tenants.models import Tenant

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    app_url = runtime_url(os.environ["DATABASE_URL"])

    run_id = int(time.time())

    def fresh_tenant(name: str) -> Tenant:
        slug = f"{name}-{run_id}"
        return Tenant.objects.create(slug=slug, name=f"Bench {slug}", country="KE")

    regions = [s.code for s in pycountry.subdivisions.get(country_code="KE")]
    with tempfile.TemporaryDirectory() as folder:
        path, stored = Path(folder) / "msmes.csv", Path(folder) / "stored.copy"
        make_csv(path, rows, regions)
        size_mb = path.stat().st_size / 1e6
        print(f"file: {rows:,} rows, {size_mb:.1f} MB, PostgreSQL {connection.pg_version // 10000}", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM registry_msme")
            print(f"registry_msme holds {cursor.fetchone()[0]:,} rows of other tenants", flush=True)

        ours, floors, peaks = [], [], []
        for round_ in range(1, args.rounds + 1):
            tenant = fresh_tenant(f"bench-a{round_}")
            seconds, peak_mb, summary = run_command(path, tenant.slug, app_url)
            if round_ == 1:
                assert summary.startswith(f"created {rows},"), summary
                export_rows(tenant.pk, stored)
            floor = copy_floor(stored)
            delete_rows(tenant.pk)
            ours.append(seconds)
            floors.append(floor)
            peaks.append(peak_mb)
            print(
                f"round {round_}: (a) import {seconds:6.2f} s, peak RSS {peak_mb:4.0f} MB;"
                f" (b) COPY floor {floor:5.2f} s"
                f"   (a)/(b) {seconds / floor:4.2f}x   ({summary})",
                flush=True,
            )

        if not args.skip_import_export:
            theirs_tenant = fresh_tenant("bench-c")
            theirs, count = import_export(path, theirs_tenant)
            delete_rows(theirs_tenant.pk)
            print(f"(c) django-import-export import_data:  {theirs:8.2f} s   ({count:,} rows stored)")
        ratios = sorted(a / b for a, b in zip(ours, floors, strict=True))
        print()
        print(f"(a) import, median {median(ours):.2f} s; (b) COPY floor, median {median(floors):.2f} s")
        print(
            f"(a)/(b) = {median(ratios):.2f}x the COPY floor, median of {len(ratios)} rounds "
            f"(range {ratios[0]:.2f}-{ratios[-1]:.2f}; target: at most 2x)"
        )
        if not args.skip_import_export:
            print(f"(c)/(a) = {theirs / median(ours):.1f}x faster than django-import-export (target: at least 10x)")
        print(f"peak memory of (a): {max(peaks):.0f} MB (target: flat, whatever the file's size)")
        print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (a shared machine adds noise)")


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


if __name__ == "__main__":
    main()
