"""The import on PostgreSQL: raw cells are COPY'd into a staging table and checked there in SQL.

Python reads the file (any encoding or delimiter, or XLSX, with true line numbers) and streams each
row's trimmed cells into a temporary table with COPY: no object per row, no full file in memory. The
file is read in a thread of its own, a chunk ahead of the database's work (_ChunkReader).
One statement then keeps the rows whose every cell passes a strict fast check: each check accepts
a subset of what validation.py's cleaner accepts and gives the same value. The few rows it does not
keep go through that cleaner, which stays the one authority: it words every error, and it rescues
unusual but valid cells ("1e3" staff, a web address with a port). Duplicates in the file, rows
already stored and the new MSMEs (each linked to the import's event: no audit row per created MSME) are
then each one set-based statement, in one transaction per chunk. (COPY cannot write into registry_msme
itself: it has row-level security.)
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.db.models.sql import Query
from django.utils import timezone, translation

from apps.core import audit
from apps.registry import rules
from apps.registry.importing import columns, validation
from apps.registry.importing.reader import RowSource
from apps.registry.importing.result import PREVIEW_ROWS, ImportResult, RowError, cell_errors, duplicate_error
from apps.registry.importing.validation import CleanRow, RowCleaner
from apps.registry.importing.writer import update_rows
from apps.registry.models import Msme
from apps.registry.sizing import size_class_sql
from apps.tenants.models import Tenant

# The cleaned values' SQL types (the staging table of raw cells is all text).
_TYPES = {
    "employees": "integer",
    "annual_turnover_eur": "numeric(16,2)",
    "founded_year": "smallint",
    **dict.fromkeys(columns.BOOLEAN, "boolean"),
}
_COLUMNS = ", ".join(columns.ALL)

# Each column's fast check: an SQL expression of the trimmed cell {c} (NULL when empty) that gives
# the cleaned value, or NULL when the check does not accept the cell (the cleaner then decides).
# {lower} and {upper} change ASCII letters only: a cell they map onto one of the ASCII keys below (codes,
# yes/no words) is ASCII itself, and Python's lower() and upper() map it in the same way.
# PostgreSQL's regular expressions are slow with bounded repeats ({0,61}): the e-mail and web address
# checks use plain ones and accept only host names of at most 63 characters, so that no label is
# longer than DNS allows (63), as Django's validators require.
_EMAIL = r"^[A-Za-z0-9_+-]+(\.[A-Za-z0-9_+-]+)*@([A-Za-z0-9]+[.-])*[A-Za-z0-9]+\.[A-Za-z][A-Za-z]+$"
_URL = r"^https?://([A-Za-z0-9]+[.-])*[A-Za-z0-9]+\.[A-Za-z][A-Za-z]+([/?#][!-~]*)?$"
_WEB = "(CASE WHEN strpos({c}, '://') > 0 THEN {c} ELSE 'https://' || {c} END)"
_ISIC = "upper(replace({c}, '.', '') COLLATE \"C\")"
_CHECKS = {
    "name": "CASE WHEN length({c}) <= 200 THEN {c} END",
    "registration_number": "CASE WHEN length({c}) <= 64 THEN {c} END",
    "sector_isic": f"CASE WHEN %(isic)s::jsonb ? {_ISIC} THEN {_ISIC} END",
    # the rules' bounds (apps.registry.rules) as parameters; a nested CASE, as SQL may evaluate an AND in any order
    "employees": "CASE WHEN {c} ~ '^[0-9]{1,7}$' THEN CASE WHEN {c}::integer <= %(max_employees)s "
    "THEN {c}::integer END END",
    "annual_turnover_eur": "CASE WHEN {c} ~ '^[0-9]{1,14}([.,][0-9]{1,2})?$' "
    "THEN replace({c}, ',', '.')::numeric(16,2) END",
    "region": "CASE WHEN {c} ~ '^[ -~]+$' "
    "THEN coalesce(%(regions)s::jsonb ->> {upper}, %(regions)s::jsonb ->> {lower}) END",
    "founded_year": "CASE WHEN {c} ~ '^[0-9][0-9][0-9][0-9]$' "
    "THEN CASE WHEN {c}::smallint BETWEEN %(founded_from)s AND %(year)s THEN {c}::smallint END END",
    "email": "CASE WHEN length({c}) <= 254 AND length(split_part({c}, '@', 2)) <= 63 AND {c} ~ %(email)s "
    "THEN {lower} END",
    # validation.py's phone pattern, its bounded repeat as a length
    "phone": r"CASE WHEN {c} ~ '^\+?[0-9 ()./-]*$' AND length(ltrim({c}, '+')) BETWEEN 5 AND 32 THEN {c} END",
    # the host (up to the first / ? or #) has at most 63 characters: surely when the whole address has 71
    "website": f"CASE WHEN length({_WEB}) <= 200 AND {_WEB} ~ %(url)s AND (length({_WEB}) <= 71 "
    f"OR strpos(translate(substr({_WEB}, strpos({_WEB}, '://') + 3), '?#', '//') || '/', '/') <= 64) THEN {_WEB} END",
    "preferred_language": "CASE WHEN %(languages)s::jsonb ? {lower} THEN {lower} END",
    "preferred_channel": "CASE WHEN %(channels)s::jsonb ? {lower} THEN {lower} END",
    **dict.fromkeys(columns.BOOLEAN, "(%(booleans)s::jsonb ->> {lower})::boolean"),
}


def _check(name: str) -> str:
    sql = _CHECKS[name].replace("{lower}", 'lower({c} COLLATE "C")').replace("{upper}", 'upper({c} COLLATE "C")')
    return sql.replace("{c}", name)


_ACCEPTED = " AND ".join(
    f"v_{name} IS NOT NULL" if name in columns.REQUIRED else f"({name} IS NULL OR v_{name} IS NOT NULL)"
    for name in columns.ALL
)
_CHECK = f"""
    WITH checked AS (
        SELECT *, {", ".join(f"{_check(name)} AS v_{name}" for name in columns.ALL)}
        FROM import_raw
    ), kept AS (
        INSERT INTO import_clean (line, {_COLUMNS})
        SELECT line, {", ".join(f"v_{name}" for name in columns.ALL)} FROM checked WHERE {_ACCEPTED}
    )
    SELECT line, {_COLUMNS} FROM checked WHERE NOT ({_ACCEPTED}) ORDER BY line
