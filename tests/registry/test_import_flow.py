"""The import pages: upload, preview (a dry run), confirm, progress polled by htmx."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from apps.core.roles import Role
from apps.registry.models import ImportJob, Msme
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent, Tenant
from tests.registry.factories import ImportJobFactory, MsmeFactory

pytestmark = pytest.mark.django_db

CSV = (
    "name,registration_number,sector_isic,employees,region\n"
    "Loom Ltd,R1,1392,4,KE-30\n"
    "Bad Row,R2,QQ,3,\n"
    "Big Co,R3,C,400,\n"
    "Worse Row,R4,C,-1,Atlantis\n"
)


@pytest.fixture
def agency(login_as, tenant_a):
    return login_as(Role.AGENCY_STAFF, tenant_a)


def csv_file(content: str = CSV, name: str = "msmes.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def xlsx_file(rows: list[list[object]], name: str = "msmes.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def msmes(tenant) -> list[str]:
    with tenant_context(tenant):
        return sorted(Msme.objects.values_list("registration_number", flat=True))


def count(page: str, name: str) -> int:
    match = re.search(rf'data-count="{name}">(\d+)<', page)
    assert match, f"no {name} count on the page"
    return int(match.group(1))


def error_rows(page: str) -> list[tuple[str, str, str, str]]:
    """The error table's rows as (line, column, registration number, reason), tags stripped."""
    table = page[page.index('id="import-errors"') :]
    body = table[table.index("<tbody") : table.index("</tbody>")]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        rows.append(tuple(cells))
    return rows


def job_of(response) -> ImportJob:
    assert response.status_code == 302, response.content
    pk = response["Location"].rstrip("/").split("/")[-1]
    with tenant_context(Tenant.objects.get(slug="aa")):  # tenant_a
        return ImportJob.objects.get(pk=pk)


def upload(client, django_capture_on_commit_callbacks, file, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import"), {"file": file, "on_duplicate": "skip", **fields})
    return response


def test_the_upload_page_lists_the_columns(client, agency):
    page = client.get(reverse("registry:import")).content.decode()
    assert 'enctype="multipart/form-data"' in page
    for column in ("registration_number", "sector_isic", "preferred_channel", "consent_outreach"):
        assert f"<code>{column}</code>" in page


def test_upload_shows_a_preview_and_stores_nothing(client, agency, tenant_a, django_capture_on_commit_callbacks):
    response = upload(client, django_capture_on_commit_callbacks, csv_file())
    job = job_of(response)
    assert response["Location"] == reverse("registry:import-job", args=[job.pk])
    assert job.dry_run and job.status == ImportJob.Status.DONE
    assert (job.created, job.updated, job.skipped, job.failed) == (2, 0, 0, 2)
    assert msmes(tenant_a) == []

    page = client.get(response["Location"]).content.decode()
    assert "Preview of msmes.csv" in page
    assert (count(page, "created"), count(page, "failed")) == (2, 2)
    assert reverse("registry:import-confirm", args=[job.pk]) in page
    rows = error_rows(page)
    assert {(line, column) for line, column, _number, _reason in rows} == {
        ("3", "sector_isic"),
        ("5", "employees"),
        ("5", "region"),
    }
    reasons = {column: reason for _line, column, _number, reason in rows}
    assert "ISIC" in reasons["sector_isic"]
    assert "negative" in reasons["employees"]
    assert "Atlantis" in reasons["region"]
    assert all(number in {"R2", "R4"} for _line, _column, number, _reason in rows)


def test_confirm_runs_the_import_for_real(client, agency, tenant_a, django_capture_on_commit_callbacks):
    preview = job_of(upload(client, django_capture_on_commit_callbacks, csv_file()))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import-confirm", args=[preview.pk]))
    job = job_of(response)
    assert job.pk != preview.pk and not job.dry_run
    assert job.status == ImportJob.Status.DONE
    assert (job.created, job.failed) == (2, 2)
    assert job.created_by == agency
    assert msmes(tenant_a) == ["R1", "R3"]

    page = client.get(response["Location"]).content.decode()
    assert "Import of msmes.csv" in page
    assert (count(page, "created"), count(page, "updated"), count(page, "skipped"), count(page, "failed")) == (
        2,
        0,
        0,
        2,
    )
    assert reverse("registry:import-confirm", args=[job.pk]) not in page
    with tenant_context(tenant_a):
        (job_event,) = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT)
        # the created rows link to the job's event, with no event of their own
        assert set(Msme.objects.values_list("created_by_import", flat=True)) == {job_event.pk}
        assert not AuditEvent.objects.filter(batch=job_event).exists() and job_event.actor_id == agency.pk
        assert (job_event.object_id, job_event.object_repr, job_event.channel) == (job.pk, "msmes.csv", "import")
        loom = Msme.objects.get(registration_number="R1")
    assert (loom.size_class, loom.region, loom.sector_section) == ("micro", "KE-30", "C")


