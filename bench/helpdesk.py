"""Benchmark of the helpdesk with many tickets on PostgreSQL (issue: the helpdesk, "Performance").

Targets: with 200,000 tickets across tenants, (a) the SLA sweep over all open tickets (the body of the beat
task `helpdesk.sla_sweep`: `for_each_tenant(sweep_tenant)`) finishes in under 10 s; (b) an agent's queue
page `/helpdesk/queue/` and the API list `/api/v1/tickets/` answer in under 100 ms at the median, with a
query count that does not grow with the rows. Each is reported against a bare `SELECT` of the same rows
(the sweep's candidate rows; the page's rows, same order and LIMIT), measured in the same run, A B A B.

It sets up by itself, afresh each run:
  - the database (`portal_bench_helpdesk` by default; its name must contain "bench": it is dropped and
    created), migrated by its owner, with a runtime role (`portal_bench_helpdesk_app`) granted by
    `manage.py grant_app_role`: the measuring process connects as that role, so row-level security applies;
  - four tenants holding 40/30/20/10% of the tickets, each with a default queue, a helpdesk agent (queue
    lead) and an MSME member, and the PCT division's queue with its agent; a tenth of the tickets routed to
    PCT. The tickets are loaded by COPY, with statuses, priorities, tiers, assignees and due times: new and
    open tickets have due times over the past weeks and the coming days; those long past are stamped as
    warned and escalated as earlier sweeps would have left them (`--cold`: nothing stamped, the first sweep
    after an outage), then VACUUM ANALYZE;
  - the pages are requested in-process through Django's test Client (signed in as the largest tenant's
    agent; the API with a token), DEBUG off. A URL that answers 404 is reported as not available: the
    pages may not be merged yet.

Each sweep round runs the real task body, which commits its stamps; they are reset after the round (not
timed), so that each round finds the same work. The e-mails the sweep queues are counted, not sent (with
`--redis-url`, they are sent to that Redis as the Celery broker, as in production; the db is flushed at the
end).

Run:  .venv/bin/python bench/helpdesk.py [--tickets 200000] [--rounds 4] [--runs 20] [--cold]
      [--owner-url postgres://postgres@127.0.0.1:5432/portal_bench_helpdesk] [--keep-db]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
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

DEFAULT_OWNER_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_helpdesk"
APP_ROLE = "portal_bench_helpdesk_app"
TENANT_SHARES = {"bench-hd-1": 0.4, "bench-hd-2": 0.3, "bench-hd-3": 0.2, "bench-hd-4": 0.1}
DIVISION = "pct"
DIVISION_SHARE = 0.1
STATUSES = {"new": 0.10, "open": 0.15, "waiting": 0.10, "resolved": 0.25, "closed": 0.40}
PRIORITIES = {"low": 0.2, "normal": 0.6, "high": 0.15, "urgent": 0.05}
TIERS = {"first_time": 0.5, "experienced": 0.35, "frequent_filer": 0.1, "ip_office": 0.05}
TOPICS = ["trademarks", "patents", "copyright", "industrial-designs", "pct", "madrid", "adr", ""]
SUBJECTS = [
    "How do I register our brand name?",
    "Is our solar dryer patentable?",
    "Renewal of our trademark",
    "Protecting the shape of our furniture",
    "Filing a PCT application from our national filing",
    "Our brand was registered as a domain name by someone else",
    "Cannot upload documents to my application",
    "Keeping our recipe confidential",
]
PASSWORD_ENV = "BENCH_HELPDESK_APP_PASSWORD"
PAGE_SIZE = 25  # the queue page's and the API's default page (apps.core.api.pagination, the registry's list)


# --- Setup (as the owner) ------------------------------------------------------------------------


def quiet() -> None:
    """While measuring: no log line for each 404 of a page not merged yet, no note on unbuilt static files."""
    import logging
    import warnings

    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def load(tickets: int, cold: bool) -> None:
    """Runs in its own process as the owner (--load): the tenants, people, queues and tickets; prints JSON."""
    setup_django()
    from datetime import time as clock

    from allauth.account.models import EmailAddress
    from django.db import connection

    from apps.accounts.models import User
    from apps.accounts.services import api_token_create
    from apps.core.roles import Role
    from apps.helpdesk.models import Queue, QueueAgent
    from apps.tenants.models import Membership, Tenant

    password = os.environ["BENCH_DEMO_PASSWORD"]

    def user(email: str, **fields: object) -> User:
        made = User.objects.create_user(email=email, password=password, **fields)
        EmailAddress.objects.create(user=made, email=email, verified=True, primary=True)
        return made

    division_queue = Queue.objects.create(
        division=DIVISION, name="PCT Information Service", languages=["en", "fr", "es", "ar"],
        time_zone="Europe/Zurich", country="CH", opens_at=clock(9), closes_at=clock(17, 30),
    )  # fmt: skip
    division_agent = user("bench-agent-pct@example.org", division=DIVISION, division_role=User.DivisionRole.AGENT)
    QueueAgent.objects.create(queue=division_queue, user=division_agent, is_lead=True)
    people = {}
    for slug in TENANT_SHARES:
        tenant = Tenant.objects.create(slug=slug, name=f"Bench {slug}", country="KE", languages=["en", "sw"])
        queue = Queue.objects.create(
            tenant=tenant, name="Helpdesk", languages=["en"], time_zone="Africa/Nairobi", country="KE",
            opens_at=clock(8), closes_at=clock(17), is_default=True,
        )  # fmt: skip
        agent = user(f"agent@{slug}.example.org", full_name=f"Agent {slug}")
        Membership.objects.create(tenant=tenant, user=agent, role=Role.HELPDESK_AGENT)
        QueueAgent.objects.create(queue=queue, user=agent, is_lead=True)
        member = user(f"member@{slug}.example.org", full_name=f"Member {slug}")
        Membership.objects.create(tenant=tenant, user=member, role=Role.MSME_MEMBER)
        people[slug] = (tenant, queue, agent, member)

    now = datetime.now(UTC)
    rng = random.Random(2026)  # noqa: S311 (benchmark data)
    counts = {slug: round(tickets * share) for slug, share in TENANT_SHARES.items()}
    counts[next(iter(counts))] += tickets - sum(counts.values())
    columns = (
        "id, tenant_id, division, reference, subject, body, topic, language, msme_name, requester_name, "
        "requester_email, status, priority, tier, created_at, updated_at, first_responded_at, resolved_at, "
        "closed_at, first_response_due, resolution_due, next_due_at, sla_pauses, response_warned_at, "
        "response_breached_at, "
        "resolution_warned_at, resolution_breached_at, suggested_articles, read_articles, rating, "
        "rating_comment, rated_at, assignee_id, merged_into_id, msme_id, queue_id, requester_id"
    )
    started = time.perf_counter()
    number = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY helpdesk_ticket ({columns}) FROM STDIN") as copy:
            for slug, count in counts.items():
                tenant, queue, agent, member = people[slug]
                for _ in range(count):
                    number += 1
                    copy.write_row(
                        ticket_row(rng, now, number, tenant, queue, agent, member, division_queue, division_agent, cold)
                    )
        cursor.execute("VACUUM ANALYZE helpdesk_ticket")
        cursor.execute("SELECT count(*), count(division) FROM helpdesk_ticket")
        total, routed = cursor.fetchone()
    loaded = time.perf_counter() - started
    biggest = next(iter(TENANT_SHARES))
    tenant, _queue, agent, _member = people[biggest]
    _, key = api_token_create(
        user=agent, membership=Membership.objects.get(user=agent), name="bench", lifetime=timedelta(days=1)
    )
    print(
        "BENCH_JSON "
        + json.dumps(
            {
                "token": key,
                "agent": agent.pk,
                "division_agent": division_agent.pk,
                "tenant": tenant.pk,
                "counts": counts,
                "total": total,
                "routed": routed,
                "seconds": loaded,
            }
        )
    )


def ticket_row(
    rng: random.Random,
    now: datetime,
    number: int,
    tenant: Any,
    queue: Any,
    agent: Any,
    member: Any,
    division_queue: Any,
    division_agent: Any,
    cold: bool,
) -> tuple:
    """One ticket as COPY takes it: its SLA fields as the services and earlier sweeps would have left them."""
    status = pick(rng, STATUSES)
    routed = rng.random() < DIVISION_SHARE
    active = status in ("new", "open")
    # Active tickets are recent; the others go back a year.
    created = now - timedelta(hours=rng.uniform(1, 24 * (30 if status in ("new", "open", "waiting") else 365)))
    responded = None if status == "new" else created + timedelta(hours=rng.uniform(0.2, 30))
    resolved = created + timedelta(days=rng.uniform(1, 12)) if status in ("resolved", "closed") else None
    closed = resolved + timedelta(days=rng.uniform(0, 5)) if status == "closed" else None
    response_due = created + timedelta(hours=rng.uniform(4, 72)) if status == "new" else None
    resolution_due = created + timedelta(days=rng.uniform(2, 14)) if active else None
    stamps = []
    for due in (response_due, response_due, resolution_due, resolution_due):
        # Long past: earlier sweeps warned and escalated (unless --cold); recent or coming: not yet.
        stamps.append(due if due is not None and not cold and due < now - timedelta(minutes=30) else None)
    paused = f'[["{(created + timedelta(days=1)).isoformat()}", null]]' if status == "waiting" else "[]"
    assignee = (division_agent if routed else agent).pk if rng.random() < 0.8 else None
    rating = rng.choice(["good", "good", "bad", ""]) if resolved else ""
    return (
        uuid.uuid4(),
        tenant.pk,
        DIVISION if routed else None,
        f"T-{number:07X}",
        rng.choice(SUBJECTS),
        "We sell packaged honey under our brand and want to protect the name before we supply supermarkets.",
        DIVISION if routed else rng.choice(TOPICS),
        "en",
        f"Baobab Foods {number % 5000}",
        member.full_name,
        member.email,
        status,
        pick(rng, PRIORITIES),
        pick(rng, TIERS),
        created,
        closed or resolved or responded or created,
        responded,
        resolved,
        closed,
        response_due,
        resolution_due,
        min([due for due in (response_due, resolution_due) if due is not None], default=None),
        paused,
        *stamps,
        "[]",
        "[]",
        rating,
        "",
        resolved + timedelta(hours=2) if rating else None,
        assignee,
        None,
        None,
        (division_queue if routed else queue).pk,
        member.pk,
    )


# --- Measuring (as the runtime role) -------------------------------------------------------------


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def measure(info: dict, args: argparse.Namespace, owner_url: str) -> None:
    """Runs in its own process as the runtime role (--measure)."""
    setup_django()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.accounts.models import User
    from apps.helpdesk import notifications, tasks
    from apps.helpdesk.models import ACTIVE_STATUSES
    from apps.helpdesk.sla_jobs import BATCH
    from apps.tenants.context import division_context, tenant_context
    from apps.tenants.models import Tenant

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL")
    quiet()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    queued = {"emails": 0}
    if not args.redis_url:
        # Counted, not sent: what the sweep costs is its own work, not the mail server's.
        def counted(*task_args: object) -> None:
            queued["emails"] += 1

        notifications.send_ticket_email = SimpleNamespace(delay=counted)
    warning = timedelta(minutes=settings.HELPDESK_SLA_WARNING_MINUTES)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        role, bypasses = cursor.fetchone()
    if bypasses:
        sys.exit(f"{role} bypasses row-level security: connect as the runtime role")
    tenants = list(Tenant.objects.filter(is_active=True).order_by("slug"))
    pg = connection.pg_version // 10000
    sizes = ", ".join(f"{n:,}" for n in info["counts"].values())
    print(
        f"{info['total']:,} tickets in {len(tenants)} tenants ({sizes}), "
        f"{info['routed']:,} routed to the PCT division; loaded by COPY in {info['seconds']:.1f} s; "
        f"PostgreSQL {pg}, connected as {role} (row-level security applies)",
        flush=True,
    )

    # (a) The sweep, against a bare SELECT of its candidate rows: sla_jobs.sweep_tenant's four phases, with
    # the same filters, joins and LIMIT, per tenant.
    base = (
        "SELECT t.*, q.*, u.* FROM helpdesk_ticket t JOIN helpdesk_queue q ON q.id = t.queue_id "
        "LEFT JOIN accounts_user u ON u.id = t.assignee_id WHERE t.status = ANY(%(active)s) AND "
    )
    tail = f" LIMIT {BATCH}"
    phases = [
        ("response_warned_at", "t.first_response_due > %(now)s AND t.first_response_due <= %(soon)s"),
        ("resolution_warned_at", "t.resolution_due > %(now)s AND t.resolution_due <= %(soon)s"),
        ("response_breached_at", "t.first_response_due <= %(now)s"),
        ("resolution_breached_at", "t.resolution_due <= %(now)s"),
    ]

    def bare_sweep() -> tuple[float, int]:
        now = datetime.now(UTC)
        params = {"active": [str(s) for s in ACTIVE_STATUSES], "now": now, "soon": now + warning}
        rows = 0
        start = time.perf_counter()
        for tenant in tenants:
            with tenant_context(tenant), transaction.atomic(), connection.cursor() as cursor:
                for stamp, condition in phases:
                    sql = f"{base}{condition} AND t.tenant_id = %(tenant)s AND t.{stamp} IS NULL{tail}"
                    cursor.execute(sql, {**params, "tenant": tenant.pk})
                    rows += len(cursor.fetchall())
        return time.perf_counter() - start, rows

    def reset_stamps(since: datetime) -> None:
        with psycopg.connect(owner_url, autocommit=True) as owner:
            for stamp, _condition in phases:
                # The column names are this script's own.
                owner.execute(f"UPDATE helpdesk_ticket SET {stamp} = NULL WHERE {stamp} >= %s", [since])  # noqa: S608
            # As autovacuum would, in time for the next run: each round starts from the same table.
            owner.execute("VACUUM ANALYZE helpdesk_ticket")

    sweeps, bares, ratios = [], [], []
    print(f"\n(a) SLA sweep (helpdesk.sla_sweep's body) vs a bare SELECT of its candidate rows, {args.rounds} rounds:")
    for number in range(1, args.rounds + 1):
        round_start = datetime.now(UTC) - timedelta(seconds=1)
        queued["emails"] = 0
        start = time.perf_counter()
        totals = tasks.sla_sweep()
        sweep = time.perf_counter() - start
        reset_stamps(round_start)
        bare, rows = bare_sweep()
        sweeps.append(sweep)
        bares.append(bare)
        ratios.append(sweep / bare)
        emails = f", {queued['emails']} e-mail tasks counted" if not args.redis_url else ""
        print(
            f"  round {number}: sweep {sweep:6.2f} s (warned {totals['warned']}, escalated {totals['escalated']}"
            f"{emails}); bare SELECT {bare:6.3f} s ({rows} rows); ratio {sweep / bare:5.1f}x",
            flush=True,
        )
    verdict = "ok" if statistics.median(sweeps) < 10 else "NO"
    print(
        f"  median: sweep {statistics.median(sweeps):.2f} s, bare {statistics.median(bares):.3f} s, "
        f"ratio {statistics.median(ratios):.1f}x (range {min(ratios):.1f}-{max(ratios):.1f}); "
        f"target under 10 s: {verdict}"
    )

    # (b) The pages, against a bare SELECT of the same page of rows.
    agent = User.objects.get(pk=info["agent"])
    division_agent = User.objects.get(pk=info["division_agent"])
    tenant = next(t for t in tenants if t.pk == info["tenant"])
    page_client, division_client, api_client = Client(), Client(), Client()
    page_client.force_login(agent)
    division_client.force_login(division_agent)
    api_headers = {"HTTP_AUTHORIZATION": f"Token {info['token']}", "HTTP_ACCEPT": "application/json"}
    # The bare SELECT is the page's own row query (captured from the page, run alone in the same scope); a
    # page that shows none is compared with the rows a list of tickets would show, newest first.
    fallback_sql = (
        "SELECT t.*, q.*, u.* FROM helpdesk_ticket t JOIN helpdesk_queue q ON q.id = t.queue_id "
        "LEFT JOIN accounts_user u ON u.id = t.assignee_id WHERE {where} AND t.merged_into_id IS NULL "
        "ORDER BY t.created_at DESC, t.id ASC LIMIT %(limit)s"
    )

    def row_query(captured: list[dict]) -> str | None:
        found = [
            query["sql"]
            for query in captured
            if 'FROM "helpdesk_ticket"' in query["sql"] and " LIMIT " in query["sql"]
            and "ORDER BY" in query["sql"] and "COUNT(" not in query["sql"]
        ]  # fmt: skip
        return found[-1] if found else None

    def bare_page(scope: Callable[[], Any], where: str, params: dict, limit: int, sql: str | None) -> float:
        start = time.perf_counter()
        with scope(), transaction.atomic(), connection.cursor() as cursor:
            if sql:
                cursor.execute(sql)
            else:
                cursor.execute(fallback_sql.format(where=where), {**params, "limit": limit})
            assert cursor.fetchall()
        return time.perf_counter() - start

    in_tenant = (lambda: tenant_context(tenant), "t.tenant_id = %(tenant)s", {"tenant": tenant.pk})
    in_division = (lambda: division_context(DIVISION), "t.division = %(pct)s", {"pct": DIVISION})
    biggest = f"{info['counts'][tenant.slug]:,}"
    cases = [
        (f"agent's queue page, tenant of {biggest}", lambda: page_client.get(args.queue_url), in_tenant),
        (f"API {args.api_url} (same agent, token)", lambda: api_client.get(args.api_url, **api_headers), in_tenant),
        (
            f"PCT agent's queue page, {info['routed']:,} routed",
            lambda: division_client.get(args.queue_url),
            in_division,
        ),
    ]
    print(f"\n(b) pages (Django test Client, in-process, DEBUG off) vs a bare SELECT of the same page, {args.runs} "
          f"requests a round, {args.rounds} rounds; medians:")  # fmt: skip
    header = f"  {'page':46s} {'page ms':>8s} {'bare ms':>8s} {'ratio':>7s} {'queries':>8s}  target"
    print(header)
    notes = []
    for label, get, (scope, where, params) in cases:
        response = get()
        if response.status_code != 200:
            floor = median_ms([bare_page(scope, where, params, PAGE_SIZE, None) for _ in range(args.runs)])
            why = "not available (404: not merged yet)" if response.status_code == 404 else "not measured"
            print(f"  {label:46s} {'-':>8s} {floor:8.2f} {'':>7s} {'':>8s}  HTTP {response.status_code}: {why}")
            continue
        limit = PAGE_SIZE
        if response.get("Content-Type", "").startswith("application/json"):
            limit = len(response.json().get("results", [])) or PAGE_SIZE
        with CaptureQueriesContext(connection) as queries:
            get()
        query_count = len(queries)  # now: the next request clears the connection's log
        sql = row_query(list(queries))
        shown = "the page's own row query: <its columns> " + sql[sql.index(" FROM ") :] if sql else ""
        notes.append(f"  {label}: bare = {shown or 'a list of the same tickets, newest first'}")
        for _ in range(3):
            get()
            bare_page(scope, where, params, limit, sql)
        page_times, bare_times, page_ratios = [], [], []
        for _ in range(args.rounds):
            round_pages, round_bares = [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                get()
                round_pages.append(time.perf_counter() - start)
            for _ in range(args.runs):
                round_bares.append(bare_page(scope, where, params, limit, sql))
            page_times += round_pages
            bare_times += round_bares
            page_ratios.append(statistics.median(round_pages) / statistics.median(round_bares))
        page_ms = median_ms(page_times)
        print(
            f"  {label:46s} {page_ms:8.1f} {median_ms(bare_times):8.2f} {statistics.median(page_ratios):6.1f}x "
            f"{query_count:8d}  under 100 ms: {'ok' if page_ms < 100 else 'NO'}",
            flush=True,
        )
    if notes:
        print("\n" + "\n".join(notes))
    print(f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (a shared machine adds noise)")


# --- The run -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=200_000, help="tickets in all (default 200,000)")
    parser.add_argument("--rounds", type=int, default=4, help="A B rounds of each measurement (default 4)")
    parser.add_argument("--runs", type=int, default=20, help="requests of each page per round (default 20)")
    parser.add_argument("--cold", action="store_true", help="nothing stamped yet: the first sweep after an outage")
    parser.add_argument("--queue-url", default="/helpdesk/queue/", help="the agents' queue page")
    parser.add_argument("--api-url", default="/api/v1/tickets/", help="the API's ticket list")
    parser.add_argument("--owner-url", default=DEFAULT_OWNER_URL, help="the database, as its owner (dropped!)")
    parser.add_argument("--redis-url", default="", help="Celery broker and cache for the run (flushed!)")
    parser.add_argument("--keep-db", action="store_true", help="leave the database and role behind")
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        load(args.tickets, args.cold)
        return
    if args.measure:
        measure(json.loads(args.measure), args, os.environ["BENCH_OWNER_URL"])
        return

    begun = time.monotonic()
    app_password = secrets.token_urlsafe(24)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "APP_DATABASE_URL", "REDIS_URL"}}
    env.update(DEBUG="false", PYTHONPATH=str(ROOT), BENCH_DEMO_PASSWORD=secrets.token_urlsafe(16))
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    owner_env = {**env, "DATABASE_URL": args.owner_url}
    print(f"setting up {database_name(args.owner_url)} ...", flush=True)
    recreate_database(args.owner_url)
    try:
        manage(owner_env, "migrate", "--no-input", "-v0")
        manage({**owner_env, PASSWORD_ENV: app_password}, "grant_app_role", "--role", APP_ROLE,
               "--password-env", PASSWORD_ENV)  # fmt: skip
        loaded = subprocess.run(  # noqa: S603 (this script)
            [PYTHON, __file__, "--load", "--tickets", str(args.tickets), *(["--cold"] if args.cold else [])],
            cwd=ROOT, env=owner_env, capture_output=True, text=True,
        )  # fmt: skip
        if loaded.returncode:
            sys.exit(f"loading failed:\n{loaded.stdout}\n{loaded.stderr}")
        info = next(line for line in loaded.stdout.splitlines() if line.startswith("BENCH_JSON "))[11:]
        print(f"set up in {time.monotonic() - begun:.0f} s", flush=True)
        measured = subprocess.run(  # noqa: S603 (this script)
            [PYTHON, __file__, "--measure", info, "--rounds", str(args.rounds), "--runs", str(args.runs),
             "--queue-url", args.queue_url, "--api-url", args.api_url,
             *(["--redis-url", args.redis_url] if args.redis_url else [])],
            cwd=ROOT, env={**env, "DATABASE_URL": app_url(args.owner_url, app_password, APP_ROLE),
                           "BENCH_OWNER_URL": args.owner_url},
        )  # fmt: skip
        if measured.returncode:
            sys.exit(f"measuring failed (exit {measured.returncode})")
    finally:
        if not args.keep_db:
            drop_database(args.owner_url, APP_ROLE)
        if args.redis_url:
            import redis

            redis.Redis.from_url(args.redis_url).flushdb()
    print(f"\ntotal {time.monotonic() - begun:.0f} s")


if __name__ == "__main__":
    main()
