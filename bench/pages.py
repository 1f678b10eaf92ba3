"""Page throughput as a share of bare views on the same server (PostgreSQL, Redis, gunicorn).

Sets everything up itself, on 127.0.0.1 only:
  - a fresh database (`portal_bench_pages` by default), migrated by its owner, with the runtime role
    `portal_bench_app` granted by `manage.py grant_app_role`, seeded by `seed_demo --msmes 300` (so the
    agency staff of `ke` see 300 MSMEs); with --big also a tenant of 100,000 MSMEs made by the COPY import;
    then VACUUM ANALYZE, as autovacuum would on a server in service;
  - gunicorn with production settings (2 sync workers, connected as the runtime role, so row-level
    security applies), Redis db 14 for cache and sessions, and `PORTAL_ROOT_URLCONF=bench.urls`, which adds
    two bare views: `/bench/bare/` (anonymous, every middleware, answers "ok") and `/bench/bare-signed-in/`
    (the same with the session, user and membership resolved);
  - a session cookie from signing in through the real login form, and an API token made by
    `apps.accounts.services.api_token_create`.

Then, for each page, several rounds of A B (its bare reference view, then the page), each a fixed time at
a fixed concurrency, and prints the median requests/s and the median of the per-round ratios. The load
generator is `wrk` when it is installed (light on the CPU it shares with the server), else a Python
client. The machine's other load moves the absolute figures; the ratios, measured back to back, much less.

Run:  .venv/bin/python bench/pages.py [--big] [--rounds 3] [--seconds 3] [--concurrency 4]
      (the owner URL, the database name and the Redis URL have options too; see --help)
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import redis

# Run as a script, Python puts bench/ on the path, not the repository's root that `bench.setup` lives under.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup import (
    PYTHON,
    ROOT,
    app_url,
    drop_database,
    manage,
    process_group,
    recreate_database,
    setup_django,
)

GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
DEFAULT_OWNER_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_pages"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
APP_ROLE = "portal_bench_app"
BIG_TENANT = "bench-big"
BIG_AGENCY = "bench-big-agency@example.org"
SMALL_AGENCY = "agency@ke.demo"
SERVER_OPTIONS = ["--workers", "2", "--worker-class", "sync", "--timeout", "60"]


# --- Setup ---------------------------------------------------------------------------------------


def server_env(args: argparse.Namespace, secret_key: str) -> dict[str, str]:
    """Production settings, fit for a loopback benchmark (no HTTPS, no MFA step); DATABASE_URL is added per process."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "APP_DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=secret_key,
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        PORTAL_REQUIRE_STAFF_MFA="false",
        PORTAL_REQUIRE_RLS_ROLE="true",
        REDIS_URL=args.redis_url,
        PORTAL_ROOT_URLCONF="bench.urls",
        PYTHONPATH=str(ROOT),
    )
    return env


def check_database_name(owner_url: str) -> None:
    """Stricter than `bench.setup`'s rule (the name contains "bench"): this benchmark's starts with portal_bench."""
    name = urllib.parse.urlsplit(owner_url).path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or not name.startswith("portal_bench"):
        sys.exit(f"refusing to drop and create {name!r}: the benchmark database's name must start with portal_bench")


