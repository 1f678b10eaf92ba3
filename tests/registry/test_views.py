"""Registry pages: agency staff's list, filters, forms, verification, export, erasure; members' own MSME."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.roles import Role
from apps.registry import rules
from apps.registry.models import IpAsset, Msme, MsmeMember
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent
from tests.registry.factories import IpAssetFactory, MsmeFactory, MsmeMemberFactory
from tests.test_rls import restricted_role, restricted_transaction  # noqa: F401 (restricted_role: a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(login_as, tenant_a):
    return login_as(Role.AGENCY_STAFF, tenant_a)


def make(tenant, **fields):
    with tenant_context(tenant):
        return MsmeFactory(**fields)


def test_list_needs_agency_staff(client, login_as, tenant_a):
    assert client.get(reverse("registry:index")).status_code == 302  # to sign in
    login_as(Role.MSME_MEMBER, tenant_a)
    response = client.get(reverse("registry:index"))
    assert response.status_code == 403
    assert "Agency staff" in response.content.decode()


def test_list_search_filter_sort_and_paginate(client, agency, tenant_a, tenant_b):
    make(tenant_a, name="Savanna Crafts", registration_number="KE-1", employees=3, size_class="micro", exports=True)
    make(tenant_a, name="Nile Foods", registration_number="KE-2", employees=70, size_class="medium")
    make(tenant_b, name="Foreign Foods", registration_number="PH-1")
    page = client.get(reverse("registry:index")).content.decode()
    assert "Savanna Crafts" in page and "Nile Foods" in page and "Foreign Foods" not in page
    assert "Nile Foods" in client.get(reverse("registry:index"), {"q": "foods"}).content.decode()
    assert "Savanna" not in client.get(reverse("registry:index"), {"q": "foods"}).content.decode()
    assert "Savanna" in client.get(reverse("registry:index"), {"q": "KE-1"}).content.decode()
    only_medium = client.get(reverse("registry:index"), {"size_class": "medium"}).content.decode()
    assert "Nile Foods" in only_medium and "Savanna" not in only_medium
    exporters = client.get(reverse("registry:index"), {"exports": "true"}).content.decode()
    assert "Savanna" in exporters and "Nile" not in exporters
    by_staff = client.get(reverse("registry:index"), {"ordering": "-employees"}).content.decode()
    assert by_staff.index("Nile Foods") < by_staff.index("Savanna Crafts")


def test_list_paginates_with_a_constant_number_of_queries(client, agency, tenant_a):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("registry:index")).status_code == 200
        return len(captured)

    for i in range(3):
        make(tenant_a, name=f"Small {i}")
    queries()  # the first reads the user's saved filters into the cache (apps.accounts.selectors)
    few = queries()
    for i in range(60):
        make(tenant_a, name=f"Many {i:02d}")
    assert queries() == few
    page_two = client.get(reverse("registry:index"), {"page": 2}).content.decode()
    assert "Page 2 of 3" in page_two


def test_empty_list_says_so(client, agency):
    assert "No MSME matches these filters." in client.get(reverse("registry:index")).content.decode()


def test_create_with_errors_reshows_the_form_and_keeps_the_input(client, agency, tenant_a):
    make(tenant_a, registration_number="DUP-1")
    response = client.post(
        reverse("registry:create"),
        {
            "name": "Keep me",
            "registration_number": "DUP-1",
            "sector_isic": "1079",
            "employees": "-4",
            "founded_year": "2999",
            "email": "nope",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "already has this registration number" in page
    assert "cannot be in the future" in page
    assert 'value="Keep me"' in page
    with tenant_context(tenant_a):
        assert Msme.objects.count() == 1


def test_create_computes_size_and_audits(client, agency, tenant_a):
    response = client.post(
        reverse("registry:create"),
        {
            "name": "Acacia Labs",
            "registration_number": "N-9",
            "sector_isic": "7220",
            "employees": "12",
            "region": "KE-30",
            "consent_outreach": "on",
        },
    )
    assert response.status_code == 302
    with tenant_context(tenant_a):
        msme = Msme.objects.get(registration_number="N-9")
        assert (msme.size_class, msme.sector_section, msme.consent_source) == ("small", "M", "agency")
        assert msme.consent_given_at is not None
        assert AuditEvent.objects.get(object_id=msme.pk).actor == agency


def test_detail_shows_assets_deadlines_and_history(client, agency, tenant_a):
    msme = make(tenant_a, name="Baobab Media")
    with tenant_context(tenant_a):
        IpAssetFactory(msme=msme, title="BAOBAB word mark", grant_date="2017-03-01", status="registered")
    edited = client.post(
        reverse("registry:edit", args=[msme.pk]),
        {
            "name": "Baobab Media Ltd",
            "registration_number": msme.registration_number,
            "sector_isic": "1079",
            "employees": "5",
        },
    )
    assert edited.status_code == 302, edited.content.decode()[-3000:]
    page = client.get(reverse("registry:detail", args=[msme.pk])).content.decode()
    assert "BAOBAB word mark" in page and "Trademark renewal" in page
    assert "Baobab Media Ltd" in page
    assert 'id="history"' in page


def test_verify_and_set_maturity(client, agency, tenant_a):
    msme = make(tenant_a, verification="pending")
    client.post(reverse("registry:verify", args=[msme.pk]))
    client.post(
        reverse("registry:maturity", args=[msme.pk]), {"maturity_level": "3", "maturity_assessed_at": "2026-01-10"}
    )
    with tenant_context(tenant_a):
        msme.refresh_from_db()
    assert msme.verification == "verified" and msme.maturity_level == 3
    with tenant_context(tenant_a):
        assert {e.action for e in AuditEvent.objects.filter(object_id=msme.pk)} == {"verify", "update"}
    bad = client.post(reverse("registry:maturity", args=[msme.pk]), {"maturity_level": "9"}, follow=True)
    assert "Select a valid choice" in bad.content.decode()
    with tenant_context(tenant_a):
        msme.refresh_from_db()
    assert msme.maturity_level == 3


def test_the_page_shows_one_maturity_and_where_it_comes_from(client, agency, tenant_a):
    from apps.diagnostics import services as diagnostics
    from tests.diagnostics.helpers import LEVEL_3

    msme = make(tenant_a)
    page = client.get(reverse("registry:detail", args=[msme.pk])).content.decode()
    assert 'data-origin=""' in page and "Not assessed yet" in page

    client.post(
        reverse("registry:maturity", args=[msme.pk]), {"maturity_level": "2", "maturity_assessed_at": "2026-01-10"}
    )
    page = client.get(reverse("registry:detail", args=[msme.pk])).content.decode()
    assert 'data-origin="agency"' in page and "The agency's judgement of 10 Jan 2026" in page
    # The diagnostics section does not contradict it: no diagnostic, and the level is the agency's.
    assert "the maturity level above is the agency's judgement" in page
    assert "Record an IP maturity assessment" not in page and "Judge the level without the diagnostic" in page

    with tenant_context(tenant_a):
        diagnostics.assessment_record(msme=msme, answers=LEVEL_3, source="agency")
    page = client.get(reverse("registry:detail", args=[msme.pk])).content.decode()
    assert 'data-origin="diagnostic"' in page and "From the IP diagnostic of" in page
    assert 'id="no-assessment"' not in page


# The detail page's queries: the user and their memberships, the transaction's savepoint and its release, the
# MSME, its IP assets (once: the register, the deadlines and the plan), its assessments (once: the maturity's
# origin, the diagnostics section and the plan), its tenant (the plan's country), its history's count and rows.
DETAIL_QUERIES = 10


def test_the_detail_page_reads_the_assessments_and_the_assets_once(client, agency, tenant_a, django_assert_num_queries):
    from apps.diagnostics import services as diagnostics
    from tests.diagnostics.helpers import LEVEL_3

    msme = make(tenant_a)
    with tenant_context(tenant_a):
        IpAssetFactory(msme=msme, title="BAOBAB word mark", grant_date="2017-03-01", status="registered")
        diagnostics.assessment_record(msme=msme, answers=LEVEL_3, source="agency")
    with django_assert_num_queries(DETAIL_QUERIES) as captured:
        page = client.get(reverse("registry:detail", args=[msme.pk])).content.decode()
    tables = [
        query["sql"].split(" FROM ")[1].split()[0] for query in captured.captured_queries if " FROM " in query["sql"]
    ]
    assert tables.count('"diagnostics_assessment"') == 1 and tables.count('"registry_ipasset"') == 1
    # What each of them shows is still there: the level from the diagnostic, the trend, the plan, the deadlines.
    assert 'data-origin="diagnostic"' in page and 'id="latest-assessment"' in page
    assert 'id="plan-summary"' in page and "Trademark renewal" in page

    # An MSME never assessed, without assets: the same queries (none read again for want of a row).
    bare = make(tenant_a)
    judged = {"maturity_level": "2", "maturity_assessed_at": "2026-01-10"}
    client.post(reverse("registry:maturity", args=[bare.pk]), judged, follow=True)  # its message shown there
    with django_assert_num_queries(DETAIL_QUERIES):
        page = client.get(reverse("registry:detail", args=[bare.pk])).content.decode()
    assert 'data-origin="agency"' in page and 'id="no-assessment"' in page


def test_csv_export_follows_the_filter_and_neutralises_formulas(client, agency, tenant_a, tenant_b):
    make(tenant_a, name="=SUM(A1:A2)", registration_number="F-1", size_class="micro")
    make(tenant_a, name="Medium One", registration_number="F-2", size_class="medium")
    make(tenant_b, name="Not ours", registration_number="F-3", size_class="micro")
    response = client.get(reverse("registry:export-csv"), {"size_class": "micro"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["name", "registration_number", "sector_isic", "employees"]
    assert [row[0] for row in rows[1:]] == ["'=SUM(A1:A2)"]


def test_json_export_and_erasure(client, agency, tenant_a):
    msme = make(tenant_a, name="Private Person Trading", email="owner@example.org", employees=2)
    with tenant_context(tenant_a):
        IpAssetFactory(msme=msme, owner="Jane Private")
    client.post(
        reverse("registry:edit", args=[msme.pk]),
        {
            "name": "Private Person Trading",
            "registration_number": msme.registration_number,
            "sector_isic": "1079",
            "employees": "3",
            "email": "new-owner@example.org",
        },
    )
    export = json.loads(client.get(reverse("registry:export-json", args=[msme.pk])).content)
    assert export["msme"]["email"] == "new-owner@example.org"
    assert export["assets"][0]["owner"] == "Jane Private" and export["history"]
    assert client.post(reverse("registry:erase", args=[msme.pk])).status_code == 302
    after = client.get(reverse("registry:export-json", args=[msme.pk])).content.decode()
    assert "owner@example.org" not in after and "Private Person" not in after and "Jane Private" not in after
    with tenant_context(tenant_a):
        msme.refresh_from_db()
    assert (msme.employees, msme.size_class, msme.sector_section) == (3, "micro", "C")
    assert msme.erased_at is not None


def test_member_sees_and_edits_only_their_own_msme(client, login_as, tenant_a):
    member = login_as(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a):
        own = MsmeFactory(name="My Shop")
        MsmeMemberFactory(msme=own, user=member)
        other = MsmeFactory(name="Neighbour")
    assert client.get(reverse("registry:my-msme")).url == reverse("registry:detail", args=[own.pk])
    assert client.get(reverse("registry:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("registry:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("registry:edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("registry:verify", args=[own.pk])).status_code == 403
    response = client.post(
        reverse("registry:asset-create", args=[own.pk]),
        {"asset_type": "trademark", "jurisdiction": "ke", "title": "MY SHOP", "status": "pending"},
    )
    assert response.status_code == 302
    with tenant_context(tenant_a):
        assert IpAsset.objects.get(msme=own).jurisdiction == "KE"


def test_asset_form_refuses_a_trade_secret_with_notes_and_bad_dates(client, login_as, tenant_a):
    member = login_as(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a):
        own = MsmeFactory()
        MsmeMemberFactory(msme=own, user=member)
    response = client.post(
        reverse("registry:asset-create", args=[own.pk]),
        {
            "asset_type": "trade_secret",
            "jurisdiction": "KE",
            "title": "Recipe",
            "status": "in_use",
            "notes": "2 cups of flour and the secret spice",
            "filing_date": "2025-01-02",
            "grant_date": "2024-01-01",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "never write the secret" in page and "cannot be before" in page
    with tenant_context(tenant_a):
        assert not IpAsset.objects.exists()


def test_self_registration(client, django_user_model, tenant_a):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    step_one = client.get(reverse("registry:register"))
    assert tenant_a.name in step_one.content.decode()
    step_two = client.post(reverse("registry:register"), {"choose": "1", "tenant": tenant_a.pk})
    assert "Register your business" in step_two.content.decode()
    bad = client.post(reverse("registry:register"), {"choose": "1", "tenant": tenant_a.pk, "register": "1", "name": ""})
    assert bad.status_code == 400
    done = client.post(
        reverse("registry:register"),
        {
            "choose": "1",
            "tenant": tenant_a.pk,
            "register": "1",
            "name": "Fresh Start",
            "registration_number": "FS-1",
            "sector_isic": "C",
            "employees": "2",
            "consent_outreach": "on",
        },
    )
    assert done.status_code == 302
    with tenant_context(tenant_a):
        msme = Msme.objects.get(registration_number="FS-1")
        assert msme.verification == "pending" and msme.consent_source == "self_registration"
        assert MsmeMember.objects.get(user=user).msme == msme
    assert user.memberships.get().role == "msme_member"


def test_sorting_ends_with_the_id_so_pages_are_stable(tenant_a):
    from apps.registry.selectors import msme_list

    with tenant_context(tenant_a):
        for i in range(3):
            MsmeFactory(name=f"Same {i}", employees=7)
        _filterset, queryset = msme_list(filters={"ordering": "-employees"})
        assert queryset.query.order_by == ("-employees", "id")
        assert [m.employees for m in queryset] == [7, 7, 7]


def test_removing_an_asset_asks_first(client, login_as, tenant_a):
    member = login_as(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a):
        own = MsmeFactory()
        MsmeMemberFactory(msme=own, user=member)
        asset = IpAssetFactory(msme=own, title="Old logo")
    url = reverse("registry:asset-delete", args=[own.pk, asset.pk])
    page = client.get(url).content.decode()
    assert "Old logo" in page and "will be removed" in page
    with tenant_context(tenant_a):
        assert IpAsset.objects.filter(pk=asset.pk).exists()
    assert client.post(url).status_code == 302
    with tenant_context(tenant_a):
        assert not IpAsset.objects.filter(pk=asset.pk).exists()
        assert AuditEvent.objects.filter(object_id=asset.pk, action="delete").exists()


def test_detail_shows_region_and_language_names_and_readable_history(client, agency, tenant_a):
    msme = make(tenant_a, region="KE-30", preferred_language="sw")
    client.post(
        reverse("registry:edit", args=[msme.pk]),
        {
            "name": msme.name,
            "registration_number": msme.registration_number,
            "sector_isic": "1079",
            "employees": "5",
            "annual_turnover_eur": "1200",
            "region": "KE-30",
            "preferred_language": "sw",
        },
    )
    page = client.get(reverse("registry:detail", args=[msme.pk])).content.decode()
    assert "Nairobi City" in page and "Swahili" in page
    history = page.split('id="history"')[1]
    assert "annual turnover (EUR)" in history and "annual_turnover_eur" not in history


def region_field(page: str) -> str:
    match = re.search(r'<(select|input)[^>]*name="region"[^>]*>(.*?</select>)?', page, re.S)
    assert match, "no region field"
    return match.group(0)


def test_the_msme_form_offers_the_agency_s_regions_by_name_in_the_user_s_language(client, login_as, tenant_b):
    login_as(Role.AGENCY_STAFF, tenant_b)
    client.cookies["django_language"] = "fr"
    field = region_field(client.get(reverse("registry:create")).content.decode())
    assert field.startswith("<select")
    assert '<option value="PH-00">Région de la capitale nationale</option>' in field
    assert "National Capital Region" not in field and "KE-30" not in field  # the agency's country's only
    codes = re.findall(r'<option value="([^"]+)">', field)
    assert codes == [code for code, _name in rules.region_names("PH", "fr")]  # by their French names
    assert len(codes) == len(rules.subdivisions("PH"))

    # The code is what is posted and stored; the edit form selects the stored one by its name.
    data = {"name": "Manila Foods", "registration_number": "PH-9", "sector_isic": "1079", "employees": "4"}
    assert client.post(reverse("registry:create"), {**data, "region": "PH-00"}).status_code == 302
    with tenant_context(tenant_b):
        msme = Msme.objects.get(registration_number="PH-9")
    assert msme.region == "PH-00"
    edit = region_field(client.get(reverse("registry:edit", args=[msme.pk])).content.decode())
    assert '<option value="PH-00" selected>Région de la capitale nationale</option>' in edit
    client.cookies["django_language"] = "en"
    edit = region_field(client.get(reverse("registry:edit", args=[msme.pk])).content.decode())
    assert '<option value="PH-00" selected>National Capital Region</option>' in edit

    # The registry's rule still checks what is posted, and the bad value is shown as given, with its error.
    refused = client.post(reverse("registry:edit", args=[msme.pk]), {**data, "region": "Atlantis"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert '<option value="Atlantis" selected>Atlantis</option>' in region_field(page)
    assert "Atlantis is not a region of this country." in page


def test_the_msme_form_asks_for_a_region_in_words_in_a_country_without_known_regions(client, login_as):
    from tests.factories import TenantFactory

    tenant = TenantFactory(slug="hk", name="Hong Kong Agency", country="HK")
    assert rules.subdivisions("HK") == ()
    login_as(Role.AGENCY_STAFF, tenant)
    field = region_field(client.get(reverse("registry:create")).content.decode())
    assert field.startswith('<input type="text" name="region"') and 'class="form-control"' in field


def test_the_isic_choices_list_each_section_before_its_classes(tenant_a):
    from apps.registry.forms import MsmeForm

    codes = [code for code, _label in MsmeForm(tenant=tenant_a, actor=None).fields["sector_isic"].choices if code]
    codes = [str(code) for code in codes]
    assert codes[:4] == ["A", "01", "011", "0111"]
    assert codes.index("B") == codes.index("0322") + 1


def test_a_user_without_a_role_is_offered_registration(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    page = client.get(reverse("home")).content.decode()
    assert reverse("registry:register") in page


# --- Verification, NUL characters, export filters and encoding, registration numbers ------------


def edit_data(msme, **overrides) -> dict:
    values = {
        "name": msme.name,
        "registration_number": msme.registration_number,
        "sector_isic": "1079",
        "employees": str(msme.employees),
    }
    values.update(overrides)
    return values


@pytest.fixture
def member_and_own(login_as, tenant_a):
    member = login_as(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a):
        own = MsmeFactory(name="My Shop", registration_number="SHOP-1")
        MsmeMemberFactory(msme=own, user=member)
    return member, own


def test_a_members_rename_on_the_edit_page_needs_verification_again(client, member_and_own, tenant_a):
    _member, own = member_and_own
    response = client.post(reverse("registry:edit", args=[own.pk]), edit_data(own, name="My Shop Renamed"))
    assert response.status_code == 302
    with tenant_context(tenant_a):
        own.refresh_from_db()
        event = AuditEvent.objects.get(object_id=own.pk, action="update")
    assert own.verification == "pending"
    assert event.changes["name"] == ["My Shop", "My Shop Renamed"]
    assert event.changes["verification"] == ["verified", "pending"]
    history = client.get(reverse("registry:detail", args=[own.pk])).content.decode().split('id="history"')[1]
    assert "verification" in history


def test_agency_staff_rename_on_the_edit_page_keeps_the_verification(client, agency, tenant_a):
    msme = make(tenant_a, name="Loom")
    response = client.post(reverse("registry:edit", args=[msme.pk]), edit_data(msme, name="Loom Ltd"))
    assert response.status_code == 302
    with tenant_context(tenant_a):
        msme.refresh_from_db()
    assert (msme.name, msme.verification) == ("Loom Ltd", "verified")


@pytest.mark.parametrize(
    "field",
    ["name", "registration_number", "sector_isic", "region", "email", "phone", "website", "preferred_language"],
)
def test_a_nul_character_in_any_msme_form_field_reshows_the_form(client, agency, tenant_a, field):
    msme = make(tenant_a)
    response = client.post(reverse("registry:edit", args=[msme.pk]), edit_data(msme, **{field: "1\x00"}))
    assert response.status_code == 400
    response = client.post(
        reverse("registry:create"), edit_data(msme, **{"registration_number": "NEW-1", field: "1\x00"})
    )
    assert response.status_code == 400


@pytest.mark.parametrize("field", ["jurisdiction", "title", "application_number", "classes", "owner", "notes"])
def test_a_nul_character_in_any_asset_form_field_reshows_the_form(client, agency, tenant_a, field):
    msme = make(tenant_a)
    data = {"asset_type": "trademark", "jurisdiction": "KE", "title": "MARK", "status": "pending", field: "KE\x00"}
    response = client.post(reverse("registry:asset-create", args=[msme.pk]), data)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("query", "named"),
    [({"maturity_level": "9"}, "maturity_level"), ({"verification": "bogus"}, "verification")],
)
def test_the_csv_export_refuses_an_invalid_filter(client, agency, tenant_a, query, named):
    make(tenant_a, name="Everyone")
    response = client.get(reverse("registry:export-csv"), query)
    assert response.status_code == 400
    body = response.content.decode()
    assert named in body and "Everyone" not in body


def test_the_list_page_refuses_an_invalid_filter_instead_of_listing_everything(client, agency, tenant_a):
    make(tenant_a, name="Everyone")
    response = client.get(reverse("registry:index"), {"maturity_level": "9"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice" in page and "Everyone" not in page


def test_the_csv_export_is_utf8_with_a_bom_for_spreadsheets(client, agency, tenant_a):
    make(tenant_a, name="مؤسسة النخيل للحرف", registration_number="AR-1")
    response = client.get(reverse("registry:export-csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][0] == "name"
    assert rows[1][0] == "مؤسسة النخيل للحرف"


def test_the_csv_export_reads_its_rows_in_the_tenant_after_the_request_returned(client, agency, tenant_a):
    """The rows are streamed after the tenant middleware has left the tenant: they are read in it again."""
    from apps.tenants.context import get_active_tenant

    make(tenant_a, name="Streamed")
    response = client.get(reverse("registry:export-csv"))
    assert get_active_tenant() is None
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Streamed"]
    assert get_active_tenant() is None


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")
@pytest.mark.usefixtures("restricted_role")
def test_the_csv_export_streams_rows_under_row_level_security(client, agency, tenant_a):
    """As the runtime role (RLS applies): the rows read while streaming must still see the tenant."""
    make(tenant_a, name="Streamed")
    with restricted_transaction():
        response = client.get(reverse("registry:export-csv"))
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Streamed"]


def test_a_member_is_not_told_on_the_edit_page_that_the_agency_holds_a_number(client, member_and_own, tenant_a):
    _member, own = member_and_own
    make(tenant_a, registration_number="HELD-1")
    response = client.post(reverse("registry:edit", args=[own.pk]), edit_data(own, registration_number="HELD-1"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "contact your agency" in page and "already has this registration number" not in page


def test_self_registration_does_not_tell_that_a_number_is_held(client, tenant_a):
    from tests.factories import UserFactory

    make(tenant_a, registration_number="HELD-1")
    client.force_login(UserFactory())
    response = client.post(
        reverse("registry:register"),
        {
            "choose": "1",
            "tenant": tenant_a.pk,
            "register": "1",
            "name": "Copycat",
            "registration_number": "HELD-1",
            "sector_isic": "C",
            "employees": "2",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "contact your agency" in page and "already has this registration number" not in page


@pytest.mark.parametrize("value", ["9999-12-31", "1899-12-31"])
def test_the_maturity_form_refuses_an_implausible_date(client, agency, tenant_a, value):
    msme = make(tenant_a)
    response = client.post(
        reverse("registry:maturity", args=[msme.pk]),
        {"maturity_level": "3", "maturity_assessed_at": value},
        follow=True,
    )
    assert "The assessment date" in response.content.decode()
    with tenant_context(tenant_a):
        msme.refresh_from_db()
    assert msme.maturity_level is None
