"""The registry list's filters as a clerk uses them: the region by its name (or code), the ISIC sections by their
titles, and a part of a registration number; on the page, in the CSV export and in the API, which share them."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from isic import ISIC

from apps.core.roles import Role
from apps.registry import rules
from apps.registry.filters import SEARCH_MIN_LENGTH, SECTION_CHOICES
from apps.registry.isic import SECTION_TITLES
from apps.tenants.context import tenant_context
from tests.registry.factories import MsmeFactory

pytestmark = pytest.mark.django_db

INDEX = "registry:index"
MSMES = "/api/v1/msmes/"


@pytest.fixture
def agency(login_as, tenant_a):
    return login_as(Role.AGENCY_STAFF, tenant_a)


def make(tenant, **fields):
    with tenant_context(tenant):
        return MsmeFactory(**fields)


def listed(client, params, *, status=200, **headers) -> str:
    response = client.get(reverse(INDEX), params, **headers)
    assert response.status_code == status, response.content.decode()[:500]
    return response.content.decode()


def api_names(client, params) -> list[str]:
    response = client.get(MSMES, params)
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


def region_select(page: str) -> str:
    match = re.search(r'<select[^>]*name="region"[^>]*>(.*?)</select>', page, re.S)
    assert match, "no region select"
    return match.group(1)


# --- The region: by its name or its code ------------------------------------------------------------------------


@pytest.fixture
def kenyan_msmes(tenant_a, tenant_b):
    make(tenant_a, name="Nairobi Looms", region="KE-30")
    make(tenant_a, name="Mombasa Spices", region="KE-01")
    make(tenant_a, name="Nowhere Yet", region="")
    make(tenant_b, name="Manila Foods", region="PH-00")


@pytest.mark.parametrize("region", ["Nairobi City", "nairobi city", "NAIROBI CITY", "Nairobi", "KE-30", "ke-30"])
def test_the_region_filter_finds_by_name_or_code(client, agency, kenyan_msmes, region):
    page = listed(client, {"region": region})
    assert "Nairobi Looms" in page
    assert "Mombasa Spices" not in page and "Nowhere Yet" not in page and "Manila Foods" not in page


def test_the_page_offers_the_agency_s_regions_by_name_and_selects_the_one_found(client, agency, kenyan_msmes):
    options = region_select(listed(client, {}))
    found = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', options)
    assert found[0] == ("", "Any")
    assert ("KE-30", "Nairobi City") in found and ("KE-01", "Baringo") in found
    assert len(found) == 1 + len(rules.subdivisions("KE"))  # Kenya's 47 counties, and no other country's
    assert not any(code.startswith("PH-") for code, _name in found)
    names = [name for _code, name in found[1:]]
    assert names == sorted(names, key=str.casefold)
    # A name typed into the address selects its region in the form.
    selected = region_select(listed(client, {"region": "nairobi"}))
    assert re.search(r'<option value="KE-30" selected>Nairobi City</option>', selected)
    assert "ISO 3166-2" not in selected


def test_the_regions_are_named_in_the_user_s_language_and_found_by_either_name(client, login_as, tenant_b):
    login_as(Role.AGENCY_STAFF, tenant_b)
    make(tenant_b, name="Manila Foods", region="PH-00")
    make(tenant_b, name="Cebu Crafts", region="PH-CEB")
    client.cookies["django_language"] = "fr"
    page = listed(client, {})
    assert '<option value="PH-00">Région de la capitale nationale</option>' in region_select(page)
    for name in ("Région de la capitale nationale", "region de la capitale", "National Capital Region", "PH-00"):
        found = listed(client, {"region": name})
        assert "Manila Foods" in found and "Cebu Crafts" not in found, name
    client.cookies["django_language"] = "en"
    assert '<option value="PH-00">National Capital Region</option>' in region_select(listed(client, {}))


def test_each_country_gets_its_own_cached_region_select(client, login_as, tenant_a, tenant_b):
    login_as(Role.AGENCY_STAFF, tenant_a)
    assert "Nairobi City" in region_select(listed(client, {}))
    login_as(Role.AGENCY_STAFF, tenant_b)  # the same page and query string, another country
    options = region_select(listed(client, {}))
    assert "National Capital Region" in options and "Nairobi City" not in options


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ("Atlantis", "Atlantis is not a region of this country."),
        ("Ki", "Ki is not a region of this country."),  # too short to stand for the start of a name
        ("Ta", "Ta is not a region of this country."),
    ],
)
def test_a_region_that_is_not_the_country_s_is_refused_with_a_message(client, agency, kenyan_msmes, region, message):
    page = listed(client, {"region": region}, status=400)
    assert message in page
    assert "Nairobi Looms" not in page and "Mombasa Spices" not in page


@pytest.mark.parametrize("code", ["PH-00", "ke-99"])
def test_a_code_that_is_not_the_country_s_finds_nothing_as_before(client, agency, kenyan_msmes, code):
    page = listed(client, {"region": code})
    assert "Nairobi Looms" not in page and "Manila Foods" not in page
    assert "No MSME matches these filters." in page
    assert f'<option value="{code.upper()}" selected>{code.upper()}</option>' in region_select(page)
    assert api_names(client, {"region": code}) == []


def test_the_start_of_several_regions_names_is_refused_and_names_them(client, login_as, tenant_b):
    login_as(Role.AGENCY_STAFF, tenant_b)
    make(tenant_b, name="Davao Farms", region="PH-DAS")
    page = listed(client, {"region": "Davao"}, status=400)
    assert "Davao starts the names of several regions" in page and "Davao del Sur" in page
    assert "Davao Farms" not in page
    assert "Davao Farms" in listed(client, {"region": "Davao del Sur"})


def test_the_api_and_the_export_read_the_region_the_same_way(client, agency, kenyan_msmes):
    assert api_names(client, {"region": "Nairobi City"}) == ["Nairobi Looms"]
    assert api_names(client, {"region": "KE-30"}) == ["Nairobi Looms"]
    refused = client.get(MSMES, {"region": "Atlantis"})
    assert refused.status_code == 400 and "not a region" in refused.json()["region"][0]
    export = client.get(reverse("registry:export-csv"), {"region": "nairobi"})
    body = b"".join(export.streaming_content).decode()
    assert "Nairobi Looms" in body and "Mombasa Spices" not in body


def test_region_search_reads_codes_names_and_unique_starts():
    assert rules.region_search("Nairobi City", country="KE", language="en") == ("KE-30", None)
    assert rules.region_search(" ke-30 ", country="KE", language="en") == ("KE-30", None)
    assert rules.region_search("Nairobi", country="KE", language="en") == ("KE-30", None)
    assert rules.region_search("ph-00", country="KE", language="en") == ("PH-00", None)  # a code: finds nothing
    assert rules.region_search("qina", country="EG", language="en") == ("EG-KN", None)  # "Qinā" without its accent
    assert rules.region_search("Cotabato Sud", country="PH", language="fr") == ("PH-SCO", None)
    assert rules.region_search("South Cotabato", country="PH", language="fr") == ("PH-SCO", None)
    code, error = rules.region_search("Cotabato Sud", country="PH", language="en")
    assert code is None and "not a region" in error  # the French name is read when the user reads French
    assert dict(rules.region_names("PH", "fr"))["PH-SCO"] == "Cotabato Sud"
    assert dict(rules.region_names("KE", "ar"))["KE-30"] == "Nairobi City"  # no translation: the English name


# --- ISIC sections: their titles, translatable ------------------------------------------------------------------


def test_the_sector_filter_shows_each_section_with_its_title(client, agency):
    page = listed(client, {})
    assert "A · Agriculture, forestry and fishing" in page
    assert "C · Manufacturing" in page
    assert "U · Activities of extraterritorial organizations and bodies" in page
    labels = re.findall(r'name="sector_section" value="([A-U])"[^>]*>\s*<label[^>]*>([^<]*)</label>', page)
    assert [code for code, _label in labels] == [chr(c) for c in range(ord("A"), ord("U") + 1)]
    assert all(label.startswith(f"{code} · ") for code, label in labels)


def test_the_section_titles_are_the_isic_package_s_and_translatable():
    sections = {code: title for code, title in ISIC.items() if code.isalpha()}
    assert {code: str(title) for code, title in SECTION_TITLES.items()} == sections
    assert all(isinstance(title, Promise) for title in SECTION_TITLES.values())  # gettext_lazy: in the user's language
    assert [str(label) for _code, label in SECTION_CHOICES] == [f"{code} · {title}" for code, title in sections.items()]


def test_the_section_labels_follow_the_active_language(monkeypatch):
    real = translation._trans.gettext

    def with_entry(message: str) -> str:  # a translator's French entry, for the test
        return "Fabrication" if message == "Manufacturing" and translation.get_language() == "fr" else real(message)

    monkeypatch.setattr(translation._trans, "gettext", with_entry)
    label = dict(SECTION_CHOICES)["C"]
    with translation.override("fr"):
        assert str(label) == "C · Fabrication"
    with translation.override("en"):
        assert str(label) == "C · Manufacturing"


def test_the_section_filter_still_selects_by_letter(client, agency, tenant_a):
    make(tenant_a, name="Loom Works", sector_isic_id="1392", sector_section="C")
    make(tenant_a, name="Code Shop", sector_isic_id="J", sector_section="J")
    page = listed(client, {"sector_section": "C"})
    assert "Loom Works" in page and "Code Shop" not in page
    assert api_names(client, {"sector_section": ["C", "J"]}) == ["Code Shop", "Loom Works"]


# --- A part of a registration number, bounded ---------------------------------------------------------------------


@pytest.fixture
def numbered(tenant_a):
    make(tenant_a, name="Lake Pottery", registration_number="PVT-2019-44712")
    make(tenant_a, name="Hill Coffee", registration_number="PVT-2020-10001")
    make(tenant_a, name="Coast Salt", registration_number="CPR/2018/4470")


@pytest.mark.parametrize("term", ["4471", "44712", "pvt-2019", "2019-4", "PVT-2019-44712"])
def test_a_part_of_a_registration_number_finds_it(client, agency, numbered, term):
    page = listed(client, {"q": term})
    assert "Lake Pottery" in page
    assert "Hill Coffee" not in page and "Coast Salt" not in page


def test_the_search_still_finds_a_part_of_the_name_and_the_api_does_too(client, agency, numbered):
    page = listed(client, {"q": "pottery"})
    assert "Lake Pottery" in page and "Hill Coffee" not in page
    assert api_names(client, {"q": "4471"}) == ["Lake Pottery"]
    assert api_names(client, {"q": "447"}) == ["Coast Salt", "Lake Pottery"]


def test_the_help_text_says_how_long_a_term_must_be(client, agency):
    page = listed(client, {})
    assert f"Part of the name or of the registration number, at least {SEARCH_MIN_LENGTH} characters." in page


@pytest.mark.parametrize("term", ["44", "a", " 4 "])
def test_a_term_too_short_is_refused_with_a_message_not_searched(client, agency, numbered, term):
    with CaptureQueriesContext(connection) as captured:
        page = listed(client, {"q": term}, status=400)
    assert "Type at least 3 characters to search" in page
    assert 'aria-invalid="true"' in page
    assert "Lake Pottery" not in page and "Hill Coffee" not in page
    # Refused before any query: nothing of the registry was read for it.
    assert not [q["sql"] for q in captured.captured_queries if "LIKE" in q["sql"].upper()]


def test_the_api_and_the_export_refuse_a_term_too_short(client, agency, numbered):
    refused = client.get(MSMES, {"q": "44"})
    assert refused.status_code == 400
    assert "Type at least 3 characters" in refused.json()["q"][0]
    export = client.get(reverse("registry:export-csv"), {"q": "44"})
    assert export.status_code == 400 and "Type at least 3 characters" in export.content.decode()


def test_a_search_costs_the_same_queries_as_the_plain_list(client, agency, tenant_a):
    for i in range(5):
        make(tenant_a, name=f"Firm {i}", registration_number=f"PVT-2019-{i:05d}", region="KE-30")

    def count(params) -> int:
        with CaptureQueriesContext(connection) as captured:
            listed(client, params)
        return len(captured)

    count({})  # the first reads the user's saved filters into the cache (apps.accounts.selectors)
    plain = count({})
    assert count({"q": "2019-0"}) == plain
    assert count({"q": "2019-0", "region": "Nairobi City"}) == plain
    for i in range(30):
        make(tenant_a, name=f"More {i}", registration_number=f"PVT-2019-1{i:04d}", region="KE-30")
    assert count({"q": "2019-", "region": "nairobi"}) == plain


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_registration_numbers_have_a_trigram_index_that_starts_with_the_tenant():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'msme_tenant_regno_trgm'")
        (definition,) = cursor.fetchone()
    assert "USING gin (tenant_id, upper((registration_number)::text) gin_trgm_ops)" in definition


def test_on_a_phone_the_filters_open_themselves_when_one_is_refused(client, login_as, tenant_a):
    login_as(Role.AGENCY_STAFF, tenant_a)
    folded = client.get("/registry/").content.decode()
    assert 'class="collapse d-lg-block portal-filters-collapse"' in folded
    refused = client.get("/registry/", {"q": "ab"})
    assert refused.status_code == 400
    assert 'class="collapse show d-lg-block portal-filters-collapse"' in refused.content.decode()