def test_confirm_keeps_the_chosen_duplicate_handling(client, agency, tenant_a, django_capture_on_commit_callbacks):
    with tenant_context(tenant_a):
        MsmeFactory(registration_number="R1", name="Old name")
    preview = job_of(upload(client, django_capture_on_commit_callbacks, csv_file(), on_duplicate="update"))
    assert (preview.created, preview.updated) == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import-confirm", args=[preview.pk]))
    job = job_of(response)
    assert job.on_duplicate == "update" and (job.created, job.updated) == (1, 1)
    with tenant_context(tenant_a):
        assert Msme.objects.get(registration_number="R1").name == "Loom Ltd"


def test_a_running_job_is_polled_by_htmx(client, agency, tenant_a):
    with tenant_context(tenant_a):
        job = ImportJobFactory(status=ImportJob.Status.RUNNING, dry_run=False, rows_total=1000, rows_processed=400)
    url = reverse("registry:import-job", args=[job.pk])
    page = client.get(url).content.decode()
    assert "<html" in page
    assert f'hx-get="{url}"' in page
    assert 'hx-trigger="every 1s"' in page
    assert re.search(r'<progress[^>]*max="1000" value="400"', page)

    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert text.startswith('<div id="import-status"')
    assert "<html" not in text and "<nav" not in text
    assert f'hx-get="{url}"' in text and "<progress" in text


def test_a_queued_job_is_polled_too(client, agency, tenant_a):
    with tenant_context(tenant_a):
        job = ImportJobFactory(status=ImportJob.Status.QUEUED, dry_run=True)
    page = client.get(reverse("registry:import-job", args=[job.pk])).content.decode()
    assert "hx-trigger" in page and "<progress" in page


