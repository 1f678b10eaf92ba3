"""Hostile import files and a missing broker: each is refused or reported at once, none is amplified into a huge
stored error, and no job is left queued or running for ever. The files are made here, small where they can be."""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from apps.core.roles import Role
from apps.registry.importing import jobs, service
from apps.registry.importing.reader import FileRejected
from apps.registry.models import ImportJob, Msme
from apps.registry.tasks import fail_stale_import_jobs, run_import_job
from apps.tenants.context import tenant_context
from portal.celery import app as celery_app
from tests.registry.factories import ImportJobFactory
from tests.registry.test_import import errors_of, run

pytestmark = pytest.mark.django_db

HEADER = "name,registration_number,sector_isic,employees"
FAST = 5.0  # seconds: each file below held the import worker for minutes


@pytest.fixture
def agency(login_as, tenant_a):
    return login_as(Role.AGENCY_STAFF, tenant_a)


@pytest.fixture(params=[True, False], ids=["sql", "python"])
def both_paths(request, monkeypatch):
    """Run on the PostgreSQL path and on the Python cleaner's (the SQL path only where the database is PostgreSQL)."""
    from django.db import connection

    if request.param and connection.vendor != "postgresql":
        pytest.skip("the SQL path runs on PostgreSQL")
    monkeypatch.setattr(service, "use_sql", lambda: request.param)


def timed(function, *args, **kwargs):
    start = time.monotonic()
    try:
        outcome = function(*args, **kwargs)
    except FileRejected as exc:
        outcome = exc
    return outcome, time.monotonic() - start


