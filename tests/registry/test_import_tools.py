"""The import's daily tools: the sample files, the file of rejected rows, the MSMEs an import created, and undo."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.core.roles import Role
from apps.registry import services
from apps.registry.importing import columns
from apps.registry.importing import service as importing
from apps.registry.importing.reader import open_rows
from apps.registry.importing.sample import example_rows
from apps.registry.importing.validation import RowCleaner, column_rules
from apps.registry.models import ImportJob, IsicCode, Msme
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent
from tests.factories import HelpdeskTicketFactory
from tests.registry.factories import ImportJobFactory, IpAssetFactory, MsmeMemberFactory
from tests.registry.test_import_flow import csv_file, job_of, upload, xlsx_file

pytestmark = pytest.mark.django_db

HEADER = "name,registration_number,sector_isic,employees,region"


@pytest.fixture
def agency(client, login_as, tenant_a):
    return login_as(Role.AGENCY_STAFF, tenant_a)


def _cleaner(country: str = "KE") -> RowCleaner:
    return RowCleaner(
        isic_sections=dict(IsicCode.objects.values_list("code", "section")), country=country, today=timezone.localdate()
    )


def _read_back(content: bytes, file_name: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """A file through the importer's own reader."""
    source = open_rows(io.BytesIO(content), file_name)
    return source.header, list(source.rows)


def _csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


