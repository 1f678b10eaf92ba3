"""The benchmarks' shared setup: their scratch database, its runtime role, manage.py and Django.

The benchmarks are run as scripts (`.venv/bin/python bench/<name>.py`), where Python puts `bench/` on the
path but not the repository's root; each of them puts the root there before importing this module (as
`bench.setup`, which also works under `python -m bench.<name>`).

Nothing here imports Django at import time: bench/pages.py measures from a process that stays a plain HTTP
client, and sets Django up only in the processes that need it (`setup_django`).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def database_name(url: str) -> str:
    """The database of `url`, refused (the run exits) unless a plain name containing "bench": it is dropped."""
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or "bench" not in name:
        sys.exit(f"refusing to drop and create {name!r}: the benchmark database's name must contain 'bench'")
    return name


def maintenance_url(url: str) -> str:
    """The same server, as the same user, on the `postgres` database (to drop and create the benchmark's)."""
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/postgres"))


def recreate_database(owner_url: str) -> None:
    """Drops the database of `owner_url` (whoever is connected) and creates it empty."""
    name = database_name(owner_url)
    with psycopg.connect(maintenance_url(owner_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(owner_url: str, app_role: str) -> None:
    """Drops the database of `owner_url` and the runtime role `app_role` (kept if it still owns anything)."""
    name = database_name(owner_url)
    with psycopg.connect(maintenance_url(owner_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        with contextlib.suppress(psycopg.Error):
            conn.execute(f'DROP ROLE IF EXISTS "{app_role}"')


def app_url(owner_url: str, password: str, app_role: str) -> str:
    """`owner_url` connected as the runtime role `app_role` instead (row-level security applies to it)."""
    parts = urllib.parse.urlsplit(owner_url)
    netloc = f"{app_role}:{urllib.parse.quote(password, safe='')}@{parts.hostname}:{parts.port or 5432}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def manage(env: dict[str, str], *arguments: str) -> str:
    """Runs `manage.py <arguments>` in a process of its own with `env`; exits the run if it fails. Its output."""
    done = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [PYTHON, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def setup_django(*, quiet_info: bool = True) -> None:
    """Django in this process, with the settings the environment names (DATABASE_URL: as whom it connects)."""
    import django

    sys.path.insert(0, str(ROOT))
    from portal.env import settings_module

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
    django.setup()
    if quiet_info:
        import logging

        logging.disable(logging.INFO)  # the fan-out and unscoped reads log each call at INFO


@contextlib.contextmanager
def process_group(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """`command` (a server, a worker) in a process group of its own, its output in `log`; stopped whole when the
    block ends, whatever happens (SIGTERM, then SIGKILL after 15 s)."""
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 (the benchmarks' own commands, from the virtualenv)
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
