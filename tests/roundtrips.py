"""Counting what a block of code sends to PostgreSQL, at the driver's connection.

libpq's protocol trace sees every message, BEGIN and COMMIT that psycopg sends on its own and the
row-level security settings that bypass Django's cursor included: a simple query is one `Query`
message, an extended-protocol one ends with one `Sync`; each is one round trip. A prepared statement's run
(a `Bind` of a named statement, with no `Parse`) is shown as `EXECUTE <name>`; its preparation, a round trip
of its own, as the statement's text.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections

_MESSAGE = re.compile(r"^\S*\s*F\s+\d+\s+(Query|Parse|Bind|Sync)\b\s*(.*)$")
_BOUND_STATEMENT = re.compile(r'^"[^"]*"\s+"([^"]+)"')


@dataclass
class RoundTrips:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_round_trips(using: str = DEFAULT_DB_ALIAS) -> Iterator[RoundTrips]:
    """The round trips made on `using`'s connection inside the block (it must stay open throughout)."""
    from psycopg import pq

    connection = connections[using]
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    result = RoundTrips()
    with tempfile.TemporaryFile("w+") as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            yield result
        finally:
            pgconn.untrace()
            trace.seek(0)
            parsed = trace.read()
    pending = ""
    for line in parsed.splitlines():
        match = _MESSAGE.match(line)
        if not match:
            continue
        kind, text = match.groups()
        if kind == "Query":
            result.statements.append(_sql(text))
        elif kind == "Parse":
            pending = _sql(text)
        elif kind == "Bind":
            if not pending and (named := _BOUND_STATEMENT.match(text.strip())):
                pending = f"EXECUTE {named.group(1)}"
        else:
            result.statements.append(pending)
            pending = ""


def _sql(text: str) -> str:
    # Query: "text"; Parse: "name" "text" parameter-types...
    text = text.strip()
    if text.startswith('"" "'):
        text = text[3:]
    return text[1:].rsplit('"', 1)[0].strip() if text.startswith('"') else text