"""  # noqa: S608 (built from the constants above, no input)

# The later of two rows with one registration number fails, also across chunks. import_seen holds each number's
# first line once, for the whole file; each staged row looks its number up there by the index, a subquery per
# row rather than a join, so that no plan reads all the numbers seen: each chunk costs the same, however many
# chunks came before it. Within the chunk, a window gives each number's first line.
_DUPLICATES = """
    WITH firsts AS (
        SELECT c.line, c.registration_number,
               coalesce((SELECT s.line FROM import_seen s WHERE s.registration_number = c.registration_number),
                        min(c.line) OVER (PARTITION BY c.registration_number)) AS first
        FROM import_clean c
    )
    DELETE FROM import_clean c USING firsts f WHERE c.line = f.line AND f.first < c.line
    RETURNING c.line, c.registration_number, f.first
"""
# Rows already stored: each staged row looks its number up in the (tenant, registration number) index, a
# subquery per row rather than a join, so that no plan reads the tenant's stored rows, which grow chunk by chunk.
_STORED_ID = (
    "(SELECT m.id FROM registry_msme m"
    " WHERE m.tenant_id = %(tenant)s AND m.registration_number = c.registration_number)"
)
_STORED = f"""
    DELETE FROM import_clean c WHERE {_STORED_ID} IS NOT NULL
    RETURNING {_STORED_ID}, c.line, {", ".join(f"c.{name}" for name in columns.ALL)}
