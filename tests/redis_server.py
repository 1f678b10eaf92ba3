"""A throwaway redis-server for tests that stop Redis in the middle (tests/test_redis_outage.py,
tests/outreach/test_redis_outage.py): on a free port of 127.0.0.1, without persistence, started and killed by
the test. Tests that use it skip when redis-server is not installed, except under CI (`skip_without_redis_server`)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest
import redis

REDIS_SERVER = shutil.which("redis-server")


def skip_without_redis_server() -> None:
    """Skip the calling test module when redis-server is missing; under CI (CI=true) it must be there."""
    if REDIS_SERVER is None and os.environ.get("CI", "").lower() != "true":
        pytest.skip("needs redis-server (always run under CI)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayRedis:
    """A redis-server on a free port, without persistence, that a test can stop and start again (on the same
    port, empty: what a Redis without persistence is after a restart)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [REDIS_SERVER or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        try:
            while True:
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
