"""The MSME import: every kind of bad input gets its own test; good rows are kept; nothing half-applies."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from apps.registry.export import csv_rows
from apps.registry.importing.reader import FileRejected
from apps.registry.importing.service import msme_import
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = "name,registration_number,sector_isic,employees"
TODAY = date(2026, 11, 24)


def run(tenant, text: str | bytes, *, file_name="msmes.csv", **options):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return msme_import(tenant=tenant, stream=io.BytesIO(data), file_name=file_name, today=TODAY, **options)


def stored(tenant) -> dict[str, Msme]:
    with tenant_context(tenant):
        return {m.registration_number: m for m in Msme.objects.all()}


def errors_of(result) -> list[tuple[int, str]]:
    return [(e.line, e.column) for e in result.errors]


def test_good_rows_are_created_with_size_class_and_section(tenant_a):
    result = run(tenant_a, f"{HEADER},annual_turnover_eur\nLoom Ltd,R1,1392,4,150000\nBig Co,R2,C,400,\n")
    assert result.summary() == "created 2, updated 0, skipped 0, failed 0"
    rows = stored(tenant_a)
    assert rows["R1"].size_class == "micro" and rows["R1"].sector_section == "C"
    assert rows["R2"].size_class == "large" and rows["R2"].sector_isic_id == "C"


def test_utf8_with_bom(tenant_a):
    result = run(tenant_a, "\ufeff" + HEADER + "\nCafé Ñandú,R1,5610,3\n")
    assert result.created == 1
    assert stored(tenant_a)["R1"].name == "Café Ñandú"


def test_windows_1252_file(tenant_a):
    result = run(tenant_a, (HEADER + "\nCafé Münster \u2013 Öl,R1,5610,3\n").encode("cp1252"))
    assert result.created == 1 and result.failed == 0
    assert stored(tenant_a)["R1"].name == "Café Münster \u2013 Öl"


def test_latin1_bytes_undefined_in_cp1252(tenant_a):
    result = run(tenant_a, (HEADER + "\nAbc\x81,R1,5610,3\n").encode("latin-1"))
    assert result.created == 1


def test_utf16_is_refused_with_a_reason(tenant_a):
    with pytest.raises(FileRejected, match="UTF-16"):
        run(tenant_a, (HEADER + "\nA,R1,C,1\n").encode("utf-16"))


def test_semicolons_and_decimal_comma(tenant_a):
    result = run(tenant_a, "name;registration_number;sector_isic;employees;annual_turnover_eur\nA;R1;C;5;1234,50\n")
    assert result.created == 1
    assert str(stored(tenant_a)["R1"].annual_turnover_eur) == "1234.50"


def test_column_order_and_case_are_free(tenant_a):
    result = run(tenant_a, "Employees,SECTOR_ISIC,Registration_Number,Name\n5,C,R1,Acme\n")
    assert result.created == 1


def test_missing_required_column_refuses_the_file(tenant_a):
    with pytest.raises(FileRejected, match="missing required columns: employees"):
        run(tenant_a, "name,registration_number,sector_isic\nA,R1,C\n")
    assert stored(tenant_a) == {}


def test_unknown_column_refuses_the_file_naming_it(tenant_a):
    with pytest.raises(FileRejected, match="unknown columns: colour"):
        run(tenant_a, f"{HEADER},colour\nA,R1,C,1,red\n")
    assert stored(tenant_a) == {}


def test_repeated_column_refuses_the_file(tenant_a):
    with pytest.raises(FileRejected, match="repeated columns: name"):
        run(tenant_a, f"{HEADER},name\nA,R1,C,1,B\n")


def test_empty_file(tenant_a):
    with pytest.raises(FileRejected, match="empty"):
        run(tenant_a, "")


def test_header_only(tenant_a):
    result = run(tenant_a, HEADER + "\n")
    assert result.summary() == "created 0, updated 0, skipped 0, failed 0"


def test_blank_lines_are_skipped_and_line_numbers_stay_true(tenant_a):
    result = run(tenant_a, f"{HEADER}\n\nA,R1,C,1\n   \n,,,\nB,R2,C,-1\n")
    assert result.created == 1
    assert errors_of(result) == [(6, "employees")]


def test_multiline_quoted_cell_keeps_line_numbers(tenant_a):
    result = run(tenant_a, f'{HEADER}\n"Two\nlines",R1,C,1\nB,R2,C,x\n')
    assert result.created == 1
    assert errors_of(result) == [(4, "employees")]


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ("A,R1,C,many", "employees", "not a whole number"),
        ("A,R1,C,2.5", "employees", "not a whole number"),
        ("A,R1,C,-3", "employees", "cannot be negative"),
        ("A,R1,9999,3", "sector_isic", "not an ISIC Rev.4"),
        ("A,R1,Z,3", "sector_isic", "not an ISIC Rev.4"),
        (",R1,C,3", "name", "is required"),
        ("A,,C,3", "registration_number", "is required"),
        ("A,R1,,3", "sector_isic", "is required"),
    ],
)
def test_bad_required_cells(tenant_a, cells, column, reason):
    result = run(tenant_a, f"{HEADER}\n{cells}\nGood,R9,C,1\n")
    assert result.failed == 1 and result.created == 1
    assert [(e.line, e.column) for e in result.errors] == [(2, column)]
    assert reason in result.errors[0].reason


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("annual_turnover_eur", "lots", "not a number"),
        ("annual_turnover_eur", "-10", "cannot be negative"),
        ("email", "not-an-email", "not a valid e-mail"),
        ("email", "a" * 250 + "@example.org", "longer than 254 characters"),
        ("exports", "maybe", "not a yes/no value"),
        ("consent_outreach", "si", "not a yes/no value"),
        ("preferred_language", "xx", "not an ISO 639-1"),
        ("preferred_language", "english", "not an ISO 639-1"),
        ("preferred_channel", "fax", "not a channel"),
        ("founded_year", "2031", "in the future"),
        ("founded_year", "nineteen", "not a year"),
        ("region", "Atlantis", "not a region"),
        ("phone", "call me", "not a phone number"),
        ("website", "not a site", "not a web address"),
    ],
)
def test_bad_optional_cells(tenant_a, column, value, reason):
    result = run(tenant_a, f"{HEADER},{column}\nA,R1,C,3,{value}\nGood,R9,C,1,\n")
    assert result.failed == 1 and result.created == 1
    assert errors_of(result) == [(2, column)]
    assert reason in result.errors[0].reason


def test_every_bad_cell_of_a_row_is_reported(tenant_a):
    result = run(tenant_a, f"{HEADER},email,exports\nA,R1,C,-1,bad,maybe\n")
    assert errors_of(result) == [(2, "employees"), (2, "email"), (2, "exports")]


@pytest.mark.parametrize("value", ["true", "YES", "1", "y"])
def test_booleans_true(tenant_a, value):
    run(tenant_a, f"{HEADER},exports\nA,R1,C,1,{value}\n")
    assert stored(tenant_a)["R1"].exports is True


@pytest.mark.parametrize("value", ["false", "No", "0", "n"])
def test_booleans_false(tenant_a, value):
    run(tenant_a, f"{HEADER},exports\nA,R1,C,1,{value}\n")
    assert stored(tenant_a)["R1"].exports is False


def test_region_by_code_or_name(tenant_a):
    # tenant_a is in Kenya: KE-30 is Nairobi City.
    run(tenant_a, f"{HEADER},region\nA,R1,C,1,KE-30\nB,R2,C,1,nairobi city\n")
    rows = stored(tenant_a)
    assert rows["R1"].region == rows["R2"].region == "KE-30"


def test_duplicate_in_the_file_fails_the_later_row(tenant_a):
    result = run(tenant_a, f"{HEADER}\nFirst,R1,C,1\nSecond,R1,C,2\n")
    assert result.created == 1 and result.failed == 1
    assert errors_of(result) == [(3, "registration_number")]
    assert "line 2" in result.errors[0].reason
    assert stored(tenant_a)["R1"].name == "First"


def test_duplicate_in_the_store_is_skipped_by_default(tenant_a):
    run(tenant_a, f"{HEADER}\nOld name,R1,C,1\n")
    result = run(tenant_a, f"{HEADER}\nNew name,R1,C,1\n")
    assert result.summary() == "created 0, updated 0, skipped 1, failed 0"
    assert stored(tenant_a)["R1"].name == "Old name"


def test_duplicate_in_the_store_is_updated_on_request_keeping_empty_cells(tenant_a):
    run(tenant_a, f"{HEADER},email,annual_turnover_eur\nOld,R1,C,5,old@example.org,100\n")
    result = run(tenant_a, f"{HEADER},email,annual_turnover_eur\nNew,R1,C,60,,\n", on_duplicate="update")
    assert result.summary() == "created 0, updated 1, skipped 0, failed 0"
    msme = stored(tenant_a)["R1"]
    assert (msme.name, msme.employees, msme.email, str(msme.annual_turnover_eur)) == (
        "New",
        60,
        "old@example.org",
        "100.00",
    )
    assert msme.size_class == "medium"  # recomputed from the new staff count


def test_an_update_never_half_applies(tenant_a):
    run(tenant_a, f"{HEADER},email\nOld,R1,C,5,old@example.org\n")
    result = run(tenant_a, f"{HEADER},email\nNew,R1,C,7,not-an-email\n", on_duplicate="update")
    assert result.failed == 1 and result.updated == 0
    msme = stored(tenant_a)["R1"]
    assert (msme.name, msme.employees, msme.email) == ("Old", 5, "old@example.org")


def test_import_only_touches_its_own_tenant(tenant_a, tenant_b):
    run(tenant_b, f"{HEADER}\nTheirs,R1,C,1\n")
    result = run(tenant_a, f"{HEADER}\nOurs,R1,C,1\n")
    assert result.created == 1
    assert stored(tenant_b)["R1"].name == "Theirs" and stored(tenant_a)["R1"].name == "Ours"


def test_dry_run_writes_nothing_but_counts(tenant_a):
    run(tenant_a, f"{HEADER}\nOld,R1,C,1\n")
    result = run(tenant_a, f"{HEADER}\nNew,R1,C,1\nOther,R2,C,1\nBad,R3,C,x\n", dry_run=True, on_duplicate="update")
    assert result.summary() == "created 1, updated 1, skipped 0, failed 1"
    assert set(stored(tenant_a)) == {"R1"} and stored(tenant_a)["R1"].name == "Old"
    assert [(p["line"], p["action"]) for p in result.preview] == [(2, "update"), (3, "create")]  # in file order


def test_formula_is_stored_as_text_and_neutralised_on_export(tenant_a):
    run(tenant_a, f'{HEADER}\n"=HYPERLINK(""http://x"",""y"")",R1,C,1\n+cmd,R2,C,1\n')
    rows = stored(tenant_a)
    assert rows["R1"].name == '=HYPERLINK("http://x","y")'
    exported = list(csv_rows(sorted(rows.values(), key=lambda m: m.registration_number)))
    names = [row[0] for row in exported[1:]]
    assert names == ['\'=HYPERLINK("http://x","y")', "'+cmd"]


def test_import_is_audited(tenant_a, django_user_model):
    run(tenant_a, f"{HEADER}\nA,R1,C,1\n")
    with tenant_context(tenant_a):
        (event,) = AuditEvent.objects.all()
        msme = Msme.objects.get(registration_number="R1")
    # one event for the job, which the created row links to
    assert (event.action, event.changes["created"], msme.created_by_import_id) == ("import", 1, event.pk)


def test_batches_larger_than_one(tenant_a):
    lines = "\n".join(f"Company {i},N{i},C,{i % 300}" for i in range(25))
    result = run(tenant_a, f"{HEADER}\n{lines}\nBad,N3,C,1\n", batch_size=10)
    assert result.created == 25 and result.failed == 1
    assert errors_of(result) == [(27, "registration_number")]


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_file(tenant_a):
    data = _xlsx(
        [
            ["name", "registration_number", "sector_isic", "employees", "exports"],
            ["Acme", "R1", "C", 12, "yes"],
            [None, None, None, None, None],
            ["Bad", "R2", "C", -1, "no"],
        ]
    )
    result = run(tenant_a, data, file_name="msmes.xlsx")
    assert result.created == 1 and errors_of(result) == [(4, "employees")]
    assert stored(tenant_a)["R1"].employees == 12


def test_xlsx_unknown_column(tenant_a):
    with pytest.raises(FileRejected, match="unknown columns: colour"):
        run(
            tenant_a, _xlsx([["name", "registration_number", "sector_isic", "employees", "colour"]]), file_name="a.xlsx"
        )


def test_broken_xlsx(tenant_a):
    with pytest.raises(FileRejected, match="not a readable XLSX"):
        run(tenant_a, b"PK\x03\x04 not really a zip", file_name="a.xlsx")


def test_command_prints_the_counts_and_writes_the_report(tenant_a, tmp_path, capsys):
    source = tmp_path / "msmes.csv"
    source.write_text(f"{HEADER}\nA,R1,C,1\nB,R2,C,-1\n", encoding="utf-8")
    report = tmp_path / "report.csv"
    call_command("import_msmes", str(source), "--tenant", tenant_a.slug, "--report", str(report))
    assert "created 1, updated 0, skipped 0, failed 1" in capsys.readouterr().out
    with report.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["line", "column", "reason", "registration_number"]
    assert rows[1][:2] == ["3", "employees"] and rows[1][3] == "R2"


def test_command_dry_run_and_errors(tenant_a, tmp_path, capsys):
    source = tmp_path / "msmes.csv"
    source.write_text(f"{HEADER}\nA,R1,C,1\n", encoding="utf-8")
    call_command("import_msmes", str(source), "--tenant", tenant_a.slug, "--dry-run")
    assert "dry run: created 1" in capsys.readouterr().out
    assert stored(tenant_a) == {}
    with pytest.raises(CommandError, match="No tenant"):
        call_command("import_msmes", str(source), "--tenant", "nope")
    with pytest.raises(CommandError, match="No file"):
        call_command("import_msmes", str(tmp_path / "missing.csv"), "--tenant", tenant_a.slug)
    (tmp_path / "bad.csv").write_text("name,colour\n", encoding="utf-8")
    with pytest.raises(CommandError, match="unknown columns"):
        call_command("import_msmes", str(tmp_path / "bad.csv"), "--tenant", tenant_a.slug)
