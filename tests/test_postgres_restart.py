"""PostgreSQL restarted under load: a running web server (gunicorn, the production server, with the settings'
persistent connections and their health checks) answers the requests made while the database is down with
its own error page, at once (no request hangs), and once the database is back serves again, without being
restarted itself: the same master and worker processes.

The database is a throwaway cluster of this test (tests.postgres_server), never the shared one; its schema and
data are the test database's, copied with pg_dump (migrating afresh takes minutes on a small machine).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.db import connection

from tests.postgres_server import ThrowawayPostgres, unavailable_reason, wait_until
from tests.redis_server import free_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""), reason="needs a PostgreSQL DATABASE_URL to copy"
    ),
]

PAGE = "/stories/"  # a public page that reads the database on every request (no page cache, no sign-in)
THREADS = 4
REQUEST_TIMEOUT = 10.0
NO_HANG = 5.0  # every answer, an error page too, comes well within this


@dataclass
class Hit:
    started: float
    finished: float
    status: int | None  # None: no HTTP answer at all (refused, reset, timed out)
    error_page: bool = False


def _copy_test_database(target: ThrowawayPostgres) -> None:
    """The test database, schema and data, into the throwaway cluster (as the owner: row-level security would
    hide rows from the runtime role)."""
    source = dj_database_url.parse(os.environ["DATABASE_URL"])
    env = {**os.environ, "PGPASSWORD": source["PASSWORD"] or ""}
    pg_dump = [
        str(target.bin / "pg_dump"),
        f"--host={source['HOST'] or '127.0.0.1'}",
        f"--port={source['PORT'] or 5432}",
        f"--username={source['USER']}",
        "--no-owner",
        "--no-privileges",
        connection.settings_dict["NAME"],
    ]
    dump = subprocess.run(pg_dump, env=env, check=True, capture_output=True, timeout=120).stdout
    psql = [str(target.bin / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(target.port)]
    subprocess.run([*psql, "-U", "postgres", "-d", "portal"], input=dump, check=True, capture_output=True, timeout=120)


@pytest.fixture
def database(db):  # db: the test database exists and is migrated
    if reason := unavailable_reason():
        pytest.skip(reason)
    cluster = ThrowawayPostgres()
    try:
        cluster.init()
        _copy_test_database(cluster)
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def web_server(database, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.local",
        "DATABASE_URL": database.url,
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "DEBUG": "false",
    }
    env.pop("REDIS_URL", None)  # cache in memory, tasks in-process: the database is the one thing that goes away
    env.pop("CONN_MAX_AGE", None)  # the settings' default: persistent connections, checked before reuse
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    log = tmp_path / "gunicorn.log"
    command = [gunicorn, "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    command += ["--threads", str(THREADS), "--timeout", "60", "--error-logfile", str(log)]
    process = subprocess.Popen(
        command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_until(lambda: _get(base + "/healthz").status is not None, timeout=60, every=0.5):
            pytest.fail(f"gunicorn did not start:\n{log.read_text() if log.exists() else ''}")
        yield process, base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _get(url: str) -> Hit:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:
            response.read()
            return Hit(started, time.monotonic(), response.status)
    except urllib.error.HTTPError as error:
        body = error.read().decode(errors="replace")
        return Hit(started, time.monotonic(), error.code, error_page="Something went wrong on our side" in body)
    except OSError:
        return Hit(started, time.monotonic(), None)


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(child) for child in path.read_text().split()} if path.exists() else set()


def test_the_portal_rides_out_a_database_restart_without_a_restart_of_its_own(web_server, database):
    process, base = web_server
    with urllib.request.urlopen(base + PAGE, timeout=REQUEST_TIMEOUT) as response:
        assert response.status == 200 and response.geturl() == base + PAGE  # served, not sent to sign in
    workers = _children(process.pid)
    assert workers, "no gunicorn worker"

    hits: list[Hit] = []
    stop = threading.Event()

    def load() -> None:
        while not stop.is_set():
            hits.append(_get(base + PAGE))
            time.sleep(0.05)

    threads = [threading.Thread(target=load) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        down_at = time.monotonic()
        database.stop()
        stopped_at = time.monotonic()
        time.sleep(3)
        started_at_begin = time.monotonic()
        database.start()  # pg_ctl -w: accepting connections when it returns
        up_at = time.monotonic()
        time.sleep(4)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)

    before = [hit for hit in hits if hit.finished < down_at]
    during = [hit for hit in hits if hit.started > stopped_at and hit.finished < started_at_begin]
    after = [hit for hit in hits if hit.started > up_at]
    timeline = [(round(hit.started - down_at, 2), round(hit.finished - down_at, 2), hit.status) for hit in hits]
    assert before and during and after, (len(before), len(during), len(after))
    assert all(hit.status == 200 for hit in before)
    # Down: every request answered at once, with the portal's own error page.
    assert {hit.status for hit in during} <= {500, 503}, timeline
    assert all(hit.error_page for hit in during if hit.status == 500)
    # Never a hang nor a dropped connection, whenever a request came (in flight at the stop included).
    assert all(hit.status is not None for hit in hits)
    assert max(hit.finished - hit.started for hit in hits) < NO_HANG
    # Back: each request served again, by the same processes (no restart of the web server or its worker).
    assert [hit.status for hit in after] == [200] * len(after), timeline
    assert process.poll() is None and _children(process.pid) == workers


def _burst(url: str, count: int) -> list[int | None]:
    """`count` requests, THREADS at a time: each of the server's threads takes some."""
    statuses: list[int | None] = []

    def one() -> None:
        statuses.append(_get(url).status)

    for _ in range(0, count, THREADS):
        threads = [threading.Thread(target=one) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
    return statuses


def test_a_restart_between_requests_costs_no_request(web_server, database):
    """The connections kept open between requests (CONN_MAX_AGE) are dead after a restart that no request saw;
    the health check before reuse (CONN_HEALTH_CHECKS) replaces them, so not even the first request fails."""
    process, base = web_server
    assert _burst(base + PAGE, 4 * THREADS) == [200] * 4 * THREADS  # every server thread holds a connection
    database.stop()
    database.start()
    assert _burst(base + PAGE, 4 * THREADS) == [200] * 4 * THREADS
    assert process.poll() is None