def test_a_finished_job_is_not_polled(client, agency, tenant_a):
    with tenant_context(tenant_a):
        job = ImportJobFactory(status=ImportJob.Status.DONE, dry_run=False, created=3)
    fragment = client.get(reverse("registry:import-job", args=[job.pk]), headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "hx-get" not in text and "<progress" not in text
    assert count(text, "created") == 3


def test_a_failed_job_shows_its_message(client, agency, tenant_a, django_capture_on_commit_callbacks):
    bad = "name,registration_number,sector_isic,employees,colour\nA,R1,C,3,blue\n"
    job = job_of(upload(client, django_capture_on_commit_callbacks, csv_file(bad)))
    assert job.status == ImportJob.Status.FAILED
    page = client.get(reverse("registry:import-job", args=[job.pk])).content.decode()
    assert "colour" in page
    assert reverse("registry:import-confirm", args=[job.pk]) not in page
    assert msmes(tenant_a) == []


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (None, "This field is required."),
        (SimpleUploadedFile("report.pdf", b"%PDF-1.4", content_type="application/pdf"), "Upload a .csv or .xlsx file."),
        (SimpleUploadedFile("empty.csv", b"", content_type="text/csv"), "The submitted file is empty."),
    ],
)
def test_a_form_without_a_good_file_is_reshown_with_an_error(client, agency, tenant_a, file, message):
    data = {"on_duplicate": "skip"} if file is None else {"file": file, "on_duplicate": "skip"}
    response = client.post(reverse("registry:import"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'name="file"' in page and 'enctype="multipart/form-data"' in page
    with tenant_context(tenant_a):
        assert not ImportJob.objects.exists()


def test_a_post_with_only_a_file_is_a_bound_form(client, agency, tenant_a):
    response = client.post(reverse("registry:import"), {"file": csv_file()})
    assert response.status_code == 400  # the duplicate handling is required
    with tenant_context(tenant_a):
        assert not ImportJob.objects.exists()


def test_an_xlsx_upload_works(client, agency, tenant_a, django_capture_on_commit_callbacks):
    rows = [
        ["Name", "Registration_Number", "Sector_ISIC", "Employees", "Exports"],
        ["Loom Ltd", "X1", "1392", 4, "yes"],
        ["Bad", "X2", "1392", "lots", "no"],
    ]
    preview = job_of(upload(client, django_capture_on_commit_callbacks, xlsx_file(rows)))
    assert preview.status == ImportJob.Status.DONE
    assert (preview.created, preview.failed) == (1, 1)
    assert [(e["line"], e["column"]) for e in preview.errors] == [(3, "employees")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import-confirm", args=[preview.pk]))
    job = job_of(response)
    assert job.file_name == "msmes.xlsx" and job.created == 1
    with tenant_context(tenant_a):
        assert Msme.objects.get(registration_number="X1").exports is True


def test_confirm_only_for_a_finished_dry_run(client, agency, tenant_a):
    with tenant_context(tenant_a):
        real = ImportJobFactory(status=ImportJob.Status.DONE, dry_run=False)
        running = ImportJobFactory(status=ImportJob.Status.RUNNING, dry_run=True)
        failed = ImportJobFactory(status=ImportJob.Status.FAILED, dry_run=True)
    for job in (real, running, failed):
        assert client.post(reverse("registry:import-confirm", args=[job.pk])).status_code == 404
    preview_url = reverse("registry:import-confirm", args=[real.pk])
    assert client.get(preview_url).status_code == 405
    with tenant_context(tenant_a):
        assert ImportJob.objects.count() == 3


def test_another_tenants_job_is_404(client, agency, tenant_b):
    with tenant_context(tenant_b):
        job = ImportJobFactory(status=ImportJob.Status.DONE, dry_run=True)
    assert client.get(reverse("registry:import-job", args=[job.pk])).status_code == 404
    assert client.post(reverse("registry:import-confirm", args=[job.pk])).status_code == 404
    assert job.file_name not in client.get(reverse("registry:import")).content.decode()


def test_the_import_pages_are_for_agency_staff(client, login_as, tenant_a):
    with tenant_context(tenant_a):
        job = ImportJobFactory()
    login_as(Role.MSME_MEMBER, tenant_a)
    assert client.get(reverse("registry:import")).status_code == 403
    assert client.post(reverse("registry:import"), {"file": csv_file()}).status_code == 403
    assert client.get(reverse("registry:import-job", args=[job.pk])).status_code == 403
    assert client.post(reverse("registry:import-confirm", args=[job.pk])).status_code == 403


def test_a_nul_character_fails_its_row_not_the_batch(client, agency, tenant_a, django_capture_on_commit_callbacks):
    content = "name,registration_number,sector_isic,employees\nA,R1\x00,C,3\nB,R2,C,3\n"
    job = job_of(upload(client, django_capture_on_commit_callbacks, csv_file(content)))
    assert (job.status, job.created, job.failed) == ("done", 1, 1)
    assert [(e["line"], e["column"], e["registration_number"]) for e in job.errors] == [
        (2, "registration_number", "R1")
    ]
    header = "name,registration_number\x00,sector_isic,employees\nC,R3,C,3\n"
    job = job_of(upload(client, django_capture_on_commit_callbacks, csv_file(header)))
    assert (job.status, job.created) == ("done", 1)


def test_a_damaged_workbook_fails_the_job_with_a_reason(client, agency, tenant_a, django_capture_on_commit_callbacks):
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.create_chartsheet()  # openpyxl itself cannot read this back
    buffer = io.BytesIO()
    workbook.save(buffer)
    damaged = SimpleUploadedFile("msmes.xlsx", buffer.getvalue())
    job = job_of(upload(client, django_capture_on_commit_callbacks, damaged))
    assert job.status == ImportJob.Status.FAILED
    assert "XLSX" in job.message
    page = client.get(reverse("registry:import-job", args=[job.pk])).content.decode()
    assert "hx-get" not in page


def test_an_unexpected_error_fails_the_job_instead_of_leaving_it_running(
    client, agency, tenant_a, django_capture_on_commit_callbacks, monkeypatch
):
    from apps.registry.importing import jobs

    def broken(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(jobs, "msme_import", broken)
    job = job_of(upload(client, django_capture_on_commit_callbacks, csv_file()))
    assert job.status == ImportJob.Status.FAILED and job.finished_at
    assert "unexpected error" in job.message and "disk on fire" not in job.message