"""  # noqa: S608 (built from the constants above, no input)


# The Msme fields an import works out from a row rather than reads from its cell, each as SQL of the staging row
# ({size_class}: sizing.size_class_sql). The fields columns.ALL names are read from the file; every other field
# of the model gets its default, so a new field needs a default (or null=True), a column, or a place here.
DERIVED = {
    "id": "gen_random_uuid()",
    "tenant": "%(tenant)s",
    "sector_section": "%(isic)s::jsonb ->> sector_isic",
    "size_class": "{size_class}",
    # as services.stamp_consent() stamps a consent given in an import
    "consent_given_at": "CASE WHEN consent_outreach THEN %(now)s END",
    "consent_source": "CASE WHEN consent_outreach THEN %(consent)s ELSE '' END",
    "verification": "%(verified)s",
    "created_at": "%(now)s",
    "updated_at": "%(now)s",
    # the import's event (apps.tenants.audit.import_batch): the created row's history, instead of an event per row
    "created_by_import": "%(batch)s",
}


def unfilled_fields() -> list[str]:
    """The Msme fields an import cannot fill (none, unless a field was added without thinking of imports).

    A field the file may leave empty takes the value a new Msme() has: its default, or '' for a text field. A
    field the import does not know of at all needs a default or null=True; and not one that must be unique,
    since one statement gives its default to every row.
    """
    unfilled = []
    for field in Msme._meta.concrete_fields:
        if field.name in DERIVED or field.name in columns.REQUIRED:
            continue
        if field.name in columns.OPTIONAL:
            filled = field.null or field.has_default() or field.has_db_default() or field.empty_strings_allowed
        else:
            filled = (field.null or field.has_default() or field.has_db_default()) and not field.unique
        if not filled:
            unfilled.append(field.name)
    return unfilled


def _default_sql(field: models.Field) -> str:
    """SQL of the field's default: its Python default as a parameter (see _default_params), or its db_default."""
    if field.has_default() or not field.has_db_default():
        return f"CAST(%(default_{field.attname})s AS {field.cast_db_type(connection)})"
    query = Query(Msme)
    expression = field._db_default_expression.resolve_expression(query, allow_joins=False, for_save=True)
    sql, params = query.get_compiler(connection=connection).compile(expression)
    # inlined once here, and escaped: the statement's own parameters are named (%(now)s)
    return f"({connection.ops.compose_sql(sql, params)})".replace("%", "%%")


def _default_params(fields: list[models.Field]) -> dict[str, Any]:
    """The defaults of the fields that take one, for one statement (a callable default is called once for it)."""
    return {f"default_{field.attname}": field.get_db_prep_save(field.get_default(), connection) for field in fields}


def insert_sql(size_class: str) -> tuple[str, list[models.Field]]:
    """The statement that stores the staged rows as new MSMEs, each linked to the import's event, as the ORM
    path writes them; and the fields whose default it takes as a parameter. Every concrete column of the model
    is listed."""
    unfilled = unfilled_fields()
    if unfilled:
        raise ImproperlyConfigured(
            f"The MSME import cannot fill {', '.join(unfilled)}: give the field a default or null=True, "
            "or fill it in apps/registry/importing (columns.py, sql_path.DERIVED)."
        )
    names, values, defaulted = [], [], []
    for field in Msme._meta.concrete_fields:
        names.append(connection.ops.quote_name(field.column))
        if field.name in DERIVED:
            values.append(DERIVED[field.name])
        elif field.name in columns.REQUIRED or (field.name in columns.OPTIONAL and field.null):
            values.append(field.name)
        else:
            if field.has_default() or not field.has_db_default():
                defaulted.append(field)
            default = _default_sql(field)
            values.append(f"coalesce({field.name}, {default})" if field.name in columns.OPTIONAL else default)
    statement = f"""
        INSERT INTO registry_msme ({", ".join(names)})
        SELECT {", ".join(values)}
        FROM import_clean
    """  # noqa: S608 (built from the model's fields and the constants above, no input)
    return statement.replace("{size_class}", size_class), defaulted


def _params(tenant: Tenant, cleaner: RowCleaner, actor: Any) -> dict[str, Any]:
    booleans = {**dict.fromkeys(validation.TRUE, True), **dict.fromkeys(validation.FALSE, False)}
    return {
        "tenant": tenant.pk,
        "isic": json.dumps(cleaner.isic_sections),
        "regions": json.dumps(cleaner.regions),
        "year": cleaner.today.year,
        "founded_from": rules.FOUNDED_FROM,
        "max_employees": rules.MAX_EMPLOYEES,
        "email": _EMAIL,
        "url": _URL,
        "languages": json.dumps(dict.fromkeys(validation.LANGUAGES, True)),
        "channels": json.dumps(dict.fromkeys(validation.CHANNELS, True)),
        "booleans": json.dumps(booleans),
        "consent": Msme.ConsentSource.IMPORT.value,
        "verified": Msme.Verification.VERIFIED.value,
        "actor": actor.pk if getattr(actor, "is_authenticated", False) else None,
        # the import's event (apps.tenants.audit.import_batch), which the created rows link to
        "batch": audit.current().batch_id,
    }