# --- Sample files --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "file_name"), [("import-sample-csv", "sample.csv"), ("import-sample-xlsx", "s.xlsx")])
def test_the_sample_files_read_back_through_the_importer_with_valid_examples(client, agency, tenant_a, name, file_name):
    response = client.get(reverse(f"registry:{name}"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    header, rows = _read_back(response.content, file_name)
    assert header == list(columns.ALL)
    assert len(rows) == 2
    cleaner = _cleaner(tenant_a.country)
    for line, raw in rows:
        assert cleaner.clean(line, raw).errors == []
    # and the whole import (a preview) takes both rows
    result = importing.msme_import(
        tenant=tenant_a, stream=io.BytesIO(response.content), file_name=file_name, dry_run=True
    )
    assert (result.created, result.failed) == (2, 0)
    # every column is filled in one of the two examples
    assert all(any(raw[column] for _line, raw in rows) for column in columns.ALL)


def test_the_sample_workbook_lists_each_columns_allowed_values(client, agency, tenant_a):
    response = client.get(reverse("registry:import-sample-xlsx"))
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["MSMEs", "Allowed values", "ISIC Rev.4 codes"]
    allowed = list(workbook["Allowed values"].iter_rows(values_only=True))
    assert allowed[0][:3] == ("Column", "Required", "What it takes")
    described = {row[0]: row for row in allowed[1:] if row and row[0] in columns.ALL}
    assert list(described) == list(columns.ALL)
    assert {name for name, row in described.items() if row[1] == "yes"} == set(columns.REQUIRED)
    values = {row[3] for row in allowed[1:] if row and len(row) > 3}
    assert {"KE-30", "email", "whatsapp", "en", "yes", "0", "C"} <= values  # regions, channels, languages, ...
    codes = {row[0] for row in list(workbook["ISIC Rev.4 codes"].iter_rows(values_only=True))[1:]}
    assert codes == set(IsicCode.objects.values_list("code", flat=True))


def test_every_value_the_rules_list_is_one_the_importer_accepts():
    today = timezone.localdate()
    sections = list(IsicCode.objects.filter(level="section").values_list("code", "title"))
    for country in ("KE", "PH", "EG"):
        rules = column_rules(country=country, today=today, isic_sections=sections)
        assert [rule.name for rule in rules] == list(columns.ALL)
        assert [rule.name for rule in rules if rule.required] == list(columns.REQUIRED)
        cleaner = _cleaner(country)
        base = example_rows(country=country)[0]
        for rule in rules:
            assert rule.rule
            for value, _meaning in rule.choices:
                row = cleaner.clean(2, {**base, rule.name: value})
                assert row.errors == [], (country, rule.name, value)
        assert next(rule for rule in rules if rule.name == "region").choices  # each has regions


def test_the_examples_are_valid_in_a_country_without_regions():
    (first, second) = example_rows(country="AQ")  # Antarctica: no ISO 3166-2 subdivisions
    cleaner = _cleaner("AQ")
    assert cleaner.clean(2, first).errors == [] and cleaner.clean(3, second).errors == []


def test_the_upload_page_links_the_samples_and_lists_the_allowed_values(client, agency):
    page = client.get(reverse("registry:import")).content.decode()
    assert reverse("registry:import-sample-csv") in page and reverse("registry:import-sample-xlsx") in page
    table = page[page.index('id="import-allowed-values"') :]
    table = table[: table.index("</table>")]
    assert re.findall(r'<th scope="row"><code>(\w+)</code>', table) == list(columns.ALL)
    assert "<code>KE-30</code>" in table and "<code>whatsapp</code>" in table


# --- Rejected rows -------------------------------------------------------------------------------------------

CSV = (
    "name,registration_number,sector_isic,employees,region,phone\n"
    "Loom Ltd,R1,1392,4,KE-30,+254 20 1234567\n"
    "Bad Row,R2,QQ,3,,+254 700 000001\n"
    "Big Co,R3,C,400,,\n"
    "Worse Row,R4,C,-1,Atlantis,\n"
)


def test_the_rejected_rows_file_has_the_bad_rows_only_and_reimports_once_corrected(
    client, agency, tenant_a, django_capture_on_commit_callbacks
):
    preview = job_of(upload(client, django_capture_on_commit_callbacks, csv_file(CSV)))
    page = client.get(reverse("registry:import-job", args=[preview.pk])).content.decode()
    url = reverse("registry:import-rejected", args=[preview.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="msmes-rejected.csv"' in response["Content-Disposition"]
    header, *rows = _csv(response)
    assert header == ["name", "registration_number", "sector_isic", "employees", "region", "phone", "error"]
    # the rows as the file had them (a phone's + kept: the import reads it), and what is wrong with each
    assert [row[:-1] for row in rows] == [
        ["Bad Row", "R2", "QQ", "3", "", "+254 700 000001"],
        ["Worse Row", "R4", "C", "-1", "Atlantis", ""],
    ]
    assert rows[0][-1].startswith("line 3: sector_isic: ") and "ISIC" in rows[0][-1]
    assert rows[1][-1].startswith("line 5: employees: cannot be negative; region: ") and "Atlantis" in rows[1][-1]

    # corrected in place, error column and all, the file imports
    rows[0][2], rows[1][3], rows[1][4] = "C", "1", ""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    corrected = job_of(upload(client, django_capture_on_commit_callbacks, csv_file(buffer.getvalue(), "fixed.csv")))
    assert (corrected.status, corrected.created, corrected.failed) == ("done", 2, 0), corrected.message
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import-confirm", args=[corrected.pk]))
    job = job_of(response)
    assert (job.created, job.failed) == (2, 0)
    with tenant_context(tenant_a):
        assert Msme.objects.get(registration_number="R4").employees == 1


@pytest.mark.parametrize("sql", [True, False])
def test_a_file_with_an_error_column_imports_on_both_paths(tenant_a, monkeypatch, sql):
    if sql and connection.vendor != "postgresql":
        pytest.skip("the SQL path is PostgreSQL's")
    monkeypatch.setattr(importing, "use_sql", lambda: sql)
    text = f"error,{HEADER},phone\nline 3: no good,Loom,R1,1392,4,KE-30,+254 20 1234567\n,Weave,R2,C,3,,\n"
    result = importing.msme_import(tenant=tenant_a, stream=io.BytesIO(text.encode()), file_name="m.csv")
    assert (result.created, result.failed) == (2, 0), result.errors
    with tenant_context(tenant_a):
        assert Msme.objects.get(registration_number="R1").phone == "+254 20 1234567"


def test_a_workbooks_rejected_rows_come_as_csv(client, agency, tenant_a, django_capture_on_commit_callbacks):
    rows = [
        ["Name", "Registration_Number", "Sector_ISIC", "Employees"],
        ["Loom", "X1", "1392", 4],
        ["Bad", "X2", 1392, "lots"],
    ]
    preview = job_of(upload(client, django_capture_on_commit_callbacks, xlsx_file(rows)))
    response = client.get(reverse("registry:import-rejected", args=[preview.pk]))
    assert 'filename="msmes-rejected.csv"' in response["Content-Disposition"]
    assert _csv(response) == [
        ["name", "registration_number", "sector_isic", "employees", "error"],
        ["Bad", "X2", "1392", "lots", "line 3: employees: 'lots' is not a whole number"],
    ]


def test_rows_past_the_kept_errors_are_found_again(
    client, agency, tenant_a, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_ERRORS = 2
    text = (
        f"{HEADER}\n"
        "A,R1,QQ,3,\n"  # line 2: kept
        "B,R2,C,3,\n"
        "C,R3,C,-1,Atlantis\n"  # line 4: one error kept, one omitted
        "D,R2,C,3,\n"  # line 5: repeats line 3's number
        "E,R5,C,x,\n"  # line 6
        "F,R6,C,3,\n"
    )
    preview = job_of(upload(client, django_capture_on_commit_callbacks, csv_file(text)))
    assert (preview.failed, len(preview.errors), preview.errors_omitted) == (4, 2, 3)
    rows = _csv(client.get(reverse("registry:import-rejected", args=[preview.pk])))[1:]
    assert [row[1] for row in rows] == ["R1", "R3", "R2", "R5"]
    assert rows[1][-1].startswith("line 4: employees: cannot be negative; region: ")
    assert rows[2][-1] == "line 5: registration_number: repeats the registration number of line 3"
    assert rows[3][-1].startswith("line 6: employees: ")


def test_a_job_without_rejected_rows_gives_the_header_alone_and_a_deleted_file_is_404(client, agency, tenant_a):
    with tenant_context(tenant_a):
        clean = ImportJobFactory(status="done", file=ContentFile(f"{HEADER}\nA,R1,C,3,\n".encode(), name="a.csv"))
        gone = ImportJobFactory(status="done", failed=1, file="", file_deleted_at=timezone.now())
        running = ImportJobFactory(status="running")
    assert _csv(client.get(reverse("registry:import-rejected", args=[clean.pk]))) == [[*HEADER.split(","), "error"]]
    assert client.get(reverse("registry:import-rejected", args=[gone.pk])).status_code == 404
    assert client.get(reverse("registry:import-rejected", args=[running.pk])).status_code == 404


def test_another_agencys_rejected_rows_are_404(client, agency, tenant_b):
    with tenant_context(tenant_b):
        job = ImportJobFactory(status="done", failed=1, errors=[{"line": 2, "column": "", "reason": "x"}])
    assert client.get(reverse("registry:import-rejected", args=[job.pk])).status_code == 404


# --- What an import created, and undoing it ------------------------------------------------------------------


def _imported(tenant, count: int, *, prefix: str = "R") -> ImportJob:
    """A finished import job that created `count` MSMEs (R1, R2, ...)."""
    lines = "".join(f"Business {index:03d},{prefix}{index},C,3,\n" for index in range(1, count + 1))
    with tenant_context(tenant):
        job = ImportJobFactory(dry_run=False, status="done")
        result = importing.msme_import(
            tenant=tenant, stream=io.BytesIO(f"{HEADER}\n{lines}".encode()), file_name=job.file_name, job=job
        )
        job.created = result.created
        job.save(update_fields=["created"])
    return job


def _numbers(tenant) -> set[str]:
    with tenant_context(tenant):
        return set(Msme.objects.values_list("registration_number", flat=True))


def _created_links(page: str) -> list[str]:
    table = page[page.index('id="import-created-msmes"') :]
    return re.findall(r'<a href="(/registry/[0-9a-f-]{36}/)">', table[: table.index("</table>")])


def test_the_job_page_lists_the_msmes_the_import_created_a_page_at_a_time(client, agency, tenant_a):
    job = _imported(tenant_a, 30)
    url = reverse("registry:import-job", args=[job.pk])
    first = client.get(url).content.decode()
    with tenant_context(tenant_a):
        by_name = list(Msme.objects.order_by("name").values_list("pk", flat=True))
    assert _created_links(first) == [reverse("registry:detail", args=[pk]) for pk in by_name[:25]]
    assert 'href="?created=2"' in first
    second = client.get(url, {"created": 2}).content.decode()
    assert _created_links(second) == [reverse("registry:detail", args=[pk]) for pk in by_name[25:]]
    assert client.get(_created_links(first)[0]).status_code == 200
    # a preview created nothing, and lists nothing
    with tenant_context(tenant_a):
        preview = ImportJobFactory(dry_run=True, status="done", created=3)
    assert 'id="import-created"' not in client.get(reverse("registry:import-job", args=[preview.pk])).content.decode()


def test_the_job_page_reads_the_same_number_of_queries_however_many_msmes_it_created(client, agency, tenant_a):
    small, large = _imported(tenant_a, 2, prefix="S"), _imported(tenant_a, 40, prefix="L")
    with tenant_context(tenant_a):
        IpAssetFactory(msme=Msme.objects.get(registration_number="L1"))  # a kept row shows its reason
    counts = []
    for job in (small, large):
        client.get(reverse("registry:import-job", args=[job.pk]))  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("registry:import-job", args=[job.pk])).content.decode()
        counts.append(len(queries))
    assert "Has IP assets" in page
    assert counts[0] == counts[1], counts


def test_undo_removes_the_untouched_msmes_and_keeps_the_changed_ones(client, agency, tenant_a):
    job = _imported(tenant_a, 6)
    with tenant_context(tenant_a):
        msmes = {msme.registration_number: msme for msme in Msme.objects.all()}
        services.msme_update(msme=msmes["R1"], data={"employees": 9}, actor=agency)  # edited
        IpAssetFactory(msme=msmes["R2"])  # an asset added (with no event: the relation says it)
        Msme.objects.filter(pk=msmes["R3"].pk).update(updated_at=timezone.now() + timedelta(minutes=5))  # changed
        HelpdeskTicketFactory(msme=msmes["R4"])  # a ticket (a relation with no reverse accessor)
        MsmeMemberFactory(msme=msmes["R5"])  # a member acts for it
    undo_url = reverse("registry:import-undo", args=[job.pk])

    # the confirmation: what would go, what stays and why; nothing removed yet
    confirm = client.post(undo_url)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "1 MSME this import created" in page and "5 MSMEs will be kept" in page
    reasons = dict(re.findall(r"<bdi>(R\d)</bdi></td><td data-kept-reason>([^<]*)</td>", page))
    assert reasons == {
        "R1": "Changed after the import",
        "R2": "Has IP assets",
        "R3": "Changed after the import",
        "R4": "Has tickets",
        "R5": "Has MSME members",
    }
    assert _numbers(tenant_a) == {f"R{index}" for index in range(1, 7)}

    response = client.post(undo_url, {"confirm": "yes"}, follow=True)
    assert response.redirect_chain == [(reverse("registry:import-job", args=[job.pk]), 302)]
    page = response.content.decode()
    assert "The import was undone: 1 MSME was removed." in page
    assert "5 MSMEs were kept, as they changed after the import" in page
    assert _numbers(tenant_a) == {f"R{index}" for index in range(1, 6)}
    assert "Undone by" in page and page.count("data-kept-reason") == 5
    with tenant_context(tenant_a):
        job.refresh_from_db()
        assert (job.removed, job.undone_by, job.undone_at is not None) == (1, agency, True)
        (deleted,) = AuditEvent.objects.filter(action="delete", object_type="registry.msme")
        assert (deleted.object_repr, deleted.actor, deleted.channel) == ("Business 006", agency, "page")
        assert deleted.changes["registration_number"] == "R6"
        assert AuditEvent.objects.get(action="update", object_id=job.pk).changes["removed"] == [0, 1]


def test_undo_refuses_get(client, agency, tenant_a):
    job = _imported(tenant_a, 2)
    assert client.get(reverse("registry:import-undo", args=[job.pk])).status_code == 405
    assert _numbers(tenant_a) == {"R1", "R2"}


def test_undo_of_a_preview_or_a_running_job_removes_nothing(client, agency, tenant_a):
    job = _imported(tenant_a, 2)
    with tenant_context(tenant_a):
        preview = ImportJobFactory(dry_run=True, status="done")
        running = ImportJobFactory(dry_run=False, status="running")
    for other in (preview, running):
        response = client.post(reverse("registry:import-undo", args=[other.pk]), {"confirm": "yes"}, follow=True)
        assert "Only a finished import can be undone" in response.content.decode()
    assert _numbers(tenant_a) == {"R1", "R2"}
    assert job.pk


def test_undo_of_another_agencys_import_is_404(client, agency, tenant_a, tenant_b):
    job = _imported(tenant_b, 2)
    assert client.post(reverse("registry:import-undo", args=[job.pk]), {"confirm": "yes"}).status_code == 404
    assert client.post(reverse("registry:import-undo", args=[job.pk])).status_code == 404
    assert client.get(reverse("registry:import-job", args=[job.pk])).status_code == 404
    assert _numbers(tenant_b) == {"R1", "R2"}


def test_undo_is_for_agency_staff(client, login_as, tenant_a):
    job = _imported(tenant_a, 1)
    login_as(Role.MSME_MEMBER, tenant_a)
    assert client.post(reverse("registry:import-undo", args=[job.pk]), {"confirm": "yes"}).status_code == 403
    assert _numbers(tenant_a) == {"R1"}


def test_undo_twice_removes_nothing_more(client, agency, tenant_a):
    job = _imported(tenant_a, 2)
    url = reverse("registry:import-undo", args=[job.pk])
    client.post(url, {"confirm": "yes"})
    assert _numbers(tenant_a) == set()
    page = client.get(reverse("registry:import-job", args=[job.pk])).content.decode()
    assert "2 MSMEs were removed" in page and url not in page
    client.post(url, {"confirm": "yes"})
    with tenant_context(tenant_a):
        job.refresh_from_db()
    assert job.removed == 2