def setup_data(big: bool) -> None:
    """Runs in its own process as the owner (--setup-data): seeds, and prints the token as JSON."""
    # Django is set up in this process only, so the measuring process stays a plain HTTP client.
    setup_django(quiet_info=False)
    from allauth.account.models import EmailAddress
    from django.core.management import call_command
    from django.db import connection

    from apps.accounts.models import User
    from apps.accounts.services import api_token_create
    from apps.core.roles import Role
    from apps.tenants.models import Membership, Tenant

    password = os.environ["BENCH_DEMO_PASSWORD"]
    # One argument: a random password may begin with "-", which argparse would read as an option.
    call_command("seed_demo", "--msmes", "300", f"--password={password}", stdout=open(os.devnull, "w"))  # noqa: SIM115
    agency = User.objects.get(email=SMALL_AGENCY)
    membership = Membership.objects.get(user=agency, tenant__slug="ke")
    _, key = api_token_create(user=agency, membership=membership, name="bench", lifetime=timedelta(days=1))
    if big:
        import pycountry

        from bench.import_msmes import make_csv

        tenant, _ = Tenant.objects.get_or_create(slug=BIG_TENANT, defaults={"name": "Bench big", "country": "KE"})
        user = User.objects.create_user(email=BIG_AGENCY, password=password)
        EmailAddress.objects.create(user=user, email=BIG_AGENCY, verified=True, primary=True)
        Membership.objects.create(tenant=tenant, user=user, role=Role.AGENCY_STAFF)
        regions = [s.code for s in pycountry.subdivisions.get(country_code="KE")]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "msmes.csv"
            make_csv(path, 100_000, regions)
            call_command("import_msmes", str(path), "--tenant", BIG_TENANT, stdout=open(os.devnull, "w"))  # noqa: SIM115
        with connection.cursor() as cursor:
            # The import leaves maturity empty (only a diagnostic sets it): spread levels as seed_demo does,
            # so the filtered list has rows to find. As the owner, a superuser, RLS does not apply here.
            cursor.execute(
                "UPDATE registry_msme SET maturity_level = nullif(mod(abs(hashtext(id::text)), 6), 0), "
                "maturity_assessed_at = CASE WHEN mod(abs(hashtext(id::text)), 6) > 0 THEN CURRENT_DATE END "
                "WHERE tenant_id = %s",
                [tenant.pk],
            )
            cursor.execute("SELECT count(*) FROM registry_msme WHERE tenant_id = %s", [tenant.pk])
            if cursor.fetchone()[0] < 100_000:
                sys.exit("the big tenant did not get its 100,000 MSMEs")
    with connection.cursor() as cursor:
        # As autovacuum would on a server in service (it may be off where this runs): the planner's statistics,
        # and the visibility map that lets counts use the indexes alone.
        cursor.execute("VACUUM ANALYZE")
    print("BENCH_JSON " + json.dumps({"token": key}))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- HTTP ----------------------------------------------------------------------------------------


@dataclass
class Target:
    label: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    expect: bytes = b""  # a pattern the answer must hold: the page shows what it is meant to


