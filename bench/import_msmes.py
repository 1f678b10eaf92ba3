"""Benchmark of the MSME import on PostgreSQL (issue: the MSME registry).

Generates a realistic CSV (100,000 rows by default) and, in one run, times:
  (a) `manage.py import_msmes` into an empty tenant (a separate process: its peak RSS is measured);
  (b) COPY of the same rows into a bare table of the same columns: the physical floor;
  (c) the same file through django-import-export's `Resource.import_data`, configured for speed
      (bulk inserts, no diff), as a Django team would otherwise do it.
Then prints the figures and the ratios (a)/(b) and (c)/(a). Targets: (a) within 5x of (b),
at least 10x faster than (c), peak memory of (a) under 300 MB.

Run on a scratch database (each run leaves its two tenants' rows there):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/import_msmes.py [--rows N]
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


def run_command(path: Path, slug: str) -> tuple[float, float, str]:
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
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    figures = dict(line.split(" ", 1) for line in done.stdout.splitlines() if line.startswith(("SECONDS", "PEAK_MB")))
    summary = next(line for line in done.stdout.splitlines() if line.startswith("created"))
    return float(figures["SECONDS"]), float(figures["PEAK_MB"]), summary


def copy_floor(path: Path) -> float:
    """(b): COPY the file into a bare table with the same columns (no indexes, no constraints)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_msme")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_bare_msme (name text, registration_number text, sector_isic text, "
            "employees integer, annual_turnover_eur numeric(16,2), region text, founded_year smallint, email text, "
            "phone text, website text, preferred_language text, preferred_channel text, "
            "is_university_spinoff boolean, is_informal boolean, exports boolean, consent_outreach boolean)"
        )
        start = time.perf_counter()
        with (
            path.open("rb") as handle,
            cursor.cursor.copy("COPY bench_bare_msme FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            while block := handle.read(1 << 16):
                copy.write(block)
        seconds = time.perf_counter() - start
        cursor.execute("SELECT count(*) FROM bench_bare_msme")
        assert cursor.fetchone()[0] > 0
        cursor.execute("DROP TABLE bench_bare_msme")
    return seconds


def import_export(path: Path, tenant: object) -> tuple[float, int]:
    """(c): django-import-export's Resource.import_data on the same file."""
    import tablib
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
        count = Msme.objects.count()
    if result.has_errors() or result.has_validation_errors():
        print("   django-import-export reported errors:", result.totals)
    return seconds, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-import-export", action="store_true", help="leave out (c), the slowest")
    args = parser.parse_args()

    import django

    django.setup()
    import pycountry
    from django.db import connection

    from apps.tenants.models import Tenant

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    run_id = int(time.time())

    def fresh_tenant(name: str) -> Tenant:
        # A new, empty tenant each run: deleting 100,000 rows would cost more than the run itself.
        slug = f"{name}-{run_id}"
        return Tenant.objects.create(slug=slug, name=f"Bench {slug}", country="KE")

    regions = [s.code for s in pycountry.subdivisions.get(country_code="KE")]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "msmes.csv"
        make_csv(path, args.rows, regions)
        size_mb = path.stat().st_size / 1e6
        print(f"file: {args.rows:,} rows, {size_mb:.1f} MB, PostgreSQL {connection.pg_version // 10000}")

        floor = copy_floor(path)
        print(f"(b) COPY into a bare table:            {floor:8.2f} s")

        ours, peak_mb, summary = run_command(path, fresh_tenant("bench-a").slug)
        print(f"(a) import_msmes into an empty tenant: {ours:8.2f} s   peak RSS {peak_mb:.0f} MB   ({summary})")

        if not args.skip_import_export:
            theirs, count = import_export(path, fresh_tenant("bench-c"))
            print(f"(c) django-import-export import_data:  {theirs:8.2f} s   ({count:,} rows stored)")
        print()
        print(f"(a)/(b) = {ours / floor:.1f}x the COPY floor (target: at most 5x)")
        if not args.skip_import_export:
            print(f"(c)/(a) = {theirs / ours:.1f}x faster than django-import-export (target: at least 10x)")
        print(f"peak memory of (a): {peak_mb:.0f} MB (target: under 300 MB)")


if __name__ == "__main__":
    main()