def run(
    tenant: Tenant,
    source: RowSource,
    cleaner: RowCleaner,
    result: ImportResult,
    *,
    on_duplicate: str,
    dry_run: bool,
    actor: Any,
    progress: Callable[[int, ImportResult], None] | None,
    batch_size: int,
) -> None:
    params = _params(tenant, cleaner, actor)
    size_class, size_params = size_class_sql("employees", "annual_turnover_eur", tenant)
    params.update(size_params)
    insert, defaulted = insert_sql(size_class)
    with connection.cursor() as cursor, _ChunkReader(source, cleaner, batch_size) as chunks:
        _create_tables(cursor)
        for chunk in chunks:
            result.rows += chunk.rows
            with transaction.atomic():
                errors = _stage(cursor, source.header, chunk, cleaner, params)
                _drop_duplicates(cursor, errors)
                updates, existing = _take_stored(cursor, on_duplicate, params["tenant"], result)
                _preview(cursor, result, updates)
                params["now"] = timezone.now()
                params.update(_default_params(defaulted))
                if dry_run:
                    cursor.execute("SELECT count(*) FROM import_clean")
                    result.created += cursor.fetchone()[0]
                    result.updated += len(updates)
                else:
                    cursor.execute(insert, params)
                    result.created += cursor.rowcount
                    update_rows(tenant, updates, existing, cleaner.isic_sections, params["actor"], params["now"])
                    result.updated += len(updates)
            result.failed += len({error.line for error in errors})
            for error in sorted(errors, key=lambda error: error.line):  # stable: a row's errors keep their order
                result.add_error(error)
            if progress:
                progress(result.rows, result)
        cursor.execute("DROP TABLE import_raw, import_clean, import_seen")


def _create_tables(cursor: Any) -> None:
    raw = ", ".join(f"{name} text" for name in columns.ALL)
    clean = ", ".join(f"{name} {_TYPES.get(name, 'text')}" for name in columns.ALL)
    cursor.execute("DROP TABLE IF EXISTS import_raw, import_clean, import_seen")
    cursor.execute(f"CREATE TEMPORARY TABLE import_raw (line integer, {raw})")
    cursor.execute(f"CREATE TEMPORARY TABLE import_clean (line integer, {clean})")
    cursor.execute("CREATE TEMPORARY TABLE import_seen (registration_number text PRIMARY KEY, line integer)")


@dataclasses.dataclass
class _Chunk:
    rows: int = 0  # rows read
    blocks: list[bytes] = dataclasses.field(default_factory=list)  # the rows SQL checks, as COPY text
    errors: list[RowError] = dataclasses.field(default_factory=list)  # rows refused before SQL sees them
    sent: Callable[[], None] = lambda: None  # called once its rows are in the staging table


_BLOCK_ROWS = 1000
_ESCAPED = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _prepare(rows: Iterable[tuple[int, dict[str, str]]], cleaner: RowCleaner) -> _Chunk:
    """Read one chunk of the file and write its rows' trimmed cells as COPY text (an empty cell as NULL)."""
    chunk, lines = _Chunk(), []
    max_cell = settings.IMPORT_MAX_CELL_CHARS
    for line, raw in rows:
        chunk.rows += 1
        joined = "".join(raw.values())
        # NUL: PostgreSQL text cannot hold it. A cell over the length limit is refused by the cleaner.
        if "__error__" in raw or "\x00" in joined or (len(joined) > max_cell and _long_cell(raw, max_cell)):
            chunk.errors += cell_errors(cleaner.clean(line, raw), raw)
            continue
        cells = [cell.strip() for cell in raw.values()]
        if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
            cells = [cell.translate(_ESCAPED) for cell in cells]
        lines.append(f"{line}\t" + "\t".join(cell or "\\N" for cell in cells) + "\n")
        if len(lines) == _BLOCK_ROWS:
            chunk.blocks.append("".join(lines).encode())
            lines = []
    if lines:
        chunk.blocks.append("".join(lines).encode())
    return chunk


