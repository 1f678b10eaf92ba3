"""Benchmark of the statistics (apps.dashboards) with many MSMEs on PostgreSQL (issue: the dashboards).

Targets, with 1,000,000 MSMEs across 50 tenants: (a) after 1% of the MSMEs changed, the incremental rollup
(`rollups.refresh` in every tenant: the nightly `dashboards.rollup_all`) takes under a tenth of the full one
(`rollups.rebuild`: `rollup_statistics --full`), and ends with the counts a fresh GROUP BY of the registry
gives; (b) a division's dashboard `/dashboards/` (every country side by side, summed from the counts, then
suppressed) answers in under 200 ms at the median, and in under a tenth of the time of the same figures
computed by GROUP BY from `registry_msme` (what a dashboard without summary tables would run: per breakdown,
the MSMEs by tenant country and category, across all tenants), measured in the same run, A B A B.

It sets up by itself, afresh each run:
  - the database (`portal_bench_dash` by default; its name must contain "bench": it is dropped and
    created), migrated by its owner, with a runtime role (`portal_bench_dash_app`) granted by
    `manage.py grant_app_role`: the rollups and the page run as that role, so row-level security applies;
  - `--tenants` tenants (50), each of another country (Africa and Asia-Pacific first, so the regional
    bureaus have several; then Arab, Latin American and European ones), of unequal sizes (the largest about
    15 times the smallest), and two division analysts (PCT: every country; the Regional Bureau for Africa);
  - `--msmes` MSMEs (1,000,000) loaded by COPY, month by month over three years (so a tenant's rows lie in
    runs through the table, as a registry filled over time), with varied size classes (from employees and
    turnover, by the default thresholds), ISIC sections A to U (a class of the section), regions (the
    country's top-level subdivisions, a few not given), maturity levels (none, 1 to 5), the three flags,
    then VACUUM ANALYZE.

Why `updated_at` lies at least a day back: the incremental run reads the MSMEs with `updated_at` after its
last run minus `rollups.CHANGE_SLACK` (an hour, for transactions that committed late). Rows loaded just
before the full run (their `updated_at` set to the load's time) would all fall within that hour, and the
incremental run would read every MSME again, which production never sees: there, the MSMEs changed since
last night are a small part. So the rows are loaded with `updated_at` between their creation and a day
before the run, and after the full runs each tenant's `RollupState.msmes_changed_since` (and
`last_run_at`) is set 12 hours back, as last night's run would have left it (nothing changed between then
and the full runs, so the counts are the same). The incremental run then reads only what the run changes.

The run, as the runtime role:
  1. the full rollup of every tenant, twice: into empty tables (a first run) and over them (the command's
     `--full` at night, which deletes and writes every row again); VACUUM ANALYZE of the summary tables
     after each (untimed, as autovacuum would before the next night);
  2. 1% of the MSMEs changed, spread over the tenants (employees, so the size class, the maturity level,
     a tenth of them the exporter flag; `updated_at` now), 0.05% deleted and 0.05% added (untimed, as the
     owner; not vacuumed: a day's changes stay under autovacuum's thresholds);
  3. the incremental rollup, timed; then the counts are compared with a fresh GROUP BY of `registry_msme`
     (and the facts with the MSMEs, id by id), as the owner: OK or the differences;
  4. A B rounds (`--rounds`, 4): the division dashboard requested in-process through Django's test Client
     (`force_login` of an analyst of the PCT division; DEBUG off; `--runs` requests a round), then the
     bare GROUP BY: for each breakdown the division's page shows (size, sector, maturity, the three
     flags), `SELECT country, <column>, count(*) FROM registry_msme JOIN tenants_tenant ... GROUP BY 1, 2`
     as the owner (a superuser: no row-level security to pay for). The same for the Regional Bureau for
     Africa's analyst (its countries only). Also printed, for reference: `selectors.division_view` alone
     (without the template), and the same GROUP BYs in one scan (GROUPING SETS).

It prints each figure with its target marked ok or NO, and where the time of a run goes (SQL against
Python, the statements that took longest); `--profile` adds cProfile's top functions.

Run:  .venv/bin/python bench/dashboards.py                              # 1,000,000 MSMEs, 50 tenants
      .venv/bin/python bench/dashboards.py --msmes 100000 --tenants 10  # about a minute
      [--rounds 4] [--runs 10] [--profile] [--keep-db]
      [--owner-url postgres://postgres@127.0.0.1:5432/portal_bench_dash] [--redis-url redis://127.0.0.1:6379/<db>]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import random
import re
import secrets
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg

# Run as a script, Python puts bench/ on the path, not the repository's root that `bench.setup` lives under.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup import (
    PYTHON,
    ROOT,
    app_url,
    database_name,
    drop_database,
    manage,
    recreate_database,
    setup_django,
)

DEFAULT_OWNER_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_dash"
APP_ROLE = "portal_bench_dash_app"
PASSWORD_ENV = "BENCH_DASH_APP_PASSWORD"
# Africa and Asia-Pacific first, interleaved with the others, so that a small run has a bit of everything.
COUNTRIES = [
    *("KE", "IN", "BR", "EG", "NG", "PH", "FR", "GH", "ID", "MX", "ZA", "VN", "MA", "CO", "TZ", "TH", "DE"),
    *("UG", "BD", "JO", "PE", "RW", "PK", "PL", "ET", "MY", "TN", "CL", "SN", "LK", "SA", "RO", "CI", "NP"),
    *("AE", "AR", "CM", "KH", "PT", "EC", "ZM", "MN", "GE", "JM", "BW", "FJ", "UA", "TR", "CA", "CH"),
]
ANALYSTS = {"pct": "bench-analyst-pct@example.org", "rbac": "bench-analyst-rbac@example.org"}
# ISIC sections, weighted roughly as MSME registries hold them (trade, manufacturing, food first).
SECTIONS = {
    "A": 8, "B": 1, "C": 18, "D": 0.5, "E": 1, "F": 6, "G": 25, "H": 4, "I": 10, "J": 4, "K": 1.5,
    "L": 1.5, "M": 5, "N": 3, "O": 0.2, "P": 2, "Q": 2, "R": 2, "S": 5, "T": 0.3, "U": 0.05,
}  # fmt: skip
MATURITY = {None: 55, 1: 15, 2: 12, 3: 9, 4: 6, 5: 3}
SPINOFF, INFORMAL, EXPORTER = 0.02, 0.3, 0.15
NO_REGION = 0.05
YEARS = 3
CHANGED, DELETED, ADDED = 0.01, 0.0005, 0.0005
DIVISION_COLUMNS = {  # the division page's breakdowns (apps.dashboards.tables.DIVISION_BREAKDOWNS), in the base table
    "size_class": "m.size_class",
    "sector_section": "m.sector_section",
    "maturity_level": "coalesce(m.maturity_level, 0)",
    "spinoff": "m.is_university_spinoff",
    "informal": "m.is_informal",
    "exporter": "m.exports",
}
# cProfile's lines worth reading: the app's own functions, Django's bulk writes and templates, the driver.
PROFILE_LINES = r"apps/|bulk_|template/(base|loader)|psycopg/cursor|suppression"
MSME_COLUMNS = (
    "id, tenant_id, name, registration_number, sector_section, sector_isic_id, employees, annual_turnover_eur, "
    "region, founded_year, email, phone, website, preferred_language, preferred_channel, is_university_spinoff, "
    "is_informal, exports, consent_outreach, consent_given_at, consent_source, verification, size_class, "
    "maturity_level, maturity_assessed_at, created_at, updated_at"
)


# --- Setup (as the owner) ------------------------------------------------------------------------


def size_class(employees: int, turnover: Decimal | None) -> str:
    """The default thresholds (EU Recommendation 2003/361, apps.registry.sizing): the larger of the classes
    by staff and by turnover."""
    classes = ("micro", "small", "medium", "large")
    by_staff = 0 if employees < 10 else 1 if employees < 50 else 2 if employees < 250 else 3
    by_turnover = 0 if turnover is None else sum(turnover > limit for limit in (2_000_000, 10_000_000, 50_000_000))
    return classes[max(by_staff, by_turnover)]


def employees_and_turnover(rng: random.Random) -> tuple[int, Decimal | None]:
    roll = rng.random()
    employees = (
        rng.randint(0, 9) if roll < 0.75 else rng.randint(10, 49) if roll < 0.94 else rng.randint(50, 249)
        if roll < 0.99 else rng.randint(250, 900)
    )  # fmt: skip
    turnover = None if rng.random() < 0.3 else Decimal(rng.randint(5, 150) * max(employees, 1) * 1000)
    return employees, turnover


class MsmeMaker:
    """Rows of `registry_msme` as COPY takes them (MSME_COLUMNS), for one tenant at a time."""

    def __init__(self, rng: random.Random, classes: dict[str, list[str]], regions: dict[int, list[str]]) -> None:
        self.rng = rng
        self.classes = classes  # {section: [ISIC class codes]}
        self.sections = [s for s in SECTIONS if s in classes]
        self.section_weights = [SECTIONS[s] for s in self.sections]
        self.regions = regions  # {tenant id: its regions, the most populous first}
        self.region_weights = {t: [1 / (k + 1) for k in range(len(r))] for t, r in regions.items()}

    def rows(self, tenant_id: int, count: int, start: datetime, end: datetime, prefix: str, first: int) -> Iterator:
        rng = self.rng
        span = (end - start).total_seconds()
        sections = rng.choices(self.sections, self.section_weights, k=count)
        regions = rng.choices(self.regions[tenant_id], self.region_weights[tenant_id], k=count)
        maturities = rng.choices(list(MATURITY), list(MATURITY.values()), k=count)
        for i in range(count):
            number = first + i
            employees, turnover = employees_and_turnover(rng)
            created = start + timedelta(seconds=rng.uniform(0, span))
            # Changed at most until `end` (a day before the run, or now for the rows added by the changes).
            updated = created + timedelta(seconds=rng.uniform(0, (end - created).total_seconds()))
            consent = rng.random() < 0.7
            maturity = maturities[i]
            yield (
                uuid.uuid4(), tenant_id, f"Bench {prefix} {number}", f"{prefix}-{number:07d}", sections[i],
                rng.choice(self.classes[sections[i]]), employees, turnover,
                "" if rng.random() < NO_REGION else regions[i], rng.randint(1980, 2025),
                f"contact{number}@{prefix.lower()}.example.org", f"+254 7{rng.randint(10, 99)} {number:06d}", "",
                "en", "email", rng.random() < SPINOFF, rng.random() < INFORMAL, rng.random() < EXPORTER,
                consent, created if consent else None, "import", "verified", size_class(employees, turnover),
                maturity, created.date() if maturity else None, created, updated,
            )  # fmt: skip


def load(msmes: int, tenant_count: int) -> None:
    """Runs in its own process as the owner (--load): the tenants, the analysts and the MSMEs; prints JSON."""
    setup_django()
    import pycountry
    from django.db import connection

    from apps.accounts.models import User
    from apps.tenants.models import Tenant

    rng = random.Random(2026)  # noqa: S311 (benchmark data)
    tenants = []
    for country in COUNTRIES[:tenant_count]:
        tenants.append(Tenant.objects.create(slug=f"bench-{country.lower()}", name=f"Bench {country}", country=country))
    password = secrets.token_urlsafe(16)
    for division, email in ANALYSTS.items():
        User.objects.create_user(email=email, password=password, division=division, division_role="analyst")
    regions = {}
    for tenant in tenants:
        found = [s.code for s in pycountry.subdivisions.get(country_code=tenant.country) or []]
        top = sorted(s.code for s in pycountry.subdivisions.get(country_code=tenant.country) or [] if not s.parent_code)
        regions[tenant.pk] = [code for code in (top or found) if len(code) <= 10] or [""]
        rng.shuffle(regions[tenant.pk])
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, section FROM registry_isiccode WHERE level = 'class'")
        classes: dict[str, list[str]] = defaultdict(list)
        for code, section in cursor.fetchall():
            classes[section].append(code)
    maker = MsmeMaker(rng, classes, regions)
    # Unequal tenants: the k-th has a share of 1/k^0.7 (with 50, the largest about 15 times the smallest).
    weights = [1 / (k + 1) ** 0.7 for k in range(len(tenants))]
    rng.shuffle(weights)
    counts = [int(msmes * w / sum(weights)) for w in weights]
    counts[0] += msmes - sum(counts)
    now = datetime.now(UTC).replace(microsecond=0)
    end = now - timedelta(days=1)
    first = end - timedelta(days=365 * YEARS)
    months = YEARS * 12
    step = (end - first) / months
    started = time.perf_counter()
    made = [0] * len(tenants)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY registry_msme ({MSME_COLUMNS}) FROM STDIN") as copy:
            # Month by month, each tenant's MSMEs of the month: a tenant's rows lie in runs through the table.
            for month in range(months):
                for index, tenant in enumerate(tenants):
                    share = counts[index] // months + (counts[index] % months if month == months - 1 else 0)
                    for row in maker.rows(
                        tenant.pk, share, first + step * month, first + step * (month + 1), "BEN", made[index]
                    ):
                        copy.write_row(row)
                    made[index] += share
        seconds = time.perf_counter() - started
        cursor.execute("VACUUM ANALYZE registry_msme")
        cursor.execute("SELECT count(*) FROM registry_msme")
        total = cursor.fetchone()[0]
    print(
        "BENCH_JSON "
        + json.dumps(
            {
                "tenants": {t.slug: [t.pk, n] for t, n in zip(tenants, counts, strict=True)},
                "regions": {str(t): r for t, r in regions.items()},
                "classes": classes,
                "total": total,
                "seconds": seconds,
                "end": end.isoformat(),
            }
        )
    )


# --- Measuring (as the runtime role) -------------------------------------------------------------


class SqlTimer:
    """Time spent in SQL by Django's connection (an execute wrapper): calls, seconds, the slowest statements."""

    def __init__(self) -> None:
        self.calls = 0
        self.seconds = 0.0
        self.by_statement: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - start
            self.calls += 1
            self.seconds += spent
            # Statements told apart by their start (the IN lists and VALUES of batches vary in length).
            key = re.sub(r"\s+", " ", sql)[:110]
            self.by_statement[key][0] += 1
            self.by_statement[key][1] += spent

    def report(self, total: float, top: int = 4) -> str:
        lines = [f"      SQL {self.seconds:.2f} s in {self.calls:,} statements, the rest (Python) "
                 f"{max(total - self.seconds, 0):.2f} s; longest:"]  # fmt: skip
        ranked = sorted(self.by_statement.items(), key=lambda item: -item[1][1])[:top]
        lines += [f"        {seconds:7.2f} s {int(calls):6d}x  {sql}" for sql, (calls, seconds) in ranked]
        return "\n".join(lines)


