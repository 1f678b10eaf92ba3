"""The registry in a browser: agency staff import a file and find an MSME in it; a member keeps the IP asset
register; a signed-in user registers their business; the list reads right to left in Arabic."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from apps.core.dates import add_years
from apps.core.roles import Role
from apps.registry.deadlines import TRADEMARK_RENEWAL_YEARS
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, IpAssetFactory, MsmeFactory, MsmeMemberFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


IMPORT_CSV = """\
name,registration_number,sector_isic,employees,region,exports
Savanna Crafts Ltd,KE-IMP-001,1079,4,Nairobi City,yes
Rift Valley Solar,KE-IMP-002,3510,37,KE-31,no
Lakeside Weavers,KE-IMP-003,C,12,,true
Broken Counts Ltd,KE-IMP-004,1079,-3,,
Mystery Trade Co,KE-IMP-005,9999,2,,
Savanna Crafts Again,KE-IMP-001,1079,6,,
"""
GOOD_ROWS = 3
BAD_ROWS = {5: "employees", 6: "sector_isic", 7: "registration_number"}


def open_nav(page, name: str) -> None:
    with page.expect_navigation():
        page.locator(f"#main-nav [data-nav='{name}']").click()


def counts(page) -> dict[str, int]:
    cells = page.locator("#import-counts [data-count]")
    return {cell.get_attribute("data-count"): int(cell.inner_text().strip()) for cell in cells.all()}


def error_rows(page) -> list[tuple[int, str]]:
    rows = page.locator("#import-errors tbody tr")
    return [(int(row.locator("td").nth(0).inner_text()), row.locator("td").nth(1).inner_text()) for row in rows.all()]


def test_agency_staff_import_a_file_then_find_an_imported_msme(page, live_server, console_log, tenant_a, tmp_path):
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    upload = tmp_path / "kenya-msmes.csv"
    upload.write_text(IMPORT_CSV, encoding="utf-8")

    sign_in(page, live_server.url, staff.email, PASSWORD)
    open_nav(page, "registry:import")
    assert page.locator("h1").inner_text() == "Import MSMEs"

    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator("input[type='file']").set_input_files(str(upload))
    with page.expect_navigation():
        form.locator("[type='submit']").click()

    # The preview: counts of what would happen, and each bad row by line and column; nothing stored yet.
    expect(page.locator("#import-counts")).to_be_visible()
    assert "Preview of kenya-msmes.csv" in page.locator("h1").inner_text()
    assert counts(page) == {"created": GOOD_ROWS, "updated": 0, "skipped": 0, "failed": len(BAD_ROWS)}
    assert sorted(error_rows(page)) == sorted(BAD_ROWS.items())
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("cannot be negative")
    expect(errors).to_contain_text("'9999' is not an ISIC Rev.4")
    expect(errors).to_contain_text("repeats the registration number of line 2")
    with tenant_context(tenant_a), transaction.atomic():
        assert Msme.objects.count() == 0
    # The uploaded file comes back from the job's page, under its own name.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the uploaded file").click()
    assert download.value.suggested_filename == "kenya-msmes.csv"
    assert Path(download.value.path()).read_text(encoding="utf-8") == IMPORT_CSV

    confirm = page.get_by_role("button", name=re.compile("Import now"))
    expect(confirm).to_contain_text(f"create {GOOD_ROWS}")
    with page.expect_navigation():
        confirm.click()

    # The real import: the same counts, now done.
    expect(page.locator("#import-counts")).to_be_visible()
    assert "Import of kenya-msmes.csv" in page.locator("h1").inner_text()
    assert counts(page) == {"created": GOOD_ROWS, "updated": 0, "skipped": 0, "failed": len(BAD_ROWS)}
    assert page.get_by_role("button", name=re.compile("Import now")).count() == 0
    with tenant_context(tenant_a), transaction.atomic():
        assert set(Msme.objects.values_list("registration_number", flat=True)) == {
            "KE-IMP-001",
            "KE-IMP-002",
            "KE-IMP-003",
        }

    # Find one of them in the registry with the search and the filters, then open it.
    open_nav(page, "registry:index")
    table = page.locator("#msme-table")
    expect(table.locator("tbody tr")).to_have_count(GOOD_ROWS)
    filters = page.locator("#msme-filters")
    filters.locator("[name='q']").fill("solar")
    filters.get_by_label("ISIC code").fill("35")
    filters.get_by_role("checkbox", name="Small", exact=True).check()
    with page.expect_navigation():
        filters.get_by_role("button", name="Apply").click()
    assert "q=solar" in page.url and "size_class=small" in page.url
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("KE-IMP-002")
    assert filters.locator("[name='q']").input_value() == "solar", "the search box forgets what was searched"
    assert filters.get_by_role("checkbox", name="Small", exact=True).is_checked()

    with page.expect_navigation():
        table.get_by_role("link", name="Rift Valley Solar").click()
    assert page.locator("h1").inner_text() == "Rift Valley Solar"
    main = page.locator("main")
    expect(main).to_contain_text("KE-IMP-002")
    expect(main).to_contain_text("Nakuru")  # KE-31, shown by name
    expect(page.locator("#history")).to_contain_text("created by import of kenya-msmes.csv")
    assert_styled(page)
    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())


def test_member_adds_a_trademark_and_sees_its_renewal(page, live_server, tenant_a):
    member = user_with_role(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        msme = MsmeFactory(name="Savanna Crafts", registration_number="KE-77")
        MsmeMemberFactory(msme=msme, user=member)
    registered = timezone.localdate() - timedelta(days=3 * 365)
    renewal = add_years(registered, TRADEMARK_RENEWAL_YEARS)

    sign_in(page, live_server.url, member.email, PASSWORD)
    open_nav(page, "registry:my-msme")
    assert page.locator("h1").inner_text() == "Savanna Crafts"
    expect(page.locator("#asset-table")).to_have_count(0)
    expect(page.locator("#deadlines")).to_have_count(0)

    with page.expect_navigation():
        page.get_by_role("link", name="Add an IP asset").first.click()
    form = page.locator("main form[method='post']")
    form.get_by_role("combobox", name="Type", exact=True).select_option("trademark")
    form.get_by_label("Jurisdiction").fill("ke")
    form.get_by_label("Title or label").fill("SAVANNA (word mark)")
    form.get_by_label("Status").select_option("registered")
    form.get_by_label("Registration number").fill("KE/T/2023/001234")
    form.get_by_label("Grant / registration date").fill(registered.isoformat())
    form.get_by_label("Classes").fill("20, 24")
    with page.expect_navigation():
        form.get_by_role("button", name="Save").click()

    assert page.locator("h1").inner_text() == "Savanna Crafts"
    expect(page.locator("main [role='status']")).to_contain_text("The IP asset was saved.")
    assets = page.locator("#asset-table")
    expect(assets).to_contain_text("SAVANNA (word mark)")
    expect(assets).to_contain_text("Trademark")
    expect(assets).to_contain_text("KE/T/2023/001234")
    deadlines = page.locator("#deadlines")
    expect(deadlines.locator("li")).to_have_count(1)
    expect(deadlines).to_contain_text("Trademark renewal")
    expect(deadlines).to_contain_text(str(renewal.year))
    expect(deadlines).to_contain_text("SAVANNA (word mark)")
    expect(page.locator("#history")).to_contain_text("SAVANNA (word mark)")
    assert_styled(page)

    # On a phone the asset table scrolls inside its box; the page itself does not scroll sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_signed_in_user_registers_their_business(page, live_server, tenant_a, tenant_b):
    user = user_with_role(None)

    sign_in(page, live_server.url, user.email, PASSWORD)
    page.goto(live_server.url + "/registry/register/")
    page.get_by_label("Your country's agency").select_option(label=tenant_a.name)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text(f"With {tenant_a.name}.")

    # First without a name: the form comes back with the error and keeps everything else.
    form = page.locator("main form[method='post']")
    form.get_by_label("Registration number").fill("KE-SELF-9")
    form.get_by_label("ISIC Rev.4 sector").select_option("1079")
    form.get_by_label("Employees").fill("7")
    form.get_by_label("Region").select_option("KE-30")
    form.get_by_label("E-mail").fill("hello@savanna.example")
    form.get_by_label(re.compile(f"{tenant_a.name} may send me news")).check()
    with page.expect_navigation():
        form.get_by_role("button", name="Register").click()

    name = form.get_by_role("textbox", name="Name", exact=True)
    expect(name).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#id_name_error")).to_contain_text("This field is required.")
    assert form.get_by_label("Registration number").input_value() == "KE-SELF-9"
    assert form.get_by_label("ISIC Rev.4 sector").input_value() == "1079"
    assert form.get_by_label("Employees").input_value() == "7"
    assert form.get_by_label("Region").input_value() == "KE-30"
    assert form.get_by_label("E-mail").input_value() == "hello@savanna.example"
    assert form.get_by_label(re.compile(f"{tenant_a.name} may send me news")).is_checked()
    page.screenshot(path=str(_artifact("test_a_signed_in_user_registers_their_business-form_errors")), full_page=True)

    name.fill("Savanna Crafts")
    with page.expect_navigation():
        form.get_by_role("button", name="Register").click()

    assert page.locator("h1").inner_text() == "Savanna Crafts"
    expect(page.locator("main")).to_contain_text("Pending verification")
    expect(page.locator("main [role='status']")).to_contain_text(f"{tenant_a.name} will verify it")
    expect(page.locator("#current-role")).to_contain_text(str(Role.MSME_MEMBER.label))
    with tenant_context(tenant_a), transaction.atomic():
        assert Msme.objects.get().verification == Msme.Verification.PENDING
    with tenant_context(tenant_b), transaction.atomic():
        assert Msme.objects.count() == 0


def test_registry_list_reads_right_to_left_in_arabic(page, live_server, tenant_a):
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        for number in range(30):
            msme = MsmeFactory(name=f"Enterprise {number:02d}", registration_number=f"KE-{number:04d}")
        IpAssetFactory(msme=msme)

    page.goto(live_server.url + "/")
    form = page.locator("form:has(#language-select)")
    page.locator("#language-select").select_option("ar")
    with page.expect_navigation():
        form.locator("[type='submit']").click()
    sign_in(page, live_server.url, staff.email, PASSWORD)
    open_nav(page, "registry:index")

    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert page.locator("body").evaluate("el => getComputedStyle(el).direction") == "rtl"
    expect(page.locator("#msme-table tbody tr")).to_have_count(25)
    assert page.locator("main nav .pagination").count() == 1
    # The filters sit at the right, the results at their left.
    filters_box = page.locator("#msme-filters").bounding_box()
    table_box = page.locator("#msme-table").bounding_box()
    assert filters_box["x"] > table_box["x"], "the filter sidebar should be on the right in Arabic"
    assert_styled(page)


def _artifact(name: str):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
