"""Load: a mixed scenario of concurrent users against gunicorn with the production settings.

Sets everything up itself, on 127.0.0.1 only, as bench/pages.py does (its setup is reused): a fresh database
(`portal_bench_load` by default) migrated by its owner and seeded by `seed_demo` (three agencies, 300 MSMEs
each, their helpdesks and programmes), the runtime role that row-level security applies to, Redis db 13 for
the cache, the sessions and the Celery broker, gunicorn as `docker-compose.yml` runs it (3 sync workers) with
`DJANGO_ENV=production`, and one Celery worker on every queue (campaigns and ticket e-mails are sent while
the load runs; e-mail goes to the worker's console log).

Then three measurements on the same server:
  1. the ceiling: a bare Django view (`/bench/bare/`, every middleware, no work), as fast as it answers;
  2. the guidance page `/guidance/patents/`, the same way: the goal is half the ceiling or better;
  3. the mixed scenario: USERS virtual users (64) for SECONDS (60), each signed in through the real login form
     with a session of its own and from an address of its own (127.0.0.x), doing what its kind does, with a
     think time between requests (several users may share a demo account):
     - visitors: home, guidance topics, the calculators index and a calculator;
     - MSME members: their action plan, the helpdesk, the diagnostic step by step, opening a ticket;
     - helpdesk agents: their queue, a ticket, a reply;
     - agency staff: the registry list, filtered and searched, an MSME's page, the outreach page, and now and
       then a campaign written and sent to a segment;
     - division analysts: their dashboard and the statistics profile.
     Forms are read from the pages and posted as a browser would (CSRF token, the fields' own values).
     It reports per page the requests, requests per second, median and p99 in ms, and errors (any answer
     that is not the one expected: the goal is none), then every signed-in page's median against 200 ms.

The ceiling and the guidance page use `wrk` (Debian's package) when installed, else a Python client; the
mixed scenario is a Python client (64 threads, mostly waiting). Client and server share the machine's CPUs:
the figures are what this machine gives, with the client's cost in them.

Run:  .venv/bin/python bench/load.py [--users 64] [--seconds 60] [--think 1.0] [--keep-db]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import html.parser
import http.client
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import pages
from bench.setup import PYTHON, ROOT, app_url, drop_database, manage, process_group, recreate_database

DEFAULT_OWNER_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
# As docker-compose.yml runs the web service.
SERVER_OPTIONS = ["--workers", "3", "--worker-class", "sync", "--timeout", "60"]
SIGNED_IN_MEDIAN_GOAL_MS = 200
GUIDANCE_SHARE_GOAL = 0.5
TENANTS = ("ke", "ph", "eg")
ANALYSTS = ("analyst-pct", "analyst-madrid", "analyst-hague", "analyst-amc")
# Share of the users of each kind (rounded; visitors take what is left).
MIX = {"member": 0.25, "agent": 0.125, "staff": 0.1875, "analyst": 0.0625}


# --- HTTP with a session of its own ------------------------------------------------------------------


class Unexpected(Exception):
    """An answer the scenario did not expect: counted as an error of its page."""

    def __init__(self, message: str, *, recorded: bool = False) -> None:
        super().__init__(message)
        self.recorded = recorded


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    signed_in: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, label: str, ms: float, error: str | None, signed_in: bool, *, timed: bool = True) -> None:
        with self.lock:
            if timed:
                self.times[label].append(ms)
            if error:
                self.errors[label].append(error)
            if signed_in:
                self.signed_in.add(label)


def request(port: int, source: str, method: str, path: str, headers: dict[str, str], body: str | None = None):
    """One request on a new connection (gunicorn's sync workers close it after each answer), from `source`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


class Session:
    """One user's cookies, as a browser keeps them, and its own address on the loopback network (127.0.0.x: the
    portal allows 30 sign-ins a minute from one address, as from one person); every request timed and recorded
    under its label."""

    def __init__(self, port: int, stats: Stats | None = None, number: int = 0) -> None:
        self.port, self.stats, self.cookies = port, stats, {}
        self.source = f"127.0.{number // 250}.{number % 250 + 2}"
        self.signed_in = False

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = dict(pages.COMMON_HEADERS)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**headers, **(extra or {})}

    def send(self, label: str, method: str, path: str, body: str | None = None, expect: tuple[int, ...] = (200,)):
        extra = {}
        if method == "POST":
            origin = f"http://127.0.0.1:{self.port}"
            extra = {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": origin + path}
        started = time.perf_counter()
        error = None
        try:
            status, headers, content = request(self.port, self.source, method, path, self._headers(extra), body)
        except OSError as exc:
            status, headers, content, error = 0, [], b"", f"{type(exc).__name__}: {exc}"
        ms = (time.perf_counter() - started) * 1000
        self.cookies.update(pages.cookies_from(headers))
        lowered = {k.lower(): v for k, v in headers}
        location = lowered.get("location", "")
        if error is None and status not in expect:
            error = f"HTTP {status} {location}".strip()
        elif error is None and "/accounts/login/" in location and self.signed_in:
            error = "signed out"
        if self.stats is not None:
            self.stats.record(label, ms, error, self.signed_in)
        if error:
            raise Unexpected(f"{label}: {error}", recorded=self.stats is not None)
        if lowered.get("content-encoding") == "gzip":
            content = gzip.decompress(content)
        return status, location, content.decode("utf-8", "replace")

    def get(self, label: str, path: str) -> str:
        return self.send(label, "GET", path)[2]

    def sign_in(self, email: str, password: str) -> None:
        """Through the real login form (allauth), into a session of this user's own; not recorded."""
        stats, self.stats = self.stats, None
        try:
            form = find_form(self.get("sign in", "/accounts/login/"), "/accounts/login/", r"/accounts/login/")
            body = fill(form, {"login": email, "password": password}, random.Random(0))  # noqa: S311 (no secret)
            _, location, _ = self.send("sign in", "POST", "/accounts/login/", body, (302,))
        finally:
            self.stats = stats
        if "/accounts/login/" in location or "sessionid" not in self.cookies:
            sys.exit(f"signing in as {email} failed: sent on to {location!r}")
        self.signed_in = True


# --- Forms, read from the page as a browser would --------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # what a browser would send as it stands
    choices: dict[str, list[str]] = field(default_factory=dict)  # radios and selects: the values offered
    empty: list[str] = field(default_factory=list)  # text inputs and textareas left empty


class FormParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in {"radio", "checkbox"}:
                form.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind in {"submit", "button", "file", "image", "reset"}:
                pass
            else:
                form.fields.append((name, a.get("value", "")))
                if not a.get("value"):
                    form.empty.append(name)
        elif tag == "select" and name:
            self._select = name
            form.choices.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if value:
                form.choices[self._select].append(value)
            if "selected" in a:
                form.fields.append((self._select, value))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self.forms:
            self.forms[-1].fields.append((self._textarea, self._text))
            if not self._text.strip():
                self.forms[-1].empty.append(self._textarea)
            self._textarea = None


def find_form(page: str, path: str, action: str) -> Form:
    """The page's first POST form whose action (the page's own path when it has none) matches `action`."""
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        if form.method == "post" and re.search(action, form.action or path):
            return form
    raise Unexpected(f"form {action}: none on {path}")


def fill(form: Form, values: dict[str, str], rng: random.Random) -> str:
    """The form's body: its own values, the ones given, and a choice for each radio group or select left
    without one (a random one, as users differ)."""
    data = [(k, v) for k, v in form.fields if k not in values]
    given = {k for k, _ in data if _}
    for name, options in form.choices.items():
        if name not in given and name not in values and options and not all(o == "on" for o in options):
            data = [(k, v) for k, v in data if k != name] + [(name, rng.choice(options))]
    data += list(values.items())
    return urllib.parse.urlencode(data)


# --- The scenario ------------------------------------------------------------------------------------


@dataclass
class World:
    """What the users pick from, read from the pages once before the run."""

    topics: list[str]
    calculators: list[str]
    tickets: dict[str, list[str]]  # agent e-mail -> ticket work paths in their queue
    msmes: dict[str, list[str]]  # agency e-mail -> MSME page paths
    segments: dict[str, list[str]]  # agency e-mail -> segment ids


def visitor(session: Session, world: World, rng: random.Random) -> Callable[[], None]:
    def act() -> None:
        roll = rng.random()
        if roll < 0.15:
            session.get("home /", "/")
        elif roll < 0.25:
            session.get("guidance index", "/guidance/")
        elif roll < 0.75:
            session.get("guidance topic", rng.choice(world.topics))
        elif roll < 0.85:
            session.get("calculators index", "/guidance/calculators/")
        else:
            session.get("calculator", rng.choice(world.calculators))

    return act


def member(session: Session, world: World, rng: random.Random) -> Callable[[], None]:
    def diagnostic() -> None:
        session.get("diagnostic start", "/diagnostic/")
        path = "/diagnostic/step/1/"
        page = session.get("diagnostic step", path)
        for _ in range(12):  # the steps, then the result
            form = find_form(page, path, r"/diagnostic/")
            target = urllib.parse.urljoin(path, form.action or path)
            _, location, _ = session.send("diagnostic step (POST)", "POST", target, fill(form, {}, rng), (302,))
            path = urllib.parse.urlsplit(location).path
            if "/step/" not in path:  # the result: the member's assessment, or the visitor's result page
                session.get("diagnostic result", path)
                return
            page = session.get("diagnostic step", path)
        raise Unexpected("diagnostic: no result after 12 steps")

    def open_ticket() -> None:
        form = find_form(session.get("new ticket form", "/helpdesk/new/"), "/helpdesk/new/", r"/helpdesk/new/")
        text = dict.fromkeys(form.empty, "Load test: how do I protect the name of my shop abroad?")
        text.update({name: "Protecting my shop's name abroad" for name in form.empty if "subject" in name})
        new = "/helpdesk/new/"
        status, location, page = session.send("open ticket (POST)", "POST", new, fill(form, text, rng), (200, 302))
        if status == 200:  # the answers that may already help are shown first; the member sends it anyway
            again = find_form(page, new, r"/helpdesk/new/")
            _, location, _ = session.send("open ticket (confirm)", "POST", new, fill(again, {}, rng), (302,))
        session.get("ticket page (member)", urllib.parse.urlsplit(location).path)

    def act() -> None:
        roll = rng.random()
        if roll < 0.3:
            # /guidance/plan/ sends a member on to the plan of their MSME's latest assessment.
            _, location, _ = session.send("action plan (redirect)", "GET", "/guidance/plan/", expect=(302,))
            session.get("action plan", urllib.parse.urlsplit(location).path)
        elif roll < 0.65:
            session.get("my tickets", "/helpdesk/tickets/")
        elif roll < 0.9:
            diagnostic()
        else:
            open_ticket()

    return act


def agent(session: Session, world: World, rng: random.Random, email: str) -> Callable[[], None]:
    def act() -> None:
        roll = rng.random()
        if roll < 0.4 or not world.tickets[email]:
            session.get("agent queue", "/helpdesk/queue/")
            return
        path = rng.choice(world.tickets[email])
        page = session.get("ticket page (agent)", path)
        if roll < 0.8:
            return
        form = find_form(page, path, r"/reply/$")
        body = dict.fromkeys(form.empty, "Thank you: a trademark in each market, or one Madrid application.")
        target = urllib.parse.urljoin(path, form.action)
        session.send("agent reply (POST)", "POST", target, fill(form, body, rng), (302,))

    return act


def staff(session: Session, world: World, rng: random.Random, email: str) -> Callable[[], None]:
    def campaign() -> None:
        new = "/outreach/campaigns/new/"
        form = find_form(session.get("new campaign form", new), new, r"/campaigns/new/")
        values = {name: f"Load test {rng.randrange(10**6)}" for name in form.empty if name == "name"}
        values.update({n: "A free session at the TISC" for n in form.empty if n.endswith("subject")})
        text = "Protect your brand: a free session at the TISC."
        values.update({n: text for n in form.empty if n.endswith(("body", "short_text"))})
        if world.segments[email]:
            values["segment"] = rng.choice(world.segments[email])
        path = "/outreach/campaigns/new/"
        _, location, _ = session.send("create campaign (POST)", "POST", path, fill(form, values, rng), (302,))
        detail = urllib.parse.urlsplit(location).path
        send = find_form(session.get("campaign page", detail), detail, r"/send/$")
        target = urllib.parse.urljoin(detail, send.action)
        session.send("send campaign (POST)", "POST", target, fill(send, {}, rng), (302,))

    def act() -> None:
        roll = rng.random()
        if roll < 0.3:
            session.get("registry list", "/registry/")
        elif roll < 0.5:
            level, size = rng.randrange(1, 6), rng.choice(["micro", "small", "medium"])
            session.get("registry filtered", f"/registry/?size_class={size}&maturity_level={level}")
        elif roll < 0.6:
            session.get("registry search", "/registry/?q=" + rng.choice(["mama", "tex", "coffee", "studio", "kilimo"]))
        elif roll < 0.85:
            session.get("MSME page", rng.choice(world.msmes[email]))
        elif roll < 0.98:
            session.get("outreach", "/outreach/")
        else:
            campaign()

    return act


def analyst(session: Session, world: World, rng: random.Random) -> Callable[[], None]:
    def act() -> None:
        if rng.random() < 0.7:
            session.get("division dashboard", "/dashboards/")
        else:
            session.get("statistics profile", "/dashboards/profile/")

    return act


def read_world(port: int, password: str) -> World:
    """Topics, calculators, tickets, MSMEs and segments as the pages list them."""
    anonymous = Session(port, number=200)
    index = anonymous.get("setup", "/guidance/")
    topics = sorted(set(re.findall(r'href="(/guidance/[a-z0-9-]+/)"', index)) - {"/guidance/calculators/"})
    topics = [t for t in topics if not t.startswith(("/guidance/plan", "/guidance/calculators"))]
    calculators = sorted(
        set(re.findall(r'href="(/guidance/calculators/[a-z0-9-]+/)"', anonymous.get("s", "/guidance/calculators/")))
    )
    tickets, msmes, segments = {}, {}, {}
    for slug in TENANTS:
        email = f"agent@{slug}.demo"
        session = Session(port, number=201 + TENANTS.index(slug))
        session.sign_in(email, password)
        tickets[email] = sorted(
            set(re.findall(r'href="(/helpdesk/work/[0-9a-f-]{36}/)"', session.get("s", "/helpdesk/queue/")))
        )
        email = f"agency@{slug}.demo"
        session = Session(port, number=210 + TENANTS.index(slug))
        session.sign_in(email, password)
        msmes[email] = sorted(set(re.findall(r'href="(/registry/[0-9a-f-]{36}/)"', session.get("s", "/registry/"))))
        segments[email] = sorted(
            set(re.findall(r"/outreach/segments/([0-9a-f-]{36})/", session.get("s", "/outreach/segments/")))
        )
    if not topics or not calculators or not all(msmes.values()):
        sys.exit(
            f"the pages did not list what the scenario needs: {len(topics)} topics, {len(calculators)} calculators"
        )
    return World(topics, calculators, tickets, msmes, segments)


def users(count: int) -> list[tuple[str, str | None]]:
    """(kind, e-mail to sign in with) for each virtual user; several users may share an account, each with
    a session of its own."""
    plan: list[tuple[str, str | None]] = []
    for kind, share in MIX.items():
        for i in range(max(1, round(count * share))):
            if kind == "analyst":
                email = f"{ANALYSTS[i % len(ANALYSTS)]}@wipo.demo"
            else:
                email = f"{ {'member': 'msme', 'agent': 'agent', 'staff': 'agency'}[kind] }@{TENANTS[i % 3]}.demo"
            plan.append((kind, email))
    plan += [("visitor", None)] * max(0, count - len(plan))
    return plan[:count]


def run_mixed(port: int, password: str, args: argparse.Namespace) -> tuple[Stats, float]:
    world = read_world(port, password)
    stats = Stats()
    actors = []
    for number, (kind, email) in enumerate(users(args.users)):
        rng = random.Random(number)  # noqa: S311 (a reproducible scenario, not a secret)
        session = Session(port, stats, number)
        if email:
            session.sign_in(email, password)
        make = {
            "visitor": lambda s, r, e: visitor(s, world, r),
            "member": lambda s, r, e: member(s, world, r),
            "agent": lambda s, r, e: agent(s, world, r, e),
            "staff": lambda s, r, e: staff(s, world, r, e),
            "analyst": lambda s, r, e: analyst(s, world, r),
        }[kind]
        actors.append((make(session, rng, email), rng))
    print(f"{len(actors)} users signed in; running {args.seconds} s ...", flush=True)
    start = time.monotonic()
    stop_at = start + args.seconds

    def loop(act: Callable[[], None], rng: random.Random) -> None:
        time.sleep(rng.uniform(0, args.think))  # users arrive over the first think time, not all at once
        while time.monotonic() < stop_at:
            try:
                act()
            except Unexpected as exc:  # the user goes on with something else; send() recorded its own errors
                if not exc.recorded:
                    stats.record(str(exc).split(":", 1)[0], 0.0, str(exc), True, timed=False)
            time.sleep(rng.uniform(0.5 * args.think, 1.5 * args.think))

    threads = [threading.Thread(target=loop, args=actor, daemon=True) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 120)
    return stats, time.monotonic() - start


# --- Setup and report --------------------------------------------------------------------------------


def ceiling(port: int, path: str, seconds: int, concurrency: int, use_wrk: bool) -> float:
    target = pages.Target(path, path)
    measure = pages.run_wrk if use_wrk else pages.run_python
    measure(port, target, 1, concurrency)  # warm the workers
    return measure(port, target, seconds, concurrency)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(stats: Stats, elapsed: float, bare: float, guidance: float, args: argparse.Namespace, use_wrk: bool) -> int:
    total = sum(len(t) for t in stats.times.values())
    errors = sum(len(e) for e in stats.errors.values())
    print()
    print(
        f"gunicorn {SERVER_OPTIONS[1]} sync workers, production settings, the runtime role under RLS, one Celery "
        f"worker; {os.cpu_count()} CPUs shared with the client; load average {os.getloadavg()[0]:.2f} at the end."
    )
    print()
    tool = "wrk" if use_wrk else "Python client"
    share = guidance / bare
    mark = "ok" if share >= GUIDANCE_SHARE_GOAL else "NO"
    print(
        f"ceiling, bare view /bench/bare/ ({tool}, {args.users} connections, {args.ceiling_seconds} s): {bare:.0f} r/s"
    )
    print(f"guidance /guidance/patents/, the same way: {guidance:.0f} r/s = {share:.0%} of the ceiling "
          f"(goal >= {GUIDANCE_SHARE_GOAL:.0%}: {mark})")  # fmt: skip
    print()
    print(
        f"mixed scenario: {args.users} users, {args.seconds} s, think time {args.think:g} s on average: "
        f"{total} requests, {total / elapsed:.1f} r/s, {errors} errors"
    )
    header = (
        f"{'page':28s} {'signed in':>9s} {'requests':>9s} {'r/s':>7s} {'median ms':>10s} {'p99 ms':>8s} {'errors':>7s}"
    )
    print(header)
    print("-" * len(header))
    slow = []
    labels = set(stats.times) | {label for label, found in stats.errors.items() if found}
    for label in sorted(labels, key=lambda x: (x not in stats.signed_in, x)):
        times = stats.times.get(label, [])
        signed = label in stats.signed_in
        figures = f"{'-':>10s} {'-':>8s}"
        if times:
            median = statistics.median(times)
            if signed and median >= SIGNED_IN_MEDIAN_GOAL_MS:
                slow.append(label)
            figures = f"{median:10.1f} {percentile(times, 0.99):8.1f}"
        print(
            f"{label:28s} {'yes' if signed else '':>9s} {len(times):9d} {len(times) / elapsed:7.2f} "
            f"{figures} {len(stats.errors[label]):7d}"
        )
    for label, found in stats.errors.items():
        if found:
            print(f"  {label}: {len(found)} errors, e.g. {found[0]}")
    print()
    print(
        f"every signed-in page under {SIGNED_IN_MEDIAN_GOAL_MS} ms at the median: "
        + ("ok" if not slow else "NO (" + ", ".join(slow) + ")")
    )
    return 1 if errors else 0


def celery_worker(env: dict[str, str], log: Path) -> contextlib.AbstractContextManager[subprocess.Popen]:
    """One Celery worker on every queue, stopped when the block ends."""
    queues = "celery,imports,outreach,statistics,email"
    command = [str(Path(PYTHON).with_name("celery")), "-A", "portal", "worker", "--loglevel=WARNING",
               "--concurrency=1", f"--queues={queues}", "--without-gossip", "--without-mingle"]  # fmt: skip
    return process_group(command, env, log)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=64, help="concurrent users (default 64)")
    parser.add_argument("--seconds", type=int, default=60, help="length of the mixed scenario (default 60)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time between requests, s (default 1)")
    parser.add_argument("--ceiling-seconds", type=int, default=10, help="length of the ceiling measurements")
    parser.add_argument("--owner-url", default=DEFAULT_OWNER_URL, help="the database, as its owner (dropped!)")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="cache, sessions and broker (flushed!)")
    parser.add_argument("--python-client", action="store_true", help="no wrk for the ceiling, even if installed")
    parser.add_argument("--keep-db", action="store_true", help="leave the database and role behind")
    args = parser.parse_args()
    for url in (args.owner_url, args.redis_url):
        if urllib.parse.urlsplit(url).hostname not in {"127.0.0.1", "localhost"}:
            sys.exit(f"{url}: this benchmark runs on 127.0.0.1 only")
    pages.check_database_name(args.owner_url)
    secret_key, app_password = secrets.token_urlsafe(60), secrets.token_urlsafe(24)
    password = secrets.token_urlsafe(16)
    env = pages.server_env(args, secret_key)
    env["EMAIL_URL"] = "console://"
    owner_env = {**env, "DATABASE_URL": args.owner_url, "BENCH_DEMO_PASSWORD": password}
    app_env = {**env, "DATABASE_URL": app_url(args.owner_url, app_password, pages.APP_ROLE)}
    redis.Redis.from_url(args.redis_url).flushdb()
    print(f"setting up {urllib.parse.urlsplit(args.owner_url).path.lstrip('/')} ...", flush=True)
    recreate_database(args.owner_url)
    began = time.monotonic()
    status = 1
    try:
        manage(owner_env, "migrate", "--no-input", "-v0")
        manage({**owner_env, "BENCH_APP_DB_PASSWORD": app_password}, "grant_app_role", "--role", pages.APP_ROLE,
               "--password-env", "BENCH_APP_DB_PASSWORD")  # fmt: skip
        manage(owner_env, "collectstatic", "--no-input", "-v0")
        seeded = subprocess.run(  # noqa: S603 (bench/pages.py's seeding: seed_demo, 300 MSMEs per agency)
            [PYTHON, pages.__file__, "--setup-data"], cwd=ROOT, env=owner_env, capture_output=True, text=True
        )
        if seeded.returncode:
            sys.exit(f"seeding failed:\n{seeded.stdout}\n{seeded.stderr}")
        print(f"set up in {time.monotonic() - began:.0f} s", flush=True)
        port = pages.free_port()
        use_wrk = bool(shutil.which("wrk")) and not args.python_client
        with (
            tempfile.TemporaryDirectory() as folder,
            pages.gunicorn(app_env, port, Path(folder) / "gunicorn.log", SERVER_OPTIONS) as server,
            celery_worker(app_env, Path(folder) / "worker.log"),
        ):
            health = pages.wait_until_up(port, server, Path(folder) / "gunicorn.log")
            if health.get("rls") != "enforced":
                sys.exit(f"the server does not run under row-level security: {health}")
            bare = ceiling(port, "/bench/bare/", args.ceiling_seconds, args.users, use_wrk)
            guidance = ceiling(port, "/guidance/patents/", args.ceiling_seconds, args.users, use_wrk)
            stats, elapsed = run_mixed(port, password, args)
            status = report(stats, elapsed, bare, guidance, args, use_wrk)
    finally:
        if not args.keep_db:
            drop_database(args.owner_url, pages.APP_ROLE)
        redis.Redis.from_url(args.redis_url).flushdb()
    sys.exit(status)


if __name__ == "__main__":
    main()
