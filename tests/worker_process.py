"""A real Celery worker in its own process, on the test database and the Redis broker, that a test can kill.

`start_worker` (celery.contrib.testing) runs a worker in a thread of the test process: it cannot be
SIGKILLed without killing the test. The reliability tests need the real thing: a `celery worker` process,
connected to the test database as the suite's own role, consuming the broker the test sends to, killed
with SIGKILL in the middle of its work and started again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        handle = open(self.log, "ab")  # noqa: SIM115 - closed when the process is reaped
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool=solo",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        handle.close()

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement of the task in hand, nothing flushed."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@contextmanager
def worker_process(tmp_path: Path, **extra_env: str) -> Iterator[WorkerProcess]:
    """A worker process on this test's database (committed data: use a transactional test) and broker.

    The worker uses the test settings with tasks really queued, e-mail written to files under
    `tmp_path/mail` (Django's file backend), SMS and WhatsApp under `tmp_path/outreach`.
    """
    assert settings.REDIS_URL, "a worker process needs REDIS_URL (the broker)"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "PORTAL_TEST_MAIL_DIR": str(tmp_path / "mail"),
        "OUTREACH_FILE_DIR": str(tmp_path / "outreach"),
        "PYTHONUNBUFFERED": "1",
        **extra_env,
    }
    (tmp_path / "mail").mkdir(exist_ok=True)
    worker = WorkerProcess(env, tmp_path / "worker.log")
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()


def wait_until(condition: Callable[[], bool], *, timeout: float, interval: float = 0.2, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what or condition}")


def mail_files_messages(directory: Path) -> list[str]:
    """The messages Django's file e-mail backend wrote: one file per connection, messages separated by a line
    of 79 dashes after each."""
    separator = "\n" + "-" * 79 + "\n"
    messages: list[str] = []
    for path in sorted(directory.glob("*.log")):
        messages += [part for part in path.read_text(errors="replace").split(separator) if part.strip()]
    return messages
