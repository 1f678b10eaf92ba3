"""Benchmark of the registry list page with many MSMEs in one tenant (PostgreSQL).

Target (issue: the MSME registry): with 100,000 MSMEs in a tenant the list answers in under
150 ms, and its query count does not grow with the rows (the suite tests the latter).
Prints the median and 95th percentile of the server time over repeated requests, for the
plain list, a filtered list, a search and a deep page.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/registry_list.py [--msmes N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--msmes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.accounts.models import User
    from apps.core.roles import Role
    from apps.registry.demo import seed_msmes
    from apps.tenants.models import Membership, Tenant

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    tenant, _ = Tenant.objects.get_or_create(slug="bench-list", defaults={"name": "Bench list", "country": "KE"})
    started = time.perf_counter()
    made = seed_msmes(tenant=tenant, count=args.msmes)
    if made:
        print(f"seeded {made:,} MSMEs in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_msme")
    user, _ = User.objects.get_or_create(email="bench-agency@example.org")
    Membership.objects.get_or_create(tenant=tenant, user=user, defaults={"role": Role.AGENCY_STAFF})
    client = Client()
    client.force_login(user)

    cases = {
        "list, first page": {},
        "filtered (size, sector, exporter)": {"size_class": "micro", "sector_section": "C", "exports": "true"},
        "search by name": {"q": "Baobab"},
        "sorted by staff, page 200": {"ordering": "-employees", "page": "200"},
    }
    print(f"{args.msmes:,} MSMEs in the tenant; {args.runs} requests per case")
    for label, query in cases.items():
        for _ in range(3):
            assert client.get("/registry/", query).status_code == 200
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get("/registry/", query)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get("/registry/", query)
        p95 = sorted(times)[int(0.95 * (len(times) - 1))]
        print(
            f"  {label:36s} median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms   "
            f"{len(queries)} queries   (target: under 150 ms)"
        )


if __name__ == "__main__":
    main()
