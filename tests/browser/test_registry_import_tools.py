"""The import's tools in a browser: agency staff take a sample file, download the rows an import rejected,
correct and upload them again, then undo an import (an MSME edited since is kept, with the reason)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from django.db import transaction
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.registry import services
from apps.registry.importing import columns
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, user_with_role

UPLOAD = (
    "name,registration_number,sector_isic,employees,region\n"
    "Loom Ltd,KE-T-1,1392,4,KE-30\n"
    "Bad Sector,KE-T-2,QQ,3,\n"
    "Big Co,KE-T-3,C,40,\n"
)


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _upload_and_import(page, base_url: str, path: Path) -> None:
    page.goto(base_url + "/registry/import/")
    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator("input[type='file']").set_input_files(str(path))
    with page.expect_navigation():
        form.locator("[type='submit']").click()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Import now")).click()
    expect(page.locator("#import-counts")).to_be_visible()


def test_agency_staff_fix_the_rejected_rows_and_undo_an_import(page, live_server, console_log, tenant_a, tmp_path):
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.goto(live_server.url + "/registry/import/")

    # The sample workbook, and what each column takes, on the page itself.
    with page.expect_download() as download:
        page.get_by_role("link", name="Sample XLSX").click()
    assert download.value.suggested_filename == "msme-import-sample.xlsx"
    allowed = page.locator("#import-allowed-values")
    expect(allowed.locator("tbody tr")).to_have_count(len(columns.ALL))
    allowed.locator("tr", has_text="preferred_channel").locator("summary").click()
    expect(allowed).to_contain_text("whatsapp")
    _shot(page, "import_tools_upload_page")

    upload = tmp_path / "kenya.csv"
    upload.write_text(UPLOAD, encoding="utf-8")
    _upload_and_import(page, live_server.url, upload)
    first_import = page.url

    # The rows with errors, as a file: the bad row only, with its reason.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the rows with errors (CSV)").click()
    assert download.value.suggested_filename == "kenya-rejected.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert [row[1] for row in rows] == ["KE-T-2"] and header[-1] == "error" and "sector_isic" in rows[0][-1]

    # The MSMEs it created, each a link to its page.
    created = page.locator("#import-created-msmes")
    expect(created.locator("tbody tr")).to_have_count(2)
    expect(created).to_contain_text("Loom Ltd")
    _shot(page, "import_tools_job_page")

    # Corrected and uploaded again: it imports.
    rows[0][2] = "C"
    fixed = tmp_path / "kenya-fixed.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    fixed.write_text(buffer.getvalue(), encoding="utf-8")
    _upload_and_import(page, live_server.url, fixed)
    expect(page.locator("[data-count='created']")).to_have_text("1")
    expect(page.locator("[data-count='failed']")).to_have_text("0")

    # Undo the first import: Loom Ltd was edited since and stays; Big Co goes.
    with tenant_context(tenant_a), transaction.atomic():
        loom = Msme.objects.get(registration_number="KE-T-1")
        services.msme_update(msme=loom, data={"employees": 5}, actor=staff)
    page.goto(first_import)
    with page.expect_navigation():
        page.get_by_role("button", name="Undo this import…").click()
    expect(page.locator("#undo-kept")).to_contain_text("Changed after the import")
    _shot(page, "import_tools_undo_confirmation")
    with page.expect_navigation():
        page.get_by_role("button", name="Delete 1 MSME").click()
    expect(page.locator("main")).to_contain_text("The import was undone: 1 MSME was removed.")
    expect(page.locator("#import-undone")).to_be_visible()
    with tenant_context(tenant_a), transaction.atomic():
        assert set(Msme.objects.values_list("registration_number", flat=True)) == {"KE-T-1", "KE-T-2"}
    _shot(page, "import_tools_undone")
    assert_styled(page)
    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())


def test_a_big_undo_shows_its_progress_then_its_result(
    page, live_server, console_log, tenant_a, tmp_path, settings, monkeypatch
):
    """Past IMPORT_UNDO_IN_REQUEST_MAX_ROWS the undo is a task: the page says it is queued while no worker has
    taken it, and shows the result once the task has run."""
    from apps.registry.importing import jobs
    from apps.registry.tasks import undo_import_job

    settings.IMPORT_UNDO_IN_REQUEST_MAX_ROWS = 0
    sent = []
    # No worker takes the undo until the test runs it (the import itself still runs in-process).
    monkeypatch.setattr(
        jobs, "import_undo_enqueue", lambda job, actor_id: sent.append((job.tenant_id, str(job.pk), actor_id))
    )
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    sign_in(page, live_server.url, staff.email, PASSWORD)
    upload = tmp_path / "kenya.csv"
    upload.write_text(UPLOAD, encoding="utf-8")
    _upload_and_import(page, live_server.url, upload)
    job_page = page.url
    with page.expect_navigation():
        page.get_by_role("button", name="Undo this import…").click()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"Delete 2 MSMEs")).click()
    expect(page.locator("#import-undo-progress")).to_contain_text("The undo is queued")
    expect(page.get_by_role("button", name="Undo this import…")).to_have_count(0)
    _shot(page, "import_tools_undo_queued")
    assert len(sent) == 1

    undo_import_job.run(*sent[0])  # what the worker of the imports queue does
    page.goto(job_page)
    expect(page.locator("#import-undone")).to_contain_text("2 MSMEs were removed")
    with tenant_context(tenant_a), transaction.atomic():
        assert not Msme.objects.filter(registration_number__in=["KE-T-1", "KE-T-3"]).exists()
    _shot(page, "import_tools_undone_by_task")
    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())