def xlsx(rows: list[list[object]], *, sheet=lambda xml: xml, extra: dict[str, bytes] | None = None) -> bytes:
    """A workbook of `rows`, its sheet's XML passed through `sheet`, with `extra` parts added to the zip."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet(data.decode()).encode()
            target.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


# --- 1. Tiny files that pinned the worker ------------------------------------------------------


def test_a_huge_exponent_is_a_cell_error_found_at_once(tenant_a, both_paths):
    text = f"{HEADER},annual_turnover_eur\nA,R1,C,1e1000000,1e1000000\nB,R2,C,-1e999999,\n"
    assert len(text.encode()) < 120
    result, seconds = timed(run, tenant_a, text)
    assert seconds < 2, f"{seconds:.1f} s"
    assert errors_of(result) == [(2, "employees"), (2, "annual_turnover_eur"), (3, "employees")]
    assert all(len(error.reason) < 200 for error in result.errors)


@pytest.mark.parametrize("value", ["1e3", "12", " 1 234 ", "5.0", "+7", "1E+2"])
def test_ordinary_numbers_are_still_taken(tenant_a, both_paths, value):
    result = run(tenant_a, f'{HEADER}\nA,R1,C,"{value}"\n')
    assert (result.created, result.failed) == (1, 0), result.errors


def test_a_header_of_100000_columns_is_refused_at_once_with_a_short_reason(tenant_a):
    text = HEADER + "," + ",".join(f"extra_column_{i}" for i in range(100_000)) + "\n"
    refusal, seconds = timed(run, tenant_a, text)
    assert isinstance(refusal, FileRejected)
    assert seconds < 2, f"{seconds:.1f} s"
    assert "100 columns" in str(refusal) and len(str(refusal)) < 300


def test_many_unknown_or_repeated_columns_make_a_bounded_reason(tenant_a):
    wide = ",".join(f"{'x' * 5000}{i}" for i in range(60))
    refusal, _ = timed(run, tenant_a, f"{HEADER},{wide},name,name\nA,R1,C,3\n")
    message = str(refusal)
    assert "unknown columns" in message and "and 50 more" in message
    assert "repeated columns: name" in message
    assert len(message) < 2000


def _huge_dimension(xml: str) -> str:
    return re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)


def test_an_xlsx_declaring_the_largest_sheet_is_read_at_its_true_size(tenant_a, both_paths):
    data = xlsx(
        [["name", "registration_number", "sector_isic", "employees"], ["A", "R1", "C", 3]], sheet=_huge_dimension
    )
    result, seconds = timed(run, tenant_a, data, file_name="msmes.xlsx")
    assert seconds < FAST, f"{seconds:.1f} s"
    assert (result.created, result.failed) == (1, 0)


def test_an_xlsx_with_one_cell_in_its_last_row_is_refused_at_once(tenant_a):
    def last_cell(xml: str) -> str:
        cell = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return _huge_dimension(xml).replace("</sheetData>", cell + "</sheetData>")

    data = xlsx([["name", "registration_number", "sector_isic", "employees"], ["A", "R1", "C", 3]], sheet=last_cell)
    assert len(data) < 10_000
    refusal, seconds = timed(run, tenant_a, data, file_name="msmes.xlsx")
    assert seconds < FAST, f"{seconds:.1f} s"
    assert isinstance(refusal, FileRejected) and "200,000 rows" in str(refusal)


def _many_rows(count: int):
    def sheet(xml: str) -> str:
        rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Row</t></is></c></row>' for n in range(3, count))
        return xml.replace("</sheetData>", rows + "</sheetData>")

    return sheet


@override_settings(IMPORT_MAX_ROWS=1000)
def test_an_xlsx_over_the_row_limit_is_refused_before_reading_it_all(tenant_a):
    data = xlsx(
        [["name", "registration_number", "sector_isic", "employees"], ["A", "R1", "C", 3]], sheet=_many_rows(300_000)
    )
    refusal, seconds = timed(run, tenant_a, data, file_name="msmes.xlsx")
    assert seconds < FAST, f"{seconds:.1f} s"
    assert isinstance(refusal, FileRejected) and "1,000 rows" in str(refusal)


@override_settings(IMPORT_MAX_ROWS=5)
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_csv_over_the_row_limit_is_refused_and_nothing_is_stored(tenant_a, dry_run):
    rows = "".join(f"Name {i},R{i},C,3\n" for i in range(6))
    with pytest.raises(FileRejected, match="more than 5 rows"):
        run(tenant_a, f"{HEADER}\n{rows}", dry_run=dry_run, batch_size=2)
    with tenant_context(tenant_a):
        assert not Msme.objects.exists()
    assert run(tenant_a, f"{HEADER}\n{rows[: rows.index('Name 5')]}").created == 5  # exactly at the limit


def test_a_zip_bomb_is_refused_from_the_zip_directory(tenant_a):
    bomb = {"xl/media/padding.bin": b"\0" * (50 * 1024 * 1024)}  # 50 MB packed into about 50 KB
    data = xlsx([["name", "registration_number", "sector_isic", "employees"]], extra=bomb)
    assert len(data) < 200_000
    refusal, seconds = timed(run, tenant_a, data, file_name="msmes.xlsx")
    assert seconds < 2, f"{seconds:.1f} s"
    assert isinstance(refusal, FileRejected) and "unpack" in str(refusal)


@override_settings(IMPORT_MAX_XLSX_UNPACKED_MB=1)
def test_a_workbook_that_unpacks_too_large_is_refused(tenant_a):
    rows = [["name", "registration_number", "sector_isic", "employees"]]
    rows += [[f"Name {i} {'x' * 50}", f"R{i}", "C", 3] for i in range(20_000)]
    refusal, _ = timed(run, tenant_a, xlsx(rows), file_name="msmes.xlsx")
    assert isinstance(refusal, FileRejected) and "1 MB" in str(refusal)


def test_an_overlong_cell_is_a_row_error_with_a_short_echo(tenant_a, both_paths):
    result = run(tenant_a, f"{HEADER},region\n{'N' * 5000},R1,C,3,\nB,R2,C,3,{'Q' * 100_000}\nC,R3,C,3,\n")
    assert (result.created, result.failed) == (1, 2)
    assert errors_of(result) == [(2, "name"), (3, "region")]
    for error in result.errors:
        assert "longer than 1000 characters" in error.reason and len(error.reason) < 200


# --- 2. Error amplification --------------------------------------------------------------------


def upload(client, django_capture_on_commit_callbacks, content: bytes, name: str = "msmes.csv"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("registry:import"), {"file": SimpleUploadedFile(name, content), "on_duplicate": "skip"}
        )


def job_from(response, tenant) -> ImportJob:
    assert response.status_code == 302, response.content[:2000]
    with transaction.atomic(), tenant_context(tenant):
        return ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def test_a_file_of_bad_cells_stores_a_bounded_error_list(client, agency, tenant_a, django_capture_on_commit_callbacks):
    rows = "".join(f"Name {i},R{i},{'Z' * 900},3\n" for i in range(1200))
    job = job_from(upload(client, django_capture_on_commit_callbacks, f"{HEADER}\n{rows}".encode()), tenant_a)
    assert (job.status, job.failed) == ("done", 1200)
    assert len(job.errors) == 1000 and job.errors_omitted == 200
    assert all(len(error["reason"]) < 200 for error in job.errors)

    page = client.get(reverse("registry:import-job", args=[job.pk])).content.decode()
    assert "200 more errors" in page

    listed = client.get("/api/v1/imports/?page_size=200").json()["results"]
    assert [item["id"] for item in listed] == [str(job.pk)] and "errors" not in listed[0]
    assert listed[0]["errors_omitted"] == 200
    detail = client.get(f"/api/v1/imports/{job.pk}/").json()
    assert (detail["error_count"], len(detail["errors"])) == (1200, 50)
    assert detail["errors_url"].endswith(f"/api/v1/imports/{job.pk}/errors/")
    errors = client.get(f"/api/v1/imports/{job.pk}/errors/?page=2&page_size=200").json()
    assert (errors["count"], len(errors["results"]), errors["errors_omitted"]) == (1000, 200, 200)
    assert errors["results"][0]["line"] == 202


def test_the_errors_of_another_tenants_job_are_404(client, agency, tenant_b):
    with tenant_context(tenant_b):
        job = ImportJobFactory(errors=[{"line": 2, "column": "name", "reason": "x", "registration_number": "B1"}])
    assert client.get(f"/api/v1/imports/{job.pk}/errors/").status_code == 404


# --- 3. The upload size limit ------------------------------------------------------------------


@override_settings(IMPORT_MAX_UPLOAD_MB=1)
def test_a_file_over_the_upload_limit_is_refused_before_it_is_stored(client, agency, tenant_a, tmp_path):
    content = (HEADER + "\n" + "Name,R1,C,3\n" * 110_000).encode()
    assert len(content) > 1024 * 1024

    page = client.post(
        reverse("registry:import"), {"file": SimpleUploadedFile("big.csv", content), "on_duplicate": "skip"}
    )
    assert page.status_code == 400
    assert "at most 1 MB" in page.content.decode()

    api = client.post("/api/v1/msmes/import/", {"file": SimpleUploadedFile("big.csv", content)})
    assert api.status_code == 400 and "at most 1 MB" in api.json()["file"][0]
    with tenant_context(tenant_a):
        assert not ImportJob.objects.exists()

    path = tmp_path / "big.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="at most 1 MB"):
        call_command("import_msmes", str(path), "--tenant", tenant_a.slug)


def test_the_upload_page_states_the_limits(client, agency):
    page = client.get(reverse("registry:import")).content.decode()
    assert "at most 20 MB, 200,000 rows and 100 columns" in page


# --- 5. A broker that is down, stuck jobs, time limits, queues -----------------------------------


@pytest.fixture
def broker_down(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_write_url", None)
    monkeypatch.setitem(celery_app.conf, "result_backend", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)


def test_with_the_broker_down_the_upload_answers_at_once_with_a_failed_job(
    client, agency, tenant_a, django_capture_on_commit_callbacks, broker_down
):
    client.get(reverse("registry:import"))  # the first request of a process loads the page's modules
    start = time.monotonic()
    job = job_from(upload(client, django_capture_on_commit_callbacks, f"{HEADER}\nA,R1,C,3\n".encode()), tenant_a)
    assert time.monotonic() - start < 3
    assert job.status == ImportJob.Status.FAILED and job.finished_at
    assert "task queue is unavailable" in job.message
    page = client.get(reverse("registry:import-job", args=[job.pk])).content.decode()
    assert "hx-get" not in page and "task queue is unavailable" in page


@pytest.mark.django_db(transaction=True)  # the job commits, and is sent, before the view answers
def test_with_the_broker_down_the_api_answers_202_with_the_failed_job(client, agency, tenant_a, broker_down):
    client.get("/api/v1/imports/")  # the first API request of a process loads the API's modules
    start = time.monotonic()
    response = client.post("/api/v1/msmes/import/", {"file": SimpleUploadedFile("m.csv", b"name\nA\n")})
    assert time.monotonic() - start < 3
    assert response.status_code == 202
    assert response.json()["status"] == "failed" and "task queue" in response.json()["message"]


def test_the_sweep_fails_jobs_stuck_queued_or_running(client, agency, tenant_a, tenant_b):
    now = timezone.now()
    with tenant_context(tenant_a):
        lost = ImportJobFactory(status="queued")
        dead = ImportJobFactory(status="running")
        fresh = ImportJobFactory(status="queued")
        ImportJob.objects.filter(pk=lost.pk).update(created_at=now - timedelta(hours=2))
        ImportJob.objects.filter(pk=dead.pk).update(started_at=now - timedelta(hours=1))
    with tenant_context(tenant_b):
        other = ImportJobFactory(status="queued")
        ImportJob.objects.filter(pk=other.pk).update(created_at=now - timedelta(hours=2))

    page = client.get(reverse("registry:import-job", args=[lost.pk])).content.decode()
    assert "hx-get" not in page and "not progressed" in page  # stale: no more polling, even before the sweep
    assert 'hx-trigger="every 1s"' in client.get(reverse("registry:import-job", args=[fresh.pk])).content.decode()

    assert fail_stale_import_jobs.delay().get() == 3
    with tenant_context(tenant_a):
        statuses = {job.pk: (job.status, bool(job.finished_at)) for job in ImportJob.objects.all()}
    assert statuses == {lost.pk: ("failed", True), dead.pk: ("failed", True), fresh.pk: ("queued", False)}
    page = client.get(reverse("registry:import-job", args=[lost.pk])).content.decode()
    assert "hx-get" not in page and "did not finish" in page


def test_a_job_over_its_time_limit_fails_with_that_reason(
    client, agency, tenant_a, django_capture_on_commit_callbacks, monkeypatch
):
    def slow(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(jobs, "msme_import", slow)
    job = job_from(upload(client, django_capture_on_commit_callbacks, f"{HEADER}\nA,R1,C,3\n".encode()), tenant_a)
    assert job.status == ImportJob.Status.FAILED and job.finished_at
    assert "time limit" in job.message and "2 minutes" in job.message  # a small file's limit


def test_a_job_already_failed_is_not_run_by_a_late_message(tenant_a):
    with tenant_context(tenant_a):
        job = ImportJobFactory(status="failed", message="lost")
    assert run_import_job.delay(tenant_a.pk, str(job.pk)).get() == "failed"


def test_big_files_go_to_the_imports_queue_with_time_limits(
    client, agency, tenant_a, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(run_import_job, "apply_async", lambda args, **options: sent.append(options))
    assert run_import_job.soft_time_limit and run_import_job.time_limit > run_import_job.soft_time_limit
    upload(client, django_capture_on_commit_callbacks, f"{HEADER}\nA,R1,C,3\n".encode())
    with override_settings(IMPORT_SMALL_FILE_MB=0.00001):
        upload(client, django_capture_on_commit_callbacks, f"{HEADER}\nA,R1,C,3\n".encode())
    rows = [["name", "registration_number", "sector_isic", "employees"]] + [["Same name", "R", "C", 3]] * 5000
    packed = xlsx(rows)
    with override_settings(IMPORT_SMALL_FILE_MB=0.5):  # packed below it, unpacked above it
        assert len(packed) < 0.5 * 1024 * 1024
        upload(client, django_capture_on_commit_callbacks, packed, name="msmes.xlsx")
    small, big, big_unpacked = sent
    assert "queue" not in small and small["soft_time_limit"] < big["soft_time_limit"] < big["time_limit"]
    assert big["queue"] == big_unpacked["queue"] == jobs.IMPORTS_QUEUE


def test_a_worker_serves_the_imports_queue_alone():
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parent.parent.parent
    procfile = (root / "Procfile.dev").read_text()
    assert re.search(r"^importer: .*celery -A portal worker .*--queues=imports ", procfile, re.M)
    assert re.search(r"^worker: .*celery -A portal worker .*--queues=celery[ ,]", procfile, re.M)
    services = yaml.safe_load((root / "docker-compose.yml").read_text())["services"]
    assert "--queues=imports" in services["importer"]["command"]
    assert "--queues=celery" in services["worker"]["command"]
    assert services["importer"]["volumes"] == services["web"]["volumes"]  # it reads the uploaded files


@pytest.mark.celery_worker
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: a real worker on the Redis broker")
@pytest.mark.django_db(transaction=True)
def test_a_worker_of_the_imports_queue_alone_runs_a_big_file(client, agency, tenant_a, monkeypatch):
    from celery.contrib.testing.worker import start_worker

    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    # A worker started with queues= narrows what the app consumes for good: put it back afterwards.
    monkeypatch.setattr(celery_app.amqp.queues, "_consume_from", celery_app.amqp.queues._consume_from)
    content = f"{HEADER}\nA,R1,C,3\nB,R2,C,4\n".encode()
    with (
        override_settings(IMPORT_SMALL_FILE_MB=0.00001),
        start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING", queues=["imports"]),
    ):
        response = client.post(
            reverse("registry:import"), {"file": SimpleUploadedFile("big.csv", content), "on_duplicate": "skip"}
        )
        job = job_from(response, tenant_a)
        deadline = time.monotonic() + 30
        while job.status in {"queued", "running"} and time.monotonic() < deadline:
            time.sleep(0.2)
            with transaction.atomic(), tenant_context(tenant_a):
                job.refresh_from_db()
    assert (job.status, job.created, job.started_at is not None) == ("done", 2, True)