@contextlib.contextmanager
def timed(profile: bool) -> Iterator[SimpleNamespace]:
    """Seconds, the SQL's share and (with --profile) cProfile's top functions of the block."""
    from django.db import connection

    found = SimpleNamespace(seconds=0.0, sql=SqlTimer(), profile="")
    profiler = cProfile.Profile() if profile else None
    with connection.execute_wrapper(found.sql):
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        try:
            yield found
        finally:
            if profiler:
                profiler.disable()
            found.seconds = time.perf_counter() - start
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(PROFILE_LINES, 20)
        found.profile = out.getvalue()


def verdict(ok: bool) -> str:
    return "ok" if ok else "NO"


def owner_sql(owner_url: str, *statements: str | tuple[str, Any]) -> None:
    with psycopg.connect(owner_url, autocommit=True) as owner:
        for statement in statements:
            sql, params = statement if isinstance(statement, tuple) else (statement, None)
            owner.execute(sql, params)


def change_msmes(owner_url: str, info: dict, rng: random.Random) -> dict[str, int]:
    """As the owner: 1% of the MSMEs changed (updated_at now), 0.05% deleted, 0.05% added, spread over the
    tenants; returns the counts."""
    total = info["total"]
    changed, deleted, added = round(total * CHANGED), max(round(total * DELETED), 1), max(round(total * ADDED), 1)
    with psycopg.connect(owner_url) as owner, owner.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2026)")
        cursor.execute(
            "SELECT id, annual_turnover_eur, employees FROM registry_msme ORDER BY random() LIMIT %s", [changed]
        )
        picked = cursor.fetchall()
        cursor.execute(
            "CREATE TEMP TABLE bench_change (id uuid PRIMARY KEY, employees int, size_class text, "
            "maturity_level smallint, exports boolean) ON COMMIT DROP"
        )
        with cursor.copy("COPY bench_change FROM STDIN") as copy:
            for msme_id, turnover, employees in picked:
                # Most grow or shrink a little (some cross a size threshold); every one is assessed again.
                employees = max(0, round(employees * rng.uniform(0.5, 2.5)) + rng.randint(-2, 6))
                maturity = rng.choice(list(MATURITY))
                copy.write_row((msme_id, employees, size_class(employees, turnover), maturity, rng.random() < 0.25))
        cursor.execute(
            "UPDATE registry_msme m SET employees = c.employees, size_class = c.size_class, "
            "maturity_level = c.maturity_level, maturity_assessed_at = CASE WHEN c.maturity_level IS NULL "
            "THEN NULL ELSE CURRENT_DATE END, exports = CASE WHEN random() < 0.1 THEN c.exports ELSE m.exports END, "
            "updated_at = now() FROM bench_change c WHERE m.id = c.id"
        )
        cursor.execute("SELECT id FROM registry_msme ORDER BY random() LIMIT %s", [deleted])
        gone = [row[0] for row in cursor.fetchall()]
        # Their facts are marked by the trigger of apps/dashboards/migrations/0002, as any deletion's are.
        cursor.execute("DELETE FROM registry_msme WHERE id = ANY(%s)", [gone])
        # Added today: created and updated now, in tenants drawn by their size.
        ids = [tenant_id for tenant_id, _ in info["tenants"].values()]
        sizes = [msmes for _, msmes in info["tenants"].values()]
        maker = MsmeMaker(rng, info["classes"], {int(t): r for t, r in info["regions"].items()})
        per_tenant = defaultdict(int)
        for tenant_id in rng.choices(ids, sizes, k=added):
            per_tenant[tenant_id] += 1
        now = datetime.now(UTC)
        with cursor.copy(f"COPY registry_msme ({MSME_COLUMNS}) FROM STDIN") as copy:
            for tenant_id, count in per_tenant.items():
                for row in maker.rows(tenant_id, count, now - timedelta(seconds=1), now, f"NEW{tenant_id}", 0):
                    copy.write_row(row)
    return {"changed": changed, "deleted": deleted, "added": added}


