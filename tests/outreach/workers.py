"""Real Celery workers in processes of their own (tests.outreach.worker_process), for the tests that kill one
or the Redis under it, and what they wrote."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import connection

from apps.registry.models import Msme


class Worker:
    def __init__(self, mail_dir: Path, file_dir: Path, *, log: Path | None = None, **env: str) -> None:
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        # The test database, as the role the tests connect as (row-level security applies to the worker too).
        url = f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "OUTREACH_TEST_MAIL_DIR": str(mail_dir),
            "OUTREACH_FILE_DIR": str(file_dir),
            **env,
        }
        self.log = log  # the worker's own log (stderr), kept to read after a failure; else dropped
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.outreach.worker_process"],
            env=self.env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=open(self.log, "ab") if self.log is not None else subprocess.DEVNULL,  # noqa: SIM115
        )
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def written_references(mail_dir: Path) -> Counter:
    """How many e-mails Django's file backend wrote to `mail_dir` for each delivery (X-Outreach-Reference)."""
    found: Counter = Counter()
    for path in mail_dir.glob("*.log"):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("X-Outreach-Reference:"):
                found[line.split(":", 1)[1].strip()] += 1
    return found


def bulk_msmes(count: int, *, prefix: str = "Bulk", consenting_every: int = 10) -> int:
    """`count` MSMEs of the active tenant, each with an e-mail address; every `consenting_every`-th has no
    consent. Returns how many consent."""
    slug = prefix.lower()
    rows = [
        Msme(
            name=f"{prefix} {n:05d}",
            registration_number=f"{prefix.upper()}-{n:06d}",
            sector_isic_id="1079",
            sector_section="C",
            employees=3,
            size_class="micro",
            email=f"{slug}{n:05d}@example.org",
            consent_outreach=n % consenting_every != 0,
        )
        for n in range(count)
    ]
    Msme.objects.bulk_create(rows, batch_size=2000)
    return sum(1 for row in rows if row.consent_outreach)
