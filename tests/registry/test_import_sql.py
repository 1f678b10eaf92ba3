"""PostgreSQL checks import rows in SQL (sql_path.py): it must store and report exactly what the Python cleaner does.

Each cell below is unusual, on a boundary or wrong; the same file goes once through the SQL path and
once through the Python path (into two tenants of one country), and the outcomes must be equal.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connection
from django.forms.models import model_to_dict
from django.utils import translation

from apps.registry.importing import service
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent
from tests.factories import TenantFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL path runs on PostgreSQL"),
]

COLUMNS = (
    "name,registration_number,sector_isic,employees,annual_turnover_eur,region,founded_year,email,phone,"
    "website,preferred_language,preferred_channel,exports,consent_outreach"
)
ROWS = [
    "Plain,R1,1392,4,150000,KE-30,1999,a@example.org,+254 700 000000,www.example.com,en,sms,yes,no",
    '  Spaces  , R2 ,c.,  12 ," 1 234,5 ",nairobi city,1800,A.B+c@Example.COM,(020) 1234,HTTP://Example.com,EN,SMS,Y,1',
    "Exponent,R3,13.92,1e3,1.005,ke-30,2026,x@localhost,12345,https://example.com:8080/a?b#c,fr,email,n,true",
    'Comma,R4,C,5.0,"1,234",KE-30,,a@b.co,,example.com/path,,,,',
    "BadMail,R5,C,1,,,,a@b.c,,,,,,",
    "BadYear,R6,C,1,,,2031,,,,,,,",
    "Early,R7,C,1,,,1799,,,,,,,",
    "BadSite,R8,C,1,,,,,,ftp://example.com,,,,",
    "Long,R9,C,10000000,99999999999999.99,,,,,,,,,",
    "TooMany,R10,C,10000001,,,,,,,,,,",
    "Neg,R11,C,-1,-5,Atlantis,year,bad,call me,not a site,english,fax,maybe,si",
    "Plain again,R1,C,1,,,,,,,,,,",
    ",,,,,,,,,,,,,",
    "Dash,R12,C,3,,,,a-b@x-y.example.org,+1234567890123456789012345678901,https://a--b.example.org,,,,",
    "Tld,R13,C,3,,,,a@b.c0m,,https://example.c,,,,",
    "Label,R14,C,3,,,,x@" + "a" * 64 + ".org,,,,,,",
    "Nbsp,R15,\u00a0C\u00a0,\u00a03\u00a0,,,,,,,,,,",
    "\u2003Em space\u2003,R16,C,3,,Nairobi City,,,,,SW,Post,NO,Yes",
    "Short row,R17,C",
    "Nul\x00,R18,C,1,,,,,,,,,,",
    "Dotted,R19,C,1,,,,,,,,,\u0130,",
    "Caf\u00e9 \u00d1and\u00fa,R20,C,2,,,,,,,,,,",
    "Long path,R21,C,2,,,," + "a" * 70 + "@example.org,,https://example.org/" + "p" * 150 + ",,,,",
    "Long host,R22,C,2,,,,,,https://" + "h" * 60 + ".example.org/x,,,,",
    "Too long,R23,C,2,,,,,,https://example.org/" + "p" * 190 + ",,,,",
    "Exponent,R24,C,1e1000000,1e1000000,,,,,,,,,",
    "Small exponent,R25,C,1e-999,1e-999,,,,,,,,,",
    "Odd numbers,R26,C,1_000,Infinity,,,,,,,,,",
    "Huge cell,R27,C,3,," + "Q" * 5000 + ",,,,,,,,",
    # each of apps.registry.rules' rules broken (or just kept), whose bounds the SQL checks take from there
    "Rule year early,R28,C,1,,,0999,,,,,,,",
    "Rule year next,R29,C,1,,,2027,,,,,,,",
    "Rule region abroad,R30,C,1,,PH-MGN,,,,,,,,",
    "Rule language,R31,C,1,,,,,,,xx,,,",
    "Rule staff bound,R32,C,9999999,,,,,,,,,,",
    "Rule staff over,R33,C,10000001,,,,,,,,,,",
    "Rule region by name,R34,C,1,,NAIROBI CITY,1800,,,,Sw,,,",
]


def _import(tenant, *, sql: bool, monkeypatch, text: str, **options):
    monkeypatch.setattr(service, "use_sql", lambda: sql)
    return service.msme_import(
        tenant=tenant,
        stream=io.BytesIO(text.encode("utf-8")),
        file_name="msmes.csv",
        today=date(2026, 11, 24),
        **options,
    )


def _stored(tenant) -> dict[str, dict]:
    skip = {"id", "tenant", "consent_given_at", "created_at", "updated_at"}
    with tenant_context(tenant):
        jobs = set(AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).values_list("id", flat=True))
        # each created row links to the event of the import that created it (no event of its own)
        rows = {
            m.registration_number: {**model_to_dict(m), "created_by_import": m.created_by_import_id in jobs}
            for m in Msme.objects.all()
        }
        numbers = dict(Msme.objects.values_list("id", "registration_number"))
        events = [(numbers[e.object_id], e.action, e.changes) for e in AuditEvent.objects.filter(batch__isnull=False)]
    for values in rows.values():
        for name in skip:
            values.pop(name, None)
    # consent_given_at is the time of the import: only whether it is set can match
    audit = sorted(
        repr((number, action, {k: bool(v) if k == "consent_given_at" else v for k, v in changes.items()}))
        for number, action, changes in events
    )
    return {"msmes": rows, "audit": audit}


def test_the_sql_path_stores_and_reports_what_the_python_cleaner_does(monkeypatch):
    text = COLUMNS + "\n" + "\n".join(ROWS) + "\n"
    by_sql, by_python = TenantFactory(country="KE"), TenantFactory(country="KE")
    sql = _import(by_sql, sql=True, monkeypatch=monkeypatch, text=text, batch_size=5)
    python = _import(by_python, sql=False, monkeypatch=monkeypatch, text=text, batch_size=5)
    assert sql.summary() == python.summary()
    assert sql.errors == python.errors
    assert sql.preview == python.preview
    assert _stored(by_sql) == _stored(by_python)
    assert (sql.created, sql.failed) == (13, 22)  # the file exercises both outcomes
    assert all(row["created_by_import"] for row in _stored(by_sql)["msmes"].values())


def test_updates_through_the_sql_path_match(monkeypatch):
    first = COLUMNS + "\nOld,R1,C,5,100,KE-30,1999,old@example.org,,,,,no,no\nKeep,R2,C,1,,,,,,,,,,\n"
    second = COLUMNS + "\nNew,R1,C,60,,,,,,,,,yes,yes\nKeep,R2,C,1,,,,,,,,,,\nFresh,R3,C,1,,,,,,,,,,\n"
    results = []
    for sql in (True, False):
        tenant = TenantFactory(country="KE")
        _import(tenant, sql=sql, monkeypatch=monkeypatch, text=first)
        result = _import(tenant, sql=sql, monkeypatch=monkeypatch, text=second, on_duplicate="update")
        results.append((result.summary(), result.preview, _stored(tenant)))
    assert results[0] == results[1]
    assert results[0][0] == "created 1, updated 2, skipped 0, failed 0"


@pytest.mark.parametrize("on_duplicate", ["skip", "update"])
def test_duplicates_across_chunks_are_reported_alike_on_both_paths(monkeypatch, on_duplicate):
    stored = COLUMNS + "\nStored,S1,C,1,,,,,,,,,,\n"
    rows = [
        "First,D1,C,1,,,,,,,,,,",  # line 2
        "Bad first,D2,C,x,,,,,,,,,,",  # 3: not valid, so not the first D2
        "Second,D2,C,2,,,,,,,,,,",  # 4
        "First again,D1,C,3,,,,,,,,,,",  # 5: repeats line 2, two chunks later
        "Stored again,S1,C,4,,,,,,,,,,",  # 6: already stored
        "Stored twice,S1,C,5,,,,,,,,,,",  # 7: repeats line 6
        "Second again,D2,C,6,,,,,,,,,,",  # 8: repeats line 4
        "First thrice,D1,C,7,,,,,,,,,,",  # 9: repeats line 2
        "Fresh,D3,C,8,,,,,,,,,,",  # 10
    ]
    text = COLUMNS + "\n" + "\n".join(rows) + "\n"
    outcomes = []
    for sql in (True, False):
        tenant = TenantFactory(country="KE")
        _import(tenant, sql=sql, monkeypatch=monkeypatch, text=stored)
        result = _import(tenant, sql=sql, monkeypatch=monkeypatch, text=text, batch_size=2, on_duplicate=on_duplicate)
        outcomes.append((result.summary(), result.errors, result.preview, _stored(tenant)))
    assert outcomes[0] == outcomes[1]
    summary, errors, _preview, _rows = outcomes[0]
    repeats = [(e.line, e.registration_number, e.reason) for e in errors if e.column == "registration_number"]
    assert repeats == [
        (5, "D1", "repeats the registration number of line 2"),
        (7, "S1", "repeats the registration number of line 6"),
        (8, "D2", "repeats the registration number of line 4"),
        (9, "D1", "repeats the registration number of line 2"),
    ]
    done = "updated 1, skipped 0" if on_duplicate == "update" else "updated 0, skipped 1"
    assert summary == f"created 3, {done}, failed 5"


def test_cells_with_backslashes_tabs_and_line_breaks_reach_the_database_unchanged(monkeypatch):
    rows = [
        "Back\\slash \\N,R1,C,1,,,,,,,,,,",
        '"Tab\there",R2,C,1,,,,,,,,,,',
        '"Two\nlines\r\nthree",R3,C,1,,,,,,,,,,',
        '"\\.",R4,C,1,,,,,,,,,,',
        '"Bad\tcount",R5,C,x,,,,,,,,,,',
    ]
    text = COLUMNS + "\n" + "\n".join(rows) + "\n"
    by_sql, by_python = TenantFactory(country="KE"), TenantFactory(country="KE")
    sql = _import(by_sql, sql=True, monkeypatch=monkeypatch, text=text, batch_size=2)
    python = _import(by_python, sql=False, monkeypatch=monkeypatch, text=text, batch_size=2)
    assert (sql.summary(), sql.errors) == (python.summary(), python.errors)
    assert _stored(by_sql) == _stored(by_python)
    names = {number: row["name"] for number, row in _stored(by_sql)["msmes"].items()}
    assert names == {"R1": "Back\\slash \\N", "R2": "Tab\there", "R3": "Two\nlines\r\nthree", "R4": "\\."}


def test_rows_refused_while_the_file_is_read_are_worded_in_the_callers_language(monkeypatch):
    # The file is read in a thread of its own on the SQL path: its errors keep the caller's language.
    text = COLUMNS + "\nNul\x00,R1,C,1,,,,,,,,,,\nOk,R2,C,1,,,,,,,,,,\n"
    with translation.override("fr"):
        sql = _import(TenantFactory(country="KE"), sql=True, monkeypatch=monkeypatch, text=text)
        python = _import(TenantFactory(country="KE"), sql=False, monkeypatch=monkeypatch, text=text)
        expected = str(ProhibitNullCharactersValidator.message)
    assert sql.errors == python.errors
    assert [error.reason for error in sql.errors] == [expected]
    assert expected != "Null characters are not allowed."


# A new Msme field must not break the SQL path (PostgreSQL only) while the Python path keeps working:
# the SQL path takes its columns from the model, and its defaults from the fields.


@pytest.fixture
def field_changed():
    """Change one Msme field's attributes for the test, then put them back (the model is shared)."""
    changed = []

    def change(name: str, **attributes):
        field = Msme._meta.get_field(name)
        changed.append((field, {key: getattr(field, key) for key in attributes}))
        for key, value in attributes.items():
            setattr(field, key, value)
        _uncache(field)
        return field

    yield change
    for field, attributes in changed:
        for key, value in attributes.items():
            setattr(field, key, value)
        _uncache(field)