ENCODED = {  # each category as apps.dashboards.models.encode writes it into dashboards_msmecount.value
    "region": "region",
    "sector_section": "sector_section",
    "size_class": "size_class",
    "maturity_level": "coalesce(maturity_level, 0)::text",
    "spinoff": "CASE WHEN is_university_spinoff THEN '1' ELSE '0' END",
    "informal": "CASE WHEN is_informal THEN '1' ELSE '0' END",
    "exporter": "CASE WHEN exports THEN '1' ELSE '0' END",
}


def check_tables(owner_url: str) -> tuple[bool, str]:
    """As the owner: the counts against a fresh GROUP BY of registry_msme, the facts against the MSMEs."""
    union = " UNION ALL ".join(
        f"SELECT tenant_id, '{name}', {expression}, count(*) FROM registry_msme GROUP BY 1, 3"  # noqa: S608
        for name, expression in ENCODED.items()
    )
    grouped = f"SELECT * FROM ({union}) AS grouped"  # noqa: S608 (one operand of EXCEPT)
    counts = "SELECT tenant_id, dimension, value, msmes FROM dashboards_msmecount"
    msmes = (
        "SELECT id, tenant_id, region, sector_section, size_class, coalesce(maturity_level, 0), "
        "is_university_spinoff, is_informal, exports FROM registry_msme"
    )
    facts = (
        "SELECT id, tenant_id, region, sector_section, size_class, maturity_level, spinoff, informal, exporter "
        "FROM dashboards_msmefact"
    )
    problems = []
    with psycopg.connect(owner_url) as owner:
        for label, ours, theirs in (
            ("GROUP BY rows not in the counts", grouped, counts),
            ("counts not in the GROUP BY", counts, grouped),
            ("MSMEs without their fact", msmes, facts),
            ("facts without their MSME", facts, msmes),
        ):
            rows = owner.execute(f"SELECT count(*) FROM ({ours} EXCEPT {theirs}) AS d").fetchone()[0]  # noqa: S608
            if rows:
                example = owner.execute(f"{ours} EXCEPT {theirs} LIMIT 3").fetchall()
                problems.append(f"{rows:,} {label}, e.g. {example}")
        count_rows = owner.execute("SELECT count(*) FROM dashboards_msmecount").fetchone()[0]
    if problems:
        return False, "; ".join(problems)
    return True, f"{count_rows:,} counts, equal to the GROUP BY; the facts one per MSME"


