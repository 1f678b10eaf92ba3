"""Benchmark of the daily reminder job with 100,000 IP assets (issue 11, "IP deadline reminders").

What it measures, in one tenant of `--assets` assets (default 100,000; one MSME per 5 assets, one member each,
renewal dates spread over the next three years so that about a twelfth of the deadlines are inside a reminder
window on the day):
  (a) planning (`apps.reminders.jobs.plan_tenant`): its time and its peak Python memory (tracemalloc), which
      must stay flat as the register grows (it reads the register in chunks of PLAN_CHUNK assets);
  (b) a second planning the same day: it must make no new row;
  (c) sending (`send_due`, e-mail to Django's locmem backend): its time and the messages per second.

It needs a PostgreSQL database it may write to (migrated if needed); it makes the tenant "bench-reminders" and
deletes that tenant's rows at the start, and touches nothing else:

  DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_scratch .venv/bin/python bench/reminders.py --scratch
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--scratch", action="store_true", help="DATABASE_URL is a database the run may write to")
    args = parser.parse_args()
    if not args.scratch or not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Give DATABASE_URL (PostgreSQL) and --scratch: the run writes a tenant of its own there.")

    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_RLS_REQUIRE_TRANSACTION = False
    mail.outbox = []
    call_command("migrate", verbosity=0)

    from apps.accounts.models import User
    from apps.core.dates import add_years
    from apps.registry.models import IpAsset, IsicCode, Msme, MsmeMember
    from apps.reminders.jobs import plan_tenant, send_due
    from apps.reminders.models import ReminderDelivery
    from apps.tenants.context import tenant_context
    from apps.tenants.models import Tenant
    from apps.tenants.rls import autocommit_scope

    if not IsicCode.objects.filter(code="1079").exists():
        from apps.registry.isic import load_isic_codes

        load_isic_codes(IsicCode)
    tenant, _created = Tenant.objects.get_or_create(slug="bench-reminders", defaults={"name": "Bench", "country": "KE"})
    today = timezone.localdate()
    with tenant_context(tenant), transaction.atomic():
        ReminderDelivery.objects.all().delete()
        IpAsset.objects.all().delete()
        MsmeMember.objects.all().delete()
        Msme.objects.all().delete()
    User.objects.filter(email__endswith="@bench-reminders.example.org").delete()
    msmes_count = max(1, args.assets // 5)
    started = time.perf_counter()
    users = User.objects.bulk_create(
        [User(email=f"m{n}@bench-reminders.example.org") for n in range(msmes_count)], batch_size=5000
    )
    with tenant_context(tenant), transaction.atomic():
        msmes = Msme.objects.bulk_create(
            [
                Msme(
                    name=f"Bench {n}",
                    registration_number=f"B-{n:07d}",
                    sector_isic_id="1079",
                    sector_section="C",
                    employees=5,
                    size_class="micro",
                    preferred_channel="email",
                )
                for n in range(msmes_count)
            ],
            batch_size=5000,
        )
        MsmeMember.objects.bulk_create(
            [MsmeMember(msme=msme, user=user) for msme, user in zip(msmes, users, strict=True)], batch_size=5000
        )
        assets = []
        for n in range(args.assets):
            due = today + timedelta(days=n % (3 * 365))
            granted = add_years(due, -10)
            assets.append(
                IpAsset(
                    msme=msmes[n % msmes_count],
                    asset_type="trademark",
                    jurisdiction="KE",
                    title=f"Bench mark {n}",
                    status="registered",
                    filing_date=granted - timedelta(days=90),
                    grant_date=granted,
                )
            )
        IpAsset.objects.bulk_create(assets, batch_size=5000)
    del assets
    print(f"set up {args.assets} assets, {msmes_count} MSMEs in {time.perf_counter() - started:.1f} s")

    with tenant_context(tenant):
        tracemalloc.start()
        started = time.perf_counter()
        with transaction.atomic():
            result = plan_tenant(tenant, today=today)
        planned = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"(a) plan: {planned:.1f} s for {result.assets} assets, {result.deadlines} deadlines in a window, "
            f"{result.planned} rows; peak Python memory {peak / 1e6:.1f} MB"
        )
        started = time.perf_counter()
        with transaction.atomic():
            before = ReminderDelivery.objects.count()
            plan_tenant(tenant, today=today)
            after = ReminderDelivery.objects.count()
        print(f"(b) plan again: {time.perf_counter() - started:.1f} s, new rows: {after - before}")
        started = time.perf_counter()
        sent = 0
        with autocommit_scope("bench: sending commits as it goes"):
            while True:
                counts = send_due(tenant)
                sent += counts.sent
                if not counts.sent and not counts.retry:
                    break
        elapsed = time.perf_counter() - started
        print(f"(c) send: {sent} messages in {elapsed:.1f} s ({sent / elapsed:.0f}/s); outbox {len(mail.outbox)}")


if __name__ == "__main__":
    main()