def _uncache(field) -> None:
    for cached in ("_get_default", "_db_default_expression"):  # cached properties of the defaults
        field.__dict__.pop(cached, None)


def test_a_field_the_import_does_not_fill_gets_its_default_on_both_paths(monkeypatch, field_changed):
    field_changed("maturity_level", default=3)
    text = COLUMNS + "\nPlain,R1,C,4,,,,,,,,,,\n"
    by_sql, by_python = TenantFactory(country="KE"), TenantFactory(country="KE")
    _import(by_sql, sql=True, monkeypatch=monkeypatch, text=text)
    _import(by_python, sql=False, monkeypatch=monkeypatch, text=text)
    assert _stored(by_sql) == _stored(by_python)
    assert _stored(by_sql)["msmes"]["R1"]["maturity_level"] == 3
    assert all(row["created_by_import"] for row in _stored(by_sql)["msmes"].values())


def test_a_database_default_reaches_rows_created_by_the_sql_path(monkeypatch, field_changed):
    from django.db.models import Value

    field_changed("maturity_level", db_default=Value(4))
    tenant = TenantFactory(country="KE")
    _import(tenant, sql=True, monkeypatch=monkeypatch, text=COLUMNS + "\nPlain,R1,C,4,,,,,,,,,,\n")
    stored = _stored(tenant)
    assert stored["msmes"]["R1"]["maturity_level"] == 4
    assert stored["msmes"]["R1"]["created_by_import"] and stored["audit"] == []