def group_by_sql(countries: list[str] | None) -> list[str]:
    """The dashboard without summary tables: per breakdown, the MSMEs by tenant country and category."""
    where = "t.is_active" + (" AND t.country = ANY(%(countries)s)" if countries is not None else "")
    return [
        f"SELECT t.country, {column} AS value, count(*) FROM registry_msme m JOIN tenants_tenant t "  # noqa: S608
        f"ON t.id = m.tenant_id WHERE {where} GROUP BY 1, 2"
        for column in DIVISION_COLUMNS.values()
    ]


def grouping_sets_sql(countries: list[str] | None) -> str:
    where = "t.is_active" + (" AND t.country = ANY(%(countries)s)" if countries is not None else "")
    columns = ", ".join(f"{column} AS {name}" for name, column in DIVISION_COLUMNS.items())
    sets = ", ".join(f"(t.country, {name})" for name in DIVISION_COLUMNS)
    return (
        f"SELECT t.country, {columns}, count(*) FROM registry_msme m JOIN tenants_tenant t "  # noqa: S608
        f"ON t.id = m.tenant_id WHERE {where} GROUP BY GROUPING SETS ({sets})"
    )


def measure(info: dict, args: argparse.Namespace, owner_url: str) -> None:
    """Runs in its own process as the runtime role (--measure)."""
    setup_django()
    import logging
    import warnings

    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client

    from apps.accounts.models import User
    from apps.core.countries import country_name
    from apps.dashboards import rollups, selectors
    from apps.dashboards.regions import countries_of
    from apps.tenants.fanout import for_each_tenant

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL")
    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        role, bypasses = cursor.fetchone()
    if bypasses:
        sys.exit(f"{role} bypasses row-level security: connect as the runtime role")
    sizes = sorted(msmes for _, msmes in info["tenants"].values())
    print(
        f"{info['total']:,} MSMEs in {len(sizes)} tenants ({sizes[0]:,} to {sizes[-1]:,} each), loaded by COPY in "
        f"{info['seconds']:.0f} s; PostgreSQL {connection.pg_version // 10000}, connected as {role} "
        f"(row-level security applies); load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    rng = random.Random(7)  # noqa: S311 (benchmark data)

    def fan_out(count: Callable, label: str) -> tuple[SimpleNamespace, list]:
        with timed(args.profile) as run:
            outcomes = for_each_tenant(count, reason=f"benchmark: {label}")
        failed = {slug: outcome.error for slug, outcome in outcomes.items() if not outcome.ok}
        if failed:
            sys.exit(f"{label} failed: {failed}")
        return run, [outcome.result for outcome in outcomes.values()]

    def summary(run: SimpleNamespace, results: list) -> str:
        read = sum(r.msmes_read for r in results)
        moved = sum(r.msmes_moved for r in results)
        counts = sum(r.counts for r in results)
        slowest = max(r.seconds for r in results)
        return (
            f"{run.seconds:7.2f} s  ({read:,} MSMEs read, {moved:,} moved, {counts:,} counts; "
            f"slowest tenant {slowest:.2f} s)"
        )

    vacuum = "VACUUM ANALYZE dashboards_msmefact, dashboards_msmecount, dashboards_assetcount, dashboards_rollupstate"
    print("\n(a) rollups of every tenant (for_each_tenant, each tenant in its own transaction):", flush=True)
    first, results = fan_out(rollups.rebuild, "full rollup, first run")
    print(f"  full, first run (empty tables)        {summary(first, results)}", flush=True)
    owner_sql(owner_url, vacuum)
    again, results = fan_out(rollups.rebuild, "full rollup, again")
    print(f"  full, again (--full over the tables)  {summary(again, results)}", flush=True)
    print(again.sql.report(again.seconds))
    if again.profile:
        print(again.profile)
    owner_sql(
        owner_url,
        vacuum,
        # Last night's run, as far as the incremental run can tell (see the docstring: why not now).
        "UPDATE dashboards_rollupstate SET msmes_changed_since = now() - interval '12 hours', "
        "last_run_at = now() - interval '12 hours'",
    )
    with psycopg.connect(owner_url) as owner:
        stale = owner.execute(
            "SELECT count(*) FROM registry_msme WHERE updated_at >= now() - interval '12 hours' - %s",
            [rollups.CHANGE_SLACK],
        ).fetchone()[0]
    if stale:
        sys.exit(f"{stale} MSMEs changed within the incremental run's window before the changes: see the docstring")
    started = time.perf_counter()
    changes = change_msmes(owner_url, info, rng)
    print(
        f"  changes: {changes['changed']:,} MSMEs changed, {changes['deleted']:,} deleted, {changes['added']:,} "
        f"added ({time.perf_counter() - started:.1f} s, untimed)",
        flush=True,
    )
    incremental, results = fan_out(rollups.refresh, "incremental rollup")
    print(f"  incremental                           {summary(incremental, results)}", flush=True)
    full = min(first.seconds, again.seconds)
    ratio = incremental.seconds / full
    ok, detail = check_tables(owner_url)
    print(incremental.sql.report(incremental.seconds))
    if incremental.profile:
        print(incremental.profile)
    print(f"  counts after the incremental run against a fresh GROUP BY of registry_msme: "
          f"{'OK' if ok else 'DIFFERENT'}: {detail}")  # fmt: skip

    # (b) The division dashboard against the GROUP BY of the base table.
    print(
        f"\n(b) division dashboard /dashboards/ (test Client, in-process, DEBUG off) vs GROUP BY on registry_msme "
        f"(6 breakdowns, as the owner), {args.rounds} rounds of {args.runs} requests, A B; medians:",
        flush=True,
    )
    owner = psycopg.connect(owner_url, autocommit=True)

    def group_by(statements: list[str], params: dict) -> None:
        for sql in statements:
            assert owner.execute(sql, params).fetchall()

    header = f"  {'analyst':34s} {'page ms':>8s} {'GROUP BY ms':>12s} {'ratio':>7s}  targets"
    print(header)
    figures = {}
    notes = []
    for division, email in ANALYSTS.items():
        countries = countries_of(division)
        present = [c for c in COUNTRIES[: len(info["tenants"])] if countries is None or c in countries]
        if not present:
            continue
        client = Client()
        client.force_login(User.objects.get(email=email))
        params = {"countries": sorted(countries)} if countries is not None else None
        statements = group_by_sql(sorted(countries) if countries is not None else None)
        response = client.get(args.url)
        expected = country_name(present[0])
        if response.status_code != 200 or expected.encode() not in response.content:
            sys.exit(f"{args.url} as the {division} analyst: HTTP {response.status_code}, {expected!r} not shown")
        for _ in range(2):
            client.get(args.url)
            group_by(statements, params)
        pages, bares, ratios = [], [], []
        for _ in range(args.rounds):
            round_pages, round_bares = [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                client.get(args.url)
                round_pages.append(time.perf_counter() - start)
            for _ in range(args.runs):
                start = time.perf_counter()
                group_by(statements, params)
                round_bares.append(time.perf_counter() - start)
            pages += round_pages
            bares += round_bares
            ratios.append(statistics.median(round_pages) / statistics.median(round_bares))
        page_ms, bare_ms = statistics.median(pages) * 1000, statistics.median(bares) * 1000
        page_ratio = statistics.median(ratios)
        label = f"{division} ({len(present)} countries)"
        print(
            f"  {label:34s} {page_ms:8.1f} {bare_ms:12.1f} {page_ratio:6.3f}x  "
            f"under 200 ms: {verdict(page_ms < 200)}, under 0.1x: {verdict(page_ratio < 0.1)}",
            flush=True,
        )
        figures[division] = (page_ms, bare_ms, page_ratio)
        # For reference: the selector alone (no template), with its SQL's share, and the GROUP BYs in one scan.
        actor = SimpleNamespace(division=division)
        selector_times = []
        for _ in range(args.runs):
            with timed(False) as selector, transaction.atomic():
                selectors.division_view(actor)
            selector_times.append(selector)
        middle = sorted(selector_times, key=lambda run: run.seconds)[len(selector_times) // 2]
        sets_times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            assert owner.execute(grouping_sets_sql(sorted(countries) if countries else None), params).fetchall()
            sets_times.append(time.perf_counter() - start)
        notes.append(
            f"  {division}: selectors.division_view alone {middle.seconds * 1000:.1f} ms; GROUP BY in one scan "
            f"(GROUPING SETS) {statistics.median(sets_times) * 1000:.1f} ms\n"
            + middle.sql.report(middle.seconds, top=3)
        )
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            client.get(args.url)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(PROFILE_LINES, 20)
            notes.append(out.getvalue())
    owner.close()
    print("\n".join(notes))

    page_ms, bare_ms, page_ratio = figures["pct"]
    print(f"\nsummary ({info['total']:,} MSMEs, {len(sizes)} tenants):")
    print(f"  full rollup            {full:8.2f} s   (the faster of the two full runs)")
    touched = changes["changed"] + changes["deleted"] + changes["added"]
    print(f"  incremental rollup     {incremental.seconds:8.2f} s   ({touched:,} MSMEs changed, deleted or added)")
    print(f"  incremental / full     {ratio:8.3f}     target < 0.1: {verdict(ratio < 0.1)}")
    print(f"  counts = GROUP BY      {'OK' if ok else 'DIFFERENT'}")
    print(f"  dashboard (pct)        {page_ms:8.1f} ms  target < 200 ms: {verdict(page_ms < 200)}")
    print(f"  GROUP BY (pct)         {bare_ms:8.1f} ms")
    print(f"  dashboard / GROUP BY   {page_ratio:8.3f}     target < 0.1: {verdict(page_ratio < 0.1)}")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (a shared machine adds noise)")
    if not ok:
        sys.exit(1)


# --- The run -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--msmes", type=int, default=1_000_000, help="MSMEs in all (default 1,000,000)")
    parser.add_argument("--tenants", type=int, default=50, help=f"tenants, at most {len(COUNTRIES)} (default 50)")
    parser.add_argument("--rounds", type=int, default=4, help="A B rounds of the dashboard (default 4)")
    parser.add_argument("--runs", type=int, default=10, help="requests (and GROUP BYs) per round (default 10)")
    parser.add_argument("--url", default="/dashboards/", help="the division dashboard")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions of each run")
    parser.add_argument("--owner-url", default=DEFAULT_OWNER_URL, help="the database, as its owner (dropped!)")
    parser.add_argument("--redis-url", default="", help="cache and sessions for the run (flushed!)")
    parser.add_argument("--keep-db", action="store_true", help="leave the database and role behind")
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 1 <= args.tenants <= len(COUNTRIES):
        parser.error(f"--tenants: 1 to {len(COUNTRIES)}")
    if args.load:
        load(args.msmes, args.tenants)
        return
    if args.measure:
        measure(json.loads(Path(args.measure).read_text()), args, os.environ["BENCH_OWNER_URL"])
        return

    begun = time.monotonic()
    app_password = secrets.token_urlsafe(24)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "APP_DATABASE_URL", "REDIS_URL"}}
    env.update(DEBUG="false", PYTHONPATH=str(ROOT))
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    owner_env = {**env, "DATABASE_URL": args.owner_url}
    print(f"setting up {database_name(args.owner_url)} ({args.msmes:,} MSMEs, {args.tenants} tenants) ...", flush=True)
    recreate_database(args.owner_url)
    info_file = Path(f"/tmp/{database_name(args.owner_url)}-{os.getpid()}.json")  # noqa: S108 (the run's own file)
    try:
        manage(owner_env, "migrate", "--no-input", "-v0")
        manage({**owner_env, PASSWORD_ENV: app_password}, "grant_app_role", "--role", APP_ROLE,
               "--password-env", PASSWORD_ENV)  # fmt: skip
        loaded = subprocess.run(  # noqa: S603 (this script)
            [PYTHON, __file__, "--load", "--msmes", str(args.msmes), "--tenants", str(args.tenants)],
            cwd=ROOT, env=owner_env, capture_output=True, text=True,
        )  # fmt: skip
        if loaded.returncode:
            sys.exit(f"loading failed:\n{loaded.stdout}\n{loaded.stderr}")
        info_file.write_text(next(line for line in loaded.stdout.splitlines() if line.startswith("BENCH_JSON "))[11:])
        print(f"set up in {time.monotonic() - begun:.0f} s", flush=True)
        measured = subprocess.run(  # noqa: S603 (this script)
            [PYTHON, __file__, "--measure", str(info_file), "--rounds", str(args.rounds), "--runs", str(args.runs),
             "--url", args.url, *(["--profile"] if args.profile else [])],
            cwd=ROOT, env={**env, "DATABASE_URL": app_url(args.owner_url, app_password, APP_ROLE),
                           "BENCH_OWNER_URL": args.owner_url},
        )  # fmt: skip
        if measured.returncode:
            sys.exit(f"measuring failed (exit {measured.returncode})")
    finally:
        info_file.unlink(missing_ok=True)
        if not args.keep_db:
            drop_database(args.owner_url, APP_ROLE)
        if args.redis_url:
            import redis

            redis.Redis.from_url(args.redis_url).flushdb()
    print(f"\ntotal {time.monotonic() - begun:.0f} s")


if __name__ == "__main__":
    main()
