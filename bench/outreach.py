"""Benchmark of campaign sending on PostgreSQL and Redis with a real Celery worker (issue: outreach).

Sets everything up itself, on 127.0.0.1 only: a fresh database (`portal_bench_outreach` by default), migrated
by its owner, with the runtime role `portal_bench_outreach_app` granted by `manage.py grant_app_role` (the
worker connects as that role, so row-level security applies to every query it sends), and Redis db 4 as the
broker. Then, for each size (10,000 and 100,000 MSMEs by default, every one consenting, with an e-mail):

  (a) a campaign to all of them (`apps.outreach.services.campaign_send`), planned and sent by one worker in a
      process of its own (`tests.outreach.worker_process`: solo pool, Django's file e-mail backend, no rate
      limit), timed from the send until the campaign is `sent`; the worker's peak RSS is read from
      /proc/<pid>/status (VmHWM) before it is stopped;
  (b) the reference: Django's `send_mass_mail` of the same number of messages (the same subject and body) to
      the same file e-mail backend, in this process, in the same run.

It prints messages per second of each, the ratio (a)/(b) (target: at least 0.5) and the worker's peak memory
at each size (target: flat as the campaign grows), and checks that exactly one message per MSME was written.

Run:  .venv/bin/python bench/outreach.py [--sizes 10000 100000] [--database NAME] [--redis URL]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OWNER = "postgres"
RUNTIME_ROLE = "portal_bench_outreach_app"


def psql(sql: str, database: str = "postgres") -> None:
    command = ["psql", "-h", "127.0.0.1", "-U", OWNER, "-d", database, "-qc", sql]
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603 (Debian's psql, our SQL)


def manage(*args: str, env: dict[str, str]) -> None:
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603 (our manage.py)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def written_messages(mail_dir: Path) -> int:
    return sum(path.read_bytes().count(b"\n" + b"-" * 79 + b"\n") for path in mail_dir.glob("*.log"))


def make_msmes(tenant: object, count: int) -> None:
    from django.db import transaction

    from apps.registry.models import Msme
    from apps.tenants.context import tenant_context

    with tenant_context(tenant), transaction.atomic():
        Msme.objects.bulk_create(
            (
                Msme(
                    name=f"Bench enterprise {n:06d}",
                    registration_number=f"OUT-{n:07d}",
                    sector_isic_id="1079",
                    sector_section="C",
                    employees=4,
                    size_class="micro",
                    email=f"owner{n:06d}@example.org",
                    preferred_language="en",
                    consent_outreach=True,
                )
                for n in range(count)
            ),
            batch_size=5000,
        )


def campaign_for(tenant: object) -> object:
    from django.db import transaction

    from apps.outreach.models import Campaign, CampaignMessage, Segment
    from apps.tenants.context import tenant_context

    with tenant_context(tenant), transaction.atomic():
        segment = Segment.objects.create(name="Everyone", filters={})
        campaign = Campaign.objects.create(name="Renewals", segment=segment, fallback_language="en")
        CampaignMessage.objects.create(
            campaign=campaign,
            language="en",
            subject="Your trademark and the Madrid System",
            body="Dear {msme},\n\nOne application can protect your mark in 130 countries: {link}\n\n{agency}",
        )
    return campaign


def send_with_worker(tenant: object, campaign: object, *, env: dict[str, str], work: Path) -> tuple[float, float, int]:
    from django.db import transaction

    from apps.outreach import services
    from apps.outreach.models import Campaign
    from apps.tenants.context import tenant_context

    mail_dir = work / "mail"
    mail_dir.mkdir()
    worker_env = {
        **env,
        "OUTREACH_TEST_MAIL_DIR": str(mail_dir),
        "OUTREACH_FILE_DIR": str(work / "files"),
        "OUTREACH_BATCH_SIZE": os.environ.get("OUTREACH_BATCH_SIZE", "200"),
        "OUTREACH_STALE_SENDING_SECONDS": "3600",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.outreach.worker_process"],
        cwd=ROOT,
        env=worker_env,
        stdout=subprocess.DEVNULL,
        stderr=open(work / "worker.log", "wb"),  # noqa: SIM115 (the worker's, closed with it)
    )
    try:
        time.sleep(3)  # the worker connects to the broker
        started = time.perf_counter()
        with tenant_context(tenant), transaction.atomic():
            assert services.campaign_send(campaign=Campaign.objects.get(pk=campaign.pk), actor=None)
        while True:
            with tenant_context(tenant), transaction.atomic():
                status = Campaign.objects.filter(pk=campaign.pk).values_list("status", flat=True).get()
            if status == Campaign.Status.SENT:
                break
            if worker.poll() is not None:
                raise RuntimeError(f"the worker stopped: see {work / 'worker.log'}")
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        memory = peak_rss_mb(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return elapsed, memory, written_messages(mail_dir)


def send_mass_mail_reference(count: int, work: Path) -> tuple[float, int]:
    from django.conf import settings
    from django.core.mail import get_connection, send_mass_mail

    mail_dir = work / "reference"
    mail_dir.mkdir()
    messages = [
        (
            "Your trademark and the Madrid System",
            f"Dear Bench enterprise {n:06d},\n\nOne application can protect your mark in 130 countries: "
            f"{settings.PORTAL_URL}/guidance/madrid/\n\nBench agency",
            settings.DEFAULT_FROM_EMAIL,
            [f"owner{n:06d}@example.org"],
        )
        for n in range(count)
    ]
    connection = get_connection("django.core.mail.backends.filebased.EmailBackend", file_path=str(mail_dir))
    started = time.perf_counter()
    send_mass_mail(messages, connection=connection)
    return time.perf_counter() - started, written_messages(mail_dir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database", default="portal_bench_outreach")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/4")
    args = parser.parse_args()

    owner_url = f"postgres://{OWNER}@127.0.0.1:5432/{args.database}"
    runtime_url = f"postgres://{RUNTIME_ROLE}:{RUNTIME_ROLE}@127.0.0.1:5432/{args.database}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "REDIS_URL": args.redis}
    print(f"setting up {args.database} (migrate as the owner, grant {RUNTIME_ROLE}) ...", flush=True)
    psql(f'DROP DATABASE IF EXISTS "{args.database}"')
    psql(f'CREATE DATABASE "{args.database}"')
    manage("migrate", "--no-input", env={**env, "DATABASE_URL": owner_url})
    manage("grant_app_role", "--role", RUNTIME_ROLE, "--password", RUNTIME_ROLE, env={**env, "DATABASE_URL": owner_url})
    flush = ["redis-cli", "-u", args.redis, "flushdb"]
    subprocess.run(flush, check=True, capture_output=True)  # noqa: S603 (Debian's redis-cli)

    os.environ.update({"DATABASE_URL": owner_url, "REDIS_URL": args.redis})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from portal.celery import app
    from tests.factories import TenantFactory

    app.conf.task_always_eager = False  # the send is queued for the worker
    worker_env = {**env, "DATABASE_URL": runtime_url}
    results = []
    for size in args.sizes:
        tenant = TenantFactory(slug=f"bench-{size}", name=f"Bench agency {size}", country="KE")
        make_msmes(tenant, size)
        campaign = campaign_for(tenant)
        with tempfile.TemporaryDirectory(prefix="bench-outreach-") as tmp:
            work = Path(tmp)
            elapsed, memory, written = send_with_worker(tenant, campaign, env=worker_env, work=work)
            reference, reference_written = send_mass_mail_reference(size, work)
        assert written == size, f"{written} messages written for {size} MSMEs"
        assert reference_written == size
        rate, reference_rate = size / elapsed, size / reference
        results.append((size, rate, reference_rate, memory))
        print(
            f"{size:>7} MSMEs: campaign {elapsed:6.1f} s = {rate:7.0f} messages/s (worker peak {memory:.0f} MB); "
            f"send_mass_mail {reference:6.1f} s = {reference_rate:7.0f} messages/s; "
            f"ratio {rate / reference_rate:.2f}",
            flush=True,
        )
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(f"worker peak memory: {first[3]:.0f} MB at {first[0]:,} MSMEs, {last[3]:.0f} MB at {last[0]:,}")


if __name__ == "__main__":
    main()
