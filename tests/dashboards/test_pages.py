"""The statistics pages: an agency's own figures with filters and downloads, a division's countries side by
side with small counts withheld, and nothing about any one MSME for an analyst."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from apps.core.roles import Division, Role
from apps.dashboards.models import MsmeCount
from apps.dashboards.suppression import WITHHELD
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from tests.dashboards.helpers import analyst, count, rows_of
from tests.factories import IpAssetFactory, MsmeFactory, TenantFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("dashboards:index")


@pytest.fixture
def kenya():
    """An agency of Kenya with 23 MSMEs: 12 micro in C, 8 small in J, 3 medium in A (one assessed at level 5)."""
    tenant = TenantFactory(slug="ke", name="Kenya agency", country="KE")
    with tenant_context(tenant), transaction.atomic():
        MsmeFactory.create_batch(12, sector_section="C", size_class="micro", region="KE-01")
        MsmeFactory.create_batch(8, sector_section="J", size_class="small", region="KE-02", maturity_level=3)
        MsmeFactory.create_batch(2, sector_section="A", size_class="medium", exports=True)
        MsmeFactory(sector_section="A", size_class="medium", exports=True, maturity_level=5)
    count(tenant)
    return tenant


@pytest.fixture
def philippines():
    tenant = TenantFactory(slug="ph", name="Philippines agency", country="PH")
    with tenant_context(tenant), transaction.atomic():
        MsmeFactory.create_batch(30, sector_section="C", size_class="micro")
        MsmeFactory.create_batch(4, sector_section="G", size_class="small")
    count(tenant)
    return tenant


# --- The agency's dashboard --------------------------------------------------------------------------------


def test_the_agency_sees_its_tenants_figures(client, login_as, kenya, philippines):
    login_as(Role.AGENCY_STAFF, kenya)
    response = client.get(INDEX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "23 MSMEs" in page
    tables = {table.slug: dict(table.rows) for table in response.context["tables"]}
    assert tables["size"] == {"Micro": 12, "Small": 8, "Medium": 3}
    assert tables["maturity"] == {"Not assessed": 14, "3 Protecting": 8, "5 Leveraging": 1}
    assert tables["exporter"] == {"Yes": 3, "No": 20}
    assert sum(n for _, n in response.context["tables"][0].rows) == 23  # none of the Philippines' 34


def test_the_filters_narrow_every_table(client, login_as, kenya):
    login_as(Role.AGENCY_STAFF, kenya)
    response = client.get(INDEX, {"sector": "A", "size": "medium"})
    assert response.status_code == 200
    tables = {table.slug: dict(table.rows) for table in response.context["tables"]}
    assert tables["size"] == {"Medium": 3}
    assert tables["exporter"] == {"Yes": 3}
    assert response.context["total"] == 3


def test_the_period_counts_msmes_registered_in_it(client, login_as, kenya):
    login_as(Role.AGENCY_STAFF, kenya)
    with tenant_context(kenya), transaction.atomic():
        Msme.objects.filter(sector_section="J").update(created_at="2024-03-15T10:00:00Z")
    count(kenya)
    response = client.get(INDEX, {"registered_from": "2024-01", "registered_to": "2024-06"})
    assert response.status_code == 200
    assert response.context["total"] == 8
    assert [(m.month.isoformat(), m.msmes) for m in response.context["months"]] == [("2024-03-01", 8)]
    everything = client.get(INDEX).context["months"]
    assert everything[0].msmes == 8 and sum(m.msmes for m in everything) == 23
    assert len(everything) > 2  # every month from March 2024 to now, the empty ones at 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"registered_from": "March"}, "registered_from"),
        ({"registered_from": "2025-05", "registered_to": "2025-01"}, "registered_to"),
        ({"size": "giant"}, "size"),
        ({"region": "FR-75"}, "region"),
    ],
)
def test_bad_filters_are_named_and_the_page_stays(client, login_as, kenya, params, field):
    login_as(Role.AGENCY_STAFF, kenya)
    response = client.get(INDEX, params)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'id="form-errors"' in response.content.decode()
    csv_response = client.get(reverse("dashboards:csv", args=["size"]), params)
    assert csv_response.status_code == 400


def test_an_empty_registry_says_so(client, login_as):
    tenant = TenantFactory()
    login_as(Role.AGENCY_STAFF, tenant)
    response = client.get(INDEX)
    assert response.status_code == 200
    assert "have not been counted yet" in response.content.decode()
    assert "There is nothing to count yet" in response.content.decode()


def test_the_agency_downloads_each_table_with_its_filters(client, login_as, kenya):
    login_as(Role.AGENCY_STAFF, kenya)
    response = client.get(reverse("dashboards:csv", args=["size"]), {"sector": "C"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert rows_of(response) == [["Size class", "MSMEs"], ["Micro", "12"], ["Total", "12"]]
    months = rows_of(client.get(reverse("dashboards:csv", args=["registrations"])))
    assert months[0] == ["Month", "MSMEs registered"] and sum(int(n) for _, n in months[1:]) == 23
    assert client.get(reverse("dashboards:csv", args=["nothing"])).status_code == 404


def test_count_again_now_brings_the_figures_up_to_date(client, login_as, kenya, django_capture_on_commit_callbacks):
    login_as(Role.AGENCY_STAFF, kenya)
    with tenant_context(kenya), transaction.atomic():
        MsmeFactory.create_batch(2, sector_section="C", size_class="micro")
    assert client.get(INDEX).context["total"] == 23
    with django_capture_on_commit_callbacks(execute=True) as sent:  # the task runs eagerly without a broker
        response = client.post(reverse("dashboards:refresh"))
    assert len(sent) == 1
    assert response.status_code == 302 and response["Location"] == INDEX
    response = client.get(INDEX)
    assert response.context["total"] == 25
    assert "being counted again" in response.content.decode()


def test_the_figures_come_from_the_cells_and_the_facts_alike(client, login_as, kenya):
    """Without a period the tables read the cells, with one the facts: the same figures for all time."""
    login_as(Role.AGENCY_STAFF, kenya)
    cells = {t.slug: t.rows for t in client.get(INDEX).context["tables"]}
    facts = {t.slug: t.rows for t in client.get(INDEX, {"registered_from": "1990-01"}).context["tables"]}
    assert cells == facts


# --- The division's dashboard ------------------------------------------------------------------------------


def test_an_analyst_sees_the_countries_side_by_side_with_small_counts_withheld(client, kenya, philippines):
    client.force_login(analyst(Division.PCT))
    response = client.get(INDEX)
    assert response.status_code == 200
    view = response.context["view"]
    assert [name for _, name in view.countries] == ["Kenya", "Philippines"]
    size = next(t for t in view.tables if t.slug == "size")
    figures = {label: [f.text for f in shown] + [total.text] for label, shown, total in size.rows}
    assert figures["Micro"] == ["12", "30", "42"]
    assert figures["Small"][1] == "<5"  # the Philippines' 4 small MSMEs
    assert figures["Small"][0] != "8"  # and Kenya's 8 with it: the total would give the 4 away
    assert figures["Large"] == ["<5", "<5", "<5"]
    page = response.content.decode()
    assert "&lt;5" in page and WITHHELD in page
    # No question asked anywhere: who answers them has no row, and says so rather than show a bare heading.
    assert not next(t for t in view.tables if t.slug == "help-routes").rows
    routes = page[page.index('id="table-help-routes"') :]
    assert routes.index("None counted.") < routes.index("<section")


def test_a_regional_bureau_sees_its_regions_countries_only(client, kenya, philippines):
    client.force_login(analyst(Division.RBAC))
    view = client.get(INDEX).context["view"]
    assert [code for code, _ in view.countries] == ["KE"]
    client.force_login(analyst(Division.RBAP))
    assert [code for code, _ in client.get(INDEX).context["view"].countries] == ["PH"]


def test_the_division_csv_shows_what_the_page_shows(client, kenya, philippines):
    client.force_login(analyst(Division.MADRID))
    page_rows = next(t for t in client.get(INDEX).context["view"].tables if t.slug == "size").rows
    rows = rows_of(client.get(reverse("dashboards:csv", args=["size"])))
    assert rows[0] == ["Size class", "Kenya", "Philippines", "Total"]
    assert rows[1:-1] == [[label, *(f.text for f in shown), total.text] for label, shown, total in page_rows]
    assert client.get(reverse("dashboards:csv", args=["region"])).status_code == 404  # too fine for a division
    assert client.get(reverse("dashboards:csv", args=["registrations"])).status_code == 404


def test_an_analyst_never_receives_an_msmes_name_contact_or_number(client, kenya, philippines):
    with tenant_context(kenya), transaction.atomic():
        private = [
            value
            for msme in Msme.objects.all()
            for value in (msme.name, msme.email, msme.phone, msme.registration_number)
            if value
        ]
    assert private
    client.force_login(analyst(Division.PCT))
    responses = [client.get(INDEX)] + [
        client.get(reverse("dashboards:csv", args=[slug])) for slug in ("size", "sector", "maturity", "spinoff")
    ]
    for response in responses:
        body = response.content.decode()
        assert not [value for value in private if value in body]


def test_a_division_without_counted_countries_gets_an_empty_page(client):
    client.force_login(analyst(Division.RBLAC))
    response = client.get(INDEX)
    assert response.status_code == 200
    assert "No agency of your countries has counted figures yet." in response.content.decode()
    assert rows_of(client.get(reverse("dashboards:csv", args=["size"]))) == [["Size class", "Total"]]


def test_an_agency_never_reads_another_tenants_cells(client, login_as, kenya, philippines):
    login_as(Role.AGENCY_STAFF, kenya)
    with tenant_context(kenya), transaction.atomic():
        assert sum(MsmeCount.objects.filter(dimension="size_class").values_list("msmes", flat=True)) == 23
    assert client.get(INDEX).context["total"] == 23


def test_every_division_table_adds_up_to_the_same_country_totals(client, kenya, philippines):
    """The tables share their country totals and grand total, shown or withheld alike (a total withheld in
    one table and shown in another would give the first one's small counts away)."""
    with tenant_context(philippines), transaction.atomic():
        MsmeFactory.create_batch(2, sector_section="C", size_class="micro", is_university_spinoff=True)
    count(philippines)
    client.force_login(analyst(Division.PCT))
    view = client.get(INDEX).context["view"]
    margins = {(*(f.text for f in t.column_totals), t.total.text) for t in view.tables if t.breakdown.counts_msmes}
    assert margins == {("23", "36", "59")}


# --- Open data and the API ---------------------------------------------------------------------------------


def test_open_data_gives_every_countrys_suppressed_figures_to_anyone(client, kenya, philippines):
    page = client.get(reverse("dashboards:open-data"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="data-dictionary"' in body and "Micro; Small; Medium; Large" in body
    assert reverse("dashboards:open-data-json", args=["sector"]) in body

    rows = rows_of(client.get(reverse("dashboards:open-data-csv", args=["size"])))
    assert rows[0] == ["Size class", "Kenya", "Philippines", "Total"]
    assert rows[1] == ["Micro", "12", "30", "42"] and rows[2][2] == "<5"

    response = client.get(reverse("dashboards:open-data-json", args=["size"]))
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    data = response.json()
    assert [c["code"] for c in data["countries"]] == ["KE", "PH"]
    assert data["rows"][0] == {"label": "Micro", "msmes": [12, 30], "total": 42}
    assert data["rows"][1]["msmes"][1] == "<5"
    assert set(data["legend"]) == {"<5", WITHHELD}
    assert client.get(reverse("dashboards:open-data-json", args=["region"])).status_code == 404


def test_open_data_never_holds_an_msmes_name_contact_or_number(client, kenya, philippines):
    with tenant_context(kenya), transaction.atomic():
        private = [v for m in Msme.objects.all() for v in (m.name, m.email, m.phone, m.registration_number) if v]
    for name in ("open-data-csv", "open-data-json"):
        for table in ("size", "sector", "maturity", "spinoff", "informal", "exporter"):
            body = client.get(reverse(f"dashboards:{name}", args=[table])).content.decode()
            assert not [value for value in private if value in body]


def test_the_api_gives_an_analyst_the_pages_suppressed_figures(client, kenya, philippines):
    client.force_login(analyst(Division.PCT))
    index = client.get(reverse("api:stats-index")).json()
    assert [t["table"] for t in index["tables"]] == [
        *("size", "sector", "maturity", "spinoff", "informal", "exporter"),
        *("ip-types", "ip-routes", "ip-status"),
        *("help-topics", "help-routes", "maturity-moves", "outreach", "events"),
    ]
    data = client.get(reverse("api:stats-table", args=["size"])).json()
    page = next(t for t in client.get(INDEX).context["view"].tables if t.slug == "size")
    assert [row["label"] for row in data["rows"]] == [label for label, _, _ in page.rows]
    assert [str(x) for x in data["rows"][1]["msmes"]] == [f.text for f in page.rows[1][1]]
    assert client.get(reverse("api:stats-table", args=["region"])).status_code == 404


def test_the_api_gives_an_agency_its_own_figures_with_the_filters(client, login_as, kenya):
    login_as(Role.AGENCY_STAFF, kenya)
    data = client.get(reverse("api:stats-table", args=["size"]), {"sector": "J"}).json()
    assert data["rows"] == [{"label": "Small", "msmes": 8}] and data["total"] == 8
    months = client.get(reverse("api:stats-table", args=["registrations"])).json()
    assert sum(row["msmes"] for row in months["rows"]) == 23
    bad = client.get(reverse("api:stats-table", args=["size"]), {"registered_from": "soon"})
    assert bad.status_code == 400 and "registered_from" in bad.json()


@pytest.fixture
def kenya_ip(kenya):
    """Six of Kenya's MSMEs hold marks (two of them two each), one plans a patent."""
    with tenant_context(kenya), transaction.atomic():
        msmes = list(Msme.objects.filter(sector_section="C").order_by("name")[:6])
        for msme in msmes:
            IpAssetFactory(msme=msme, asset_type="trademark", jurisdiction="KE", status="registered")
        for msme in msmes[:2]:
            IpAssetFactory(msme=msme, asset_type="trademark", jurisdiction="MADRID", status="pending")
        patent_holder = Msme.objects.filter(sector_section="J").first()
        IpAssetFactory(msme=patent_holder, asset_type="patent", jurisdiction="PCT", status="idea")
    count(kenya)
    return kenya


def test_the_agency_sees_which_share_of_its_msmes_holds_each_kind_of_ip(client, login_as, kenya_ip):
    login_as(Role.AGENCY_STAFF, kenya_ip)
    response = client.get(INDEX)
    types = next(t for t in response.context["tables"] if t.slug == "ip-types")
    assert types.rows == [("Patent", 1), ("Trademark", 6)] and types.total == 23
    assert [share for _, _, share in types.rows_with_share] == ["4%", "26%"]
    routes = dict(next(t for t in response.context["tables"] if t.slug == "ip-routes").rows)
    assert routes == {"PCT (international patent application)": 1, "Madrid (international mark)": 2, "Kenya": 6}
    assert "All MSMEs" in response.content.decode()
    filtered = client.get(INDEX, {"sector": "J"})
    assert next(t for t in filtered.context["tables"] if t.slug == "ip-types").rows == [("Patent", 1)]
    rows = rows_of(client.get(reverse("dashboards:csv", args=["ip-types"])))
    assert rows == [["Kind of IP", "MSMEs"], ["Patent", "1"], ["Trademark", "6"], ["All MSMEs", "23"]]


def test_the_pct_sees_ip_first_with_small_counts_withheld_and_no_column_totals(client, kenya_ip, philippines):
    client.force_login(analyst(Division.PCT))
    view = client.get(INDEX).context["view"]
    assert [t.slug for t in view.tables][:4] == ["ip-types", "ip-routes", "help-topics", "ip-status"]
    types = view.tables[0]
    figures = {label: [f.text for f in shown] + [total.text] for label, shown, total in types.rows}
    # The Philippines' 0, and Kenya's 6 and the total: with either, the other would give the 0 away (and
    # Kenya's agency, which knows its own 6, the total).
    assert figures["Trademark"] == [WITHHELD, "<5", WITHHELD]
    assert figures["Patent"][0] == "<5"
    assert types.total is None and types.column_totals == []
    data = client.get(reverse("api:stats-table", args=["ip-types"])).json()
    assert data["totals"] is None
    client.force_login(analyst(Division.RBAC))
    assert next(t.slug for t in client.get(INDEX).context["view"].tables) == "size"


def test_a_regional_bureau_sees_its_columns_of_the_open_data_and_no_totals_over_its_region(client, kenya, philippines):
    """Suppressed on their own, the region's columns could withhold other counts than the open data does, and
    the two together would give small counts away; a total over the region less its shown counts too."""
    uganda = TenantFactory(slug="ug", name="Uganda agency", country="UG")
    with tenant_context(uganda), transaction.atomic():
        MsmeFactory.create_batch(9, sector_section="C", size_class="micro")
        MsmeFactory.create_batch(2, sector_section="G", size_class="small")
    count(uganda)
    open_data = client.get(reverse("dashboards:open-data-json", args=["size"])).json()
    client.force_login(analyst(Division.RBAC))
    view = client.get(INDEX).context["view"]
    assert [code for code, _ in view.countries] == ["KE", "UG"]
    size = next(t for t in view.tables if t.slug == "size")
    columns = [[c["code"] for c in open_data["countries"]].index(code) for code in ("KE", "UG")]
    for (label, figures, total), row in zip(size.rows, open_data["rows"], strict=True):
        assert total is None and label == row["label"]
        assert [str(f.value) if f.value is not None else f.text for f in figures] == [
            str(row["msmes"][i]) for i in columns
        ]
    rows = rows_of(client.get(reverse("dashboards:csv", args=["size"])))
    assert rows[0] == ["Size class", "Kenya", "Uganda"]
    assert "without totals over the region" in client.get(INDEX).content.decode()


def test_two_agencies_of_one_country_are_two_columns_never_a_sum(client, kenya, philippines):
    """Summed, one agency could take its own counts from the country's and read the other's."""
    second = TenantFactory(slug="ke2", name="Kenya chamber", country="KE")
    with tenant_context(second), transaction.atomic():
        MsmeFactory.create_batch(7, sector_section="C", size_class="micro")
    count(second)
    rows = rows_of(client.get(reverse("dashboards:open-data-csv", args=["size"])))
    assert rows[0] == ["Size class", "Kenya (Kenya agency)", "Kenya (Kenya chamber)", "Philippines", "Total"]


def test_the_agency_sees_its_marks_by_nice_class_filtered_too(client, login_as, kenya):
    with tenant_context(kenya), transaction.atomic():
        maker = Msme.objects.filter(sector_section="C").first()
        coder = Msme.objects.filter(sector_section="J").first()
        IpAssetFactory(msme=maker, asset_type="trademark", classes="25, 35")
        IpAssetFactory(msme=coder, asset_type="trademark", classes="9, 42")
        IpAssetFactory(msme=coder, asset_type="trademark", classes="42")
    count(kenya)
    login_as(Role.AGENCY_STAFF, kenya)
    classes = next(t for t in client.get(INDEX).context["tables"] if t.slug == "ip-classes")
    assert classes.rows == [("Class 9", 1), ("Class 25", 1), ("Class 35", 1), ("Class 42", 1)]
    filtered = rows_of(client.get(reverse("dashboards:csv", args=["ip-classes"]), {"sector": "J"}))
    assert filtered == [["Nice class", "MSMEs"], ["Class 9", "1"], ["Class 42", "1"], ["All MSMEs", "8"]]
