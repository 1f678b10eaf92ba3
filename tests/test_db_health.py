"""The kept connection's health check (apps.tenants.backends.postgresql.DatabaseWrapper.is_usable): no round trip
while the server holds the connection, and a connection the server ended is found unusable and closed, so the
request opens a new one instead of failing on it. tests/test_postgres_restart.py covers a whole restart."""

from __future__ import annotations

import os
import select
import time

import pytest
from django.db import connection, connections
from django.db.backends.postgresql import base as django_postgresql

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("postgres" not in os.environ.get("DATABASE_URL", ""), reason="PostgreSQL's backend"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def kept():
    """A second connection to the test database, as a request's would be kept between requests."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


@pytest.fixture
def round_trips(monkeypatch):
    """Counts the checks that went to the server (Django's `SELECT 1`)."""
    calls = []
    original = django_postgresql.DatabaseWrapper.is_usable

    def counted(self):
        calls.append(self)
        return original(self)

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", counted)
    return calls


def test_a_connection_the_server_holds_is_usable_without_a_round_trip(kept, round_trips):
    assert kept.is_usable()
    assert round_trips == []
    kept.health_check_done = False
    kept.close_if_health_check_failed()
    assert kept.connection is not None and round_trips == []


def test_a_connection_in_a_transaction_takes_django_s_check(kept, round_trips):
    kept.connection.execute("BEGIN")
    assert kept.is_usable()
    assert round_trips == [kept]
    kept.connection.execute("ROLLBACK")


def test_a_connection_the_server_ended_is_closed_and_the_next_query_reconnects(kept, round_trips):
    pid = kept.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone() == (True,)
    deadline = time.monotonic() + 5
    while not select.select([kept.connection.fileno()], [], [], 0.1)[0]:
        assert time.monotonic() < deadline, "the server's goodbye never arrived"
    assert not kept.is_usable()
    assert round_trips == [kept]  # a readable socket: Django's check decided
    kept.health_check_done = False
    kept.close_if_health_check_failed()
    assert kept.connection is None
    with kept.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


@pytest.mark.parametrize(
    "literal",
    [
        "2026-12-07 11:59:44.123456+00",
        "2026-12-07 11:59:44+00",
        "2026-12-07 11:59:44.1+00",
        "0099-01-01 00:00:00+00",
        "2026-03-29 01:30:00+02:00",  # another offset: the session's zone turns it to UTC
        "4713-01-01 00:00:00+00 BC",
    ],
)
def test_timestamps_are_read_as_django_s_own_loader_reads_them(literal):
    """apps.tenants.backends.postgresql.IsoTimestamptzLoader against Django's loader, on the same connection."""
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    from apps.tenants.backends.postgresql.base import IsoTimestamptzLoader

    connection.ensure_connection()
    raw = connection.connection
    assert issubclass(raw.adapters.get_loader(1184, 0), IsoTimestamptzLoader)  # 1184: timestamptz, text

    def read(sql):
        with raw.cursor() as cursor:
            try:
                return ("value", cursor.execute(sql, [literal]).fetchone()[0])
            except Exception as error:
                return ("error", type(error))

    ours = read("SELECT %s::timestamptz")
    with raw.cursor() as cursor:
        register_tzloader(connection.timezone, cursor)
        try:
            django_s = ("value", cursor.execute("SELECT %s::timestamptz", [literal]).fetchone()[0])
        except Exception as error:
            django_s = ("error", type(error))
    assert ours == django_s
    if ours[0] == "value":
        assert ours[1].tzinfo is django_s[1].tzinfo