def test_every_msme_field_is_filled_by_the_import_or_has_a_default():
    from apps.registry.importing import columns, sql_path

    for field in Msme._meta.concrete_fields:
        filled = field.name in columns.ALL or field.name in sql_path.DERIVED
        assert filled or field.has_default() or field.has_db_default() or field.null, field.name
    assert sql_path.unfilled_fields() == []


def test_a_field_without_a_value_is_named_before_any_row_is_written(monkeypatch, field_changed):
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from apps.registry.importing import sql_path

    field_changed("maturity_assessed_at", null=False)
    assert sql_path.unfilled_fields() == ["maturity_assessed_at"]
    with pytest.raises(SystemCheckError, match="maturity_assessed_at"):
        call_command("check", tags=["models"])
    tenant = TenantFactory(country="KE")
    with pytest.raises(ImproperlyConfigured, match="maturity_assessed_at"):
        _import(tenant, sql=True, monkeypatch=monkeypatch, text=COLUMNS + "\nPlain,R1,C,4,,,,,,,,,,\n")
    with tenant_context(tenant):
        assert not Msme.objects.exists()


def test_the_insert_lists_exactly_the_model_columns(monkeypatch):
    """The statement actually run: every concrete column of registry_msme, each once (none silently missed)."""
    import re

    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _import(TenantFactory(country="KE"), sql=True, monkeypatch=monkeypatch, text=COLUMNS + "\nP,R1,C,4,,,,,,,,,,\n")
    inserts = [q["sql"] for q in queries.captured_queries if "INSERT INTO registry_msme" in q["sql"]]
    assert len(inserts) == 1
    listed = [
        name.strip().strip('"')
        for name in re.search(r"INSERT INTO registry_msme \(([^)]*)\)", inserts[0])[1].split(",")
    ]
    assert sorted(listed) == sorted(field.column for field in Msme._meta.concrete_fields)
    assert len(set(listed)) == len(listed)