class _ChunkReader:
    """The file's chunks, each read and prepared in a thread of its own while the database works on the one
    before: the import then takes about as long as the database's part, not the sum of both. The next chunk is
    read only once the one before is sent, so at most one waits: memory stays flat. The thread only reads and
    cleans (the cleaner needs no database)."""

    def __init__(self, source: RowSource, cleaner: RowCleaner, batch_size: int) -> None:
        self._rows = source.rows
        self._queue: queue.Queue[_Chunk | BaseException] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._unsent = threading.Semaphore(1)
        self._thread = threading.Thread(
            target=self._read, args=(cleaner, batch_size, translation.get_language()), daemon=True
        )

    def __enter__(self) -> Iterator[_Chunk]:
        self._thread.start()
        return self._chunks()

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        if hasattr(self._rows, "close"):
            self._rows.close()  # the reader's clean-up (its stream stays the caller's)

    def _read(self, cleaner: RowCleaner, batch_size: int, language: str | None) -> None:
        try:
            with translation.override(language):  # the errors' words, in the caller's language
                while not self._stop.is_set():
                    if not self._unsent.acquire(timeout=0.1):
                        continue
                    chunk = _prepare(itertools.islice(self._rows, batch_size), cleaner)
                    chunk.sent = self._unsent.release
                    self._put(chunk)
                    if not chunk.rows:
                        return  # the file is done
        except BaseException as exc:  # raised again in the caller's thread (FileRejected, ...)
            self._put(exc)

    def _put(self, item: _Chunk | BaseException) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _chunks(self) -> Iterator[_Chunk]:
        while True:
            item = self._queue.get()
            if isinstance(item, BaseException):
                raise item
            if not item.rows:
                return
            yield item


def _stage(
    cursor: Any, header: list[str], chunk: _Chunk, cleaner: RowCleaner, params: dict[str, Any]
) -> list[RowError]:
    """COPY the chunk's cells, keep what SQL accepts, clean the rest in Python; returns the rows' errors."""
    cursor.execute("TRUNCATE import_raw, import_clean")
    errors = list(chunk.errors)
    with cursor.cursor.copy(f"COPY import_raw (line, {', '.join(header)}) FROM STDIN") as copy:
        for block in chunk.blocks:
            copy.write(block)
    chunk.blocks.clear()
    chunk.sent()
    cursor.execute(_CHECK, params)
    rescued = []
    for line, *cells in cursor.fetchall():
        raw = {name: cell or "" for name, cell in zip(columns.ALL, cells, strict=True) if name in header}
        row = cleaner.clean(line, raw)
        if row.errors:
            errors += cell_errors(row, raw)
        else:
            rescued.append((line, *(row.values.get(name) for name in columns.ALL)))
    if rescued:
        with cursor.cursor.copy(f"COPY import_clean (line, {_COLUMNS}) FROM STDIN") as copy:
            for values in rescued:
                copy.write_row(values)
    return errors


def _long_cell(raw: dict[str, str], max_cell: int) -> bool:
    return any(len(cell.strip()) > max_cell for cell in raw.values())


def _drop_duplicates(cursor: Any, errors: list[RowError]) -> None:
    cursor.execute(_DUPLICATES)
    errors += [duplicate_error(line, number, first) for line, number, first in cursor.fetchall()]
    cursor.execute("INSERT INTO import_seen SELECT registration_number, line FROM import_clean")


def _take_stored(
    cursor: Any, on_duplicate: str, tenant_id: int, result: ImportResult
) -> tuple[list[CleanRow], dict[str, Any]]:
    """Take the rows already stored out of the staging table: skipped, or returned (with their ids) to update."""
    cursor.execute(_STORED, {"tenant": tenant_id})
    stored = cursor.fetchall()
    if on_duplicate == "skip":
        result.skipped += len(stored)
        return [], {}
    updates, existing = [], {}
    for msme_id, line, *values in sorted(stored, key=lambda row: row[1]):
        cells = zip(columns.ALL, values, strict=True)
        updates.append(CleanRow(line, {name: value for name, value in cells if value is not None}))
        existing[updates[-1].values["registration_number"]] = msme_id
    return updates, existing


def _preview(cursor: Any, result: ImportResult, updates: list[CleanRow]) -> None:
    if result.wants_preview():
        cursor.execute(
            "SELECT line, name, registration_number FROM import_clean ORDER BY line LIMIT %s", [PREVIEW_ROWS]
        )
        creates = cursor.fetchall()
        result.remember_preview(creates, ((r.line, r.values["name"], r.values["registration_number"]) for r in updates))