def request(port: int, method: str, path: str, headers: dict[str, str], body: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def cookies_from(headers: list[tuple[str, str]]) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            found[key.strip()] = val.strip()
    return found


def sign_in(port: int, email: str, password: str) -> str:
    """The real login form (allauth): returns the Cookie header of the signed-in session."""
    status, headers, body = request(port, "GET", "/accounts/login/", {})
    assert status == 200, f"login page: {status}"
    csrf_cookie = cookies_from(headers)["csrftoken"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": email, "password": password})
    origin = f"http://127.0.0.1:{port}"
    status, headers, _ = request(
        port,
        "POST",
        "/accounts/login/",
        {
            "Cookie": f"csrftoken={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}/accounts/login/",
        },
        form,
    )
    session = cookies_from(headers).get("sessionid")
    if status != 302 or not session:
        sys.exit(f"signing in as {email} failed: HTTP {status}")
    return f"sessionid={session}; csrftoken={csrf_cookie}"


def wait_until_up(port: int, server: subprocess.Popen, log: Path) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped (exit {server.returncode}):\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            status, _, body = request(port, "GET", "/healthz", {})
            if status in (200, 503):
                return json.loads(body)
        time.sleep(0.3)
    sys.exit(f"gunicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")


COMMON_HEADERS = {"Accept-Encoding": "gzip", "Accept": "text/html,application/json;q=0.9"}


def run_wrk(port: int, target: Target, seconds: float, concurrency: int) -> float:
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "10s"]
    for name, value in {**COMMON_HEADERS, **target.headers}.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run(  # noqa: S603 (wrk from Debian, our arguments)
        [*command, f"http://127.0.0.1:{port}{target.path}"], capture_output=True, text=True, check=True
    )
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    if bad:
        sys.exit(f"{target.label}: {bad.group(1)} answers were not 2xx/3xx\n{done.stdout}")
    errors = re.search(r"Socket errors: connect (\d+), read \d+, write (\d+), timeout (\d+)", done.stdout)
    if errors and any(int(n) for n in errors.groups()):
        print(f"   note: {target.label}: {errors.group(0)}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))


def run_python(port: int, target: Target, seconds: float, concurrency: int) -> float:
    """A fallback without wrk: `concurrency` threads, each one request after another (gunicorn's sync workers
    close the connection after each answer, so each request opens one)."""
    headers = {**COMMON_HEADERS, **target.headers}
    counts = [0] * concurrency
    failures: list[str] = []
    stop_at = time.monotonic() + seconds

    def worker(slot: int) -> None:
        while time.monotonic() < stop_at:
            status, _, _ = request(port, "GET", target.path, headers)
            if status != 200:
                failures.append(f"{target.label}: HTTP {status}")
                return
            counts[slot] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(failures[0])
    return sum(counts) / (time.monotonic() - started)


def latency_ms(port: int, target: Target, runs: int) -> tuple[float, float]:
    headers = {**COMMON_HEADERS, **target.headers}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        status, _, _ = request(port, "GET", target.path, headers)
        times.append((time.perf_counter() - start) * 1000)
        assert status == 200, f"{target.label}: HTTP {status}"
    return statistics.median(times), sorted(times)[int(0.95 * (len(times) - 1))]


# --- The run -------------------------------------------------------------------------------------


@dataclass
class Pair:
    label: str
    page: Target
    reference: Target
    target: float | None
    ratios: list[float] = field(default_factory=list)
    page_rps: list[float] = field(default_factory=list)
    reference_rps: list[float] = field(default_factory=list)


def gunicorn(
    env: dict[str, str], port: int, log: Path, options: list[str] = SERVER_OPTIONS
) -> contextlib.AbstractContextManager[subprocess.Popen]:
    """gunicorn serving the portal on 127.0.0.1:`port`, stopped with its workers when the block ends."""
    command = [GUNICORN, "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", *options]
    return process_group(command, env, log)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big", action="store_true", help="also a tenant of 100,000 MSMEs (adds about a minute)")
    parser.add_argument("--rounds", type=int, default=3, help="A/B rounds per page (default 3)")
    parser.add_argument("--seconds", type=int, default=3, help="length of each measurement (default 3)")
    parser.add_argument("--concurrency", type=int, default=4, help="connections kept busy (default 4)")
    parser.add_argument("--owner-url", default=DEFAULT_OWNER_URL, help="the database, as its owner (dropped!)")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="cache and sessions (flushed!)")
    parser.add_argument("--python-client", action="store_true", help="use the Python client even if wrk is here")
    parser.add_argument("--keep-db", action="store_true", help="leave the database and role behind")
    parser.add_argument("--setup-data", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup_data:
        setup_data(args.big)
        return
    for url in (args.owner_url, args.redis_url):
        if urllib.parse.urlsplit(url).hostname not in {"127.0.0.1", "localhost"}:
            sys.exit(f"{url}: this benchmark runs on 127.0.0.1 only")

    begun = time.monotonic()
    secret_key = secrets.token_urlsafe(60)
    app_password = secrets.token_urlsafe(24)
    demo_password = secrets.token_urlsafe(16)
    env = server_env(args, secret_key)
    owner_env = {**env, "DATABASE_URL": args.owner_url, "BENCH_DEMO_PASSWORD": demo_password}
    app_env = {**env, "DATABASE_URL": app_url(args.owner_url, app_password, APP_ROLE)}

    redis.Redis.from_url(args.redis_url).flushdb()
    print(f"setting up {urllib.parse.urlsplit(args.owner_url).path.lstrip('/')} ...", flush=True)
    check_database_name(args.owner_url)
    recreate_database(args.owner_url)
    try:
        run(args, owner_env, app_env, app_password, demo_password, begun)
    finally:
        if not args.keep_db:
            drop_database(args.owner_url, APP_ROLE)
        redis.Redis.from_url(args.redis_url).flushdb()


def run(
    args: argparse.Namespace,
    owner_env: dict[str, str],
    app_env: dict[str, str],
    app_password: str,
    demo_password: str,
    begun: float,
) -> None:
    manage(owner_env, "migrate", "--no-input", "-v0")
    manage({**owner_env, "BENCH_APP_DB_PASSWORD": app_password}, "grant_app_role", "--role", APP_ROLE,
           "--password-env", "BENCH_APP_DB_PASSWORD")  # fmt: skip
    manage(owner_env, "collectstatic", "--no-input", "-v0")
    seeded = subprocess.run(  # noqa: S603 (this script)
        [PYTHON, __file__, "--setup-data", *(["--big"] if args.big else [])],
        cwd=ROOT,
        env=owner_env,
        capture_output=True,
        text=True,
    )
    if seeded.returncode:
        sys.exit(f"seeding failed:\n{seeded.stdout}\n{seeded.stderr}")
    token = json.loads(next(x for x in seeded.stdout.splitlines() if x.startswith("BENCH_JSON "))[11:])["token"]
    print(f"set up in {time.monotonic() - begun:.0f} s", flush=True)

    port = free_port()
    with tempfile.TemporaryDirectory() as folder, gunicorn(app_env, port, Path(folder) / "gunicorn.log") as server:
        health = wait_until_up(port, server, Path(folder) / "gunicorn.log")
        if health.get("rls") != "enforced":
            sys.exit(f"the server does not run under row-level security: {health}")
        agency = {"Cookie": sign_in(port, SMALL_AGENCY, demo_password)}
        api = {"Authorization": f"Token {token}", "Accept": "application/json"}
        anon_bare = Target("bare view (anonymous)", "/bench/bare/")
        signed_bare = Target("bare view (signed in)", "/bench/bare-signed-in/", agency)
        pairs = [
            Pair(
                "registry list, 300 MSMEs", Target("registry", "/registry/", agency, rb"300 MSMEs"), signed_bare, 0.25
            ),
            Pair(
                "API MSME list, page_size=50",
                Target("api", "/api/v1/msmes/?page_size=50", api, rb'"count":\s*300'),
                signed_bare,
                0.25,
            ),
            Pair("guidance topic /guidance/patents/", Target("guidance", "/guidance/patents/"), anon_bare, 0.50),
            Pair("base layout /about/privacy/", Target("privacy", "/about/privacy/"), anon_bare, None),
            Pair("home page /", Target("home", "/"), anon_bare, None),
            Pair("signed-in bare view", signed_bare, anon_bare, 0.50),
        ]
        filtered = None
        if args.big:
            big = {"Cookie": sign_in(port, BIG_AGENCY, demo_password)}
            big_bare = Target("bare view (signed in, big tenant)", "/bench/bare-signed-in/", big)
            pairs.append(
                Pair(
                    "registry list, 100,000 MSMEs",
                    # Past the list's count cap (apps.core.lists.COUNT_CAP) the page says "More than 1,000 MSMEs".
                    Target("registry big", "/registry/", big, rb"More than 1,?000 MSMEs"),
                    big_bare,
                    0.25,
                )
            )
            query = "/registry/?size_class=micro&maturity_level=2"
            filtered = Target("filtered registry, 100,000 MSMEs", query, big)

        targets = {id(t): t for p in pairs for t in (p.page, p.reference)}
        if filtered:
            targets[id(filtered)] = filtered
        for target in targets.values():
            status, headers, body = request(port, "GET", target.path, {**COMMON_HEADERS, **target.headers})
            if {k.lower(): v for k, v in headers}.get("content-encoding") == "gzip":
                body = gzip.decompress(body)
            if status != 200 or not re.search(target.expect, body):
                sys.exit(f"{target.label} {target.path}: HTTP {status}, not {target.expect!r}\n{body[:500]!r}")
        use_wrk = shutil.which("wrk") and not args.python_client
        measure = run_wrk if use_wrk else run_python
        load_before = os.getloadavg()
        for target in targets.values():  # warm both workers (templates, caches, connections)
            measure(port, target, 1, args.concurrency)
        for number in range(1, args.rounds + 1):
            print(f"round {number}/{args.rounds} ...", flush=True)
            for pair in pairs:
                reference = measure(port, pair.reference, args.seconds, args.concurrency)
                page = measure(port, pair.page, args.seconds, args.concurrency)
                pair.reference_rps.append(reference)
                pair.page_rps.append(page)
                pair.ratios.append(page / reference)
        latency = latency_ms(port, filtered, 30) if filtered else None
        load_after = os.getloadavg()

    print()
    print(
        f"gunicorn 2 sync workers, production settings, runtime role under RLS; load: "
        f"{'wrk' if use_wrk else 'Python client'}, {args.concurrency} connections, {args.seconds:g} s per "
        f"measurement, {args.rounds} A/B rounds (reference, then page); medians."
    )
    print(
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after, on {os.cpu_count()} CPUs: "
        "a shared machine makes the req/s noisy; the ratios, measured back to back, less so."
    )
    print()
    header = (
        f"{'page':36s} {'reference':34s} {'page r/s':>9s} {'ref r/s':>9s} {'share':>7s} {'range':>13s} {'target':>7s}"
    )
    print(header)
    print("-" * len(header))
    for pair in pairs:
        share = statistics.median(pair.ratios)
        spread = f"{min(pair.ratios):.0%}-{max(pair.ratios):.0%}"
        goal = "" if pair.target is None else f">={pair.target:.0%}" + (" ok" if share >= pair.target else " NO")
        print(
            f"{pair.label:36s} {pair.reference.label:34s} {statistics.median(pair.page_rps):9.0f} "
            f"{statistics.median(pair.reference_rps):9.0f} {share:7.0%} {spread:>13s} {goal:>7s}"
        )
    if latency:
        print()
        print(f"filtered registry list at 100,000 MSMEs ({filtered.path}), 30 requests one at a time:")
        print(f"  median {latency[0]:.0f} ms, p95 {latency[1]:.0f} ms (client-side, loopback)")
    print(f"\ntotal {time.monotonic() - begun:.0f} s")


if __name__ == "__main__":
    main()
