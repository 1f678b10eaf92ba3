"""The fee calculators (PCT, Madrid, Hague): the functions, the API and the pages. Totals worked out by hand."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.guidance.calculators import fees, messages

pytestmark = pytest.mark.django_db

PCT_API = "/api/v1/calculators/pct-fees/"
MADRID_API = "/api/v1/calculators/madrid-fees/"
HAGUE_API = "/api/v1/calculators/hague-fees/"
PCT_PAGE = "/guidance/calculators/pct-fees/"
MADRID_PAGE = "/guidance/calculators/madrid-fees/"
HAGUE_PAGE = "/guidance/calculators/hague-fees/"


# --- PCT ----------------------------------------------------------------------------------------


def test_pct_45_sheets_pdf_no_reduction():
    # 1330 + 15 sheets over 30 x 15 (= 225) - 100 (PDF) = 1455
    result = fees.pct_fees(sheets=45, efiling="pdf", reduction="none")
    assert [line.amount for line in result.lines] == [Decimal("1330"), Decimal("225"), Decimal("-100")]
    assert result.total == Decimal("1455.00")


@pytest.mark.parametrize("reduction", ["natural_person_eligible_state", "ldc"])
def test_pct_90_percent_reduction_comes_after_the_efiling_one(reduction):
    # 1455 (as above); 90% of 1455 = 1309.50 off; 1455 - 1309.50 = 145.50
    result = fees.pct_fees(sheets=45, efiling="pdf", reduction=reduction)
    assert result.lines[-1].amount == Decimal("-1309.50")
    assert result.total == Decimal("145.50")


def test_pct_30_sheets_on_paper_is_the_base_fee_only():
    result = fees.pct_fees(sheets=30, efiling="none", reduction="none")
    assert len(result.lines) == 1
    assert result.total == Decimal("1330.00")


def test_pct_efiling_reductions():
    # 1330 - 200 (request in XML) = 1130; 1330 - 300 (all character-coded) = 1030
    assert fees.pct_fees(sheets=10, efiling="xml", reduction="none").total == Decimal("1130.00")
    assert fees.pct_fees(sheets=10, efiling="character_coded", reduction="none").total == Decimal("1030.00")


@pytest.mark.parametrize("kwargs", [{"sheets": 0}, {"sheets": -1}, {"efiling": "fax"}, {"reduction": "sme"}])
def test_pct_refuses_bad_inputs(kwargs):
    with pytest.raises(ValueError):
        fees.pct_fees(**{"sheets": 10, "efiling": "none", "reduction": "none", **kwargs})


# --- Madrid -------------------------------------------------------------------------------------


def test_madrid_colour_5_classes_2_complementary():
    # 903 (colour) + 2 classes beyond three x 100 + 2 parties x 100 complementary = 1303
    result = fees.madrid_fees(colour=True, classes=5, designations=[], ldc=False, complementary_designations=2)
    assert [line.amount for line in result.lines] == [Decimal("903"), Decimal("200"), Decimal("200")]
    assert result.total == Decimal("1303.00")


def test_madrid_ldc_pays_10_percent_of_the_basic_fee():
    # 903 - 812.70 = 90.30 basic; + 1 complementary (100) = 190.30
    result = fees.madrid_fees(colour=True, classes=3, designations=[], ldc=True, complementary_designations=1)
    assert result.lines[0].amount + result.lines[1].amount == Decimal("90.30")
    assert result.total == Decimal("190.30")


def test_madrid_black_and_white_with_individual_fees():
    # 653 + 2 beyond three x 100 + 1 complementary x 100 + CN 249 + 4 x 125 (= 749) + AU 5 x 232 (= 1160) = 2862
    result = fees.madrid_fees(
        colour=False, classes=5, designations=["CN", "AU"], ldc=False, complementary_designations=1
    )
    assert result.total == Decimal("2862.00")
    assert {line.source for line in result.lines} >= {
        "WIPO, Individual Fees Under the Madrid Protocol: China",
        "WIPO, Individual Fees Under the Madrid Protocol: Australia",
    }


def test_madrid_no_supplementary_fee_when_every_party_takes_an_individual_fee():
    # 653 + CA 299 + 4 x 91 (= 663) = 1316: no supplementary fee
    result = fees.madrid_fees(colour=False, classes=5, designations=["CA"], ldc=False)
    assert result.total == Decimal("1316.00")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"designations": ["XX"]},
        {"designations": ["CN", "CN"]},
        {"designations": [], "complementary_designations": 0},
        {"classes": 0},
        {"classes": 46},
        {"complementary_designations": -1},
    ],
)
def test_madrid_refuses_bad_inputs(kwargs):
    args = {"colour": False, "classes": 3, "designations": ["CN"], "ldc": False, **kwargs}
    with pytest.raises(ValueError):
        fees.madrid_fees(**args)


# --- Hague --------------------------------------------------------------------------------------


def test_hague_3_designs_3_reproductions_one_level_2_party():
    # 397 + 2 x 50 (= 100; 50 for each further design since 1 January 2024) + 3 x 17 (= 51)
    # + level two: 60 + 2 x 20 (= 100) = 648
    result = fees.hague_fees(designs=3, reproductions=3, extra_pages=0, standard_level_designations={2: 1})
    assert [line.amount for line in result.lines] == [Decimal(n) for n in ("397", "100", "51", "100")]
    assert result.total == Decimal("648.00")


def test_hague_individual_designation_fees():
    # 2 designs: 397 + 50 + 2 x 17 (= 34) + EU 2 x 59 (= 118) + RU 107 + 22 (= 129) + CN 497 per application = 1225
    result = fees.hague_fees(
        designs=2,
        reproductions=2,
        extra_pages=0,
        standard_level_designations={},
        individual_designations=["EU", "RU", "CN"],
    )
    assert [line.amount for line in result.lines][-3:] == [Decimal("118"), Decimal("129"), Decimal("497")]
    assert result.total == Decimal("1225.00")
    assert result.lines[-1].source == "WIPO, Individual Fees under the Hague Agreement: China"
    assert result.lines[-1].applies_from == date(2025, 1, 1)


def test_hague_all_levels_and_paper_pages():
    # 1 design: 397 + 2 x 17 (= 34) + 1 page x 150 + level one 2 x 42 (= 84) + level three 1 x 90 = 755
    result = fees.hague_fees(designs=1, reproductions=2, extra_pages=1, standard_level_designations={1: 2, 3: 1})
    assert result.total == Decimal("755.00")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"designs": 0},
        {"designs": 101},
        {"reproductions": -1},
        {"extra_pages": -1},
        {"standard_level_designations": {4: 1}},
        {"standard_level_designations": {1: -1}},
        {"individual_designations": ["ZZ"]},
        {"individual_designations": ["EU", "EU"]},
    ],
)
def test_hague_refuses_bad_inputs(kwargs):
    args = {"designs": 1, "reproductions": 1, "extra_pages": 0, "standard_level_designations": {}, **kwargs}
    with pytest.raises(ValueError):
        fees.hague_fees(**args)


# --- The data file ------------------------------------------------------------------------------


def _entries(node):
    if isinstance(node, dict):
        if "source" in node and ("amount" in node or "percent" in node or "first" in node):
            yield node
        for value in node.values():
            yield from _entries(value)
    elif isinstance(node, list):
        for value in node:
            yield from _entries(value)


def test_every_fee_carries_its_source_date_field_and_check():
    data = json.loads(fees.DATA_FILE.read_text(encoding="utf-8"))
    entries = list(_entries(data))
    assert len(entries) >= 20
    for entry in entries:
        assert entry["source"] and entry["verified"]
        assert "applies_from" in entry
        if entry["applies_from"] is not None:
            date.fromisoformat(entry["applies_from"])


def test_every_text_of_the_fee_data_file_is_marked_for_translation():
    data = json.loads(fees.DATA_FILE.read_text(encoding="utf-8"))
    texts = {entry["label"] for entry in _entries(data) if "label" in entry}
    texts |= {office["name"] for office in data["madrid"]["individual_fees"]["offices"]}
    texts |= {office["name"] for office in data["hague"]["individual_fees"]["offices"]}
    texts.add(data["hague"]["individual_fees"]["about"])
    texts |= {data[system]["schedule"] for system in ("pct", "madrid", "hague")}
    texts.add(data["madrid"]["individual_fees"]["about"])
    assert texts <= set(messages.DATA_FILE_TEXTS)


# --- The API ------------------------------------------------------------------------------------


def test_pct_api(client):
    response = client.get(PCT_API, {"sheets": 45, "efiling": "pdf"})
    assert response.status_code == 200
    body = response.json()
    assert body["currency"] == "CHF"
    assert body["total"] == "1455.00"
    assert [line["amount"] for line in body["lines"]] == ["1330.00", "225.00", "-100.00"]
    for line in body["lines"]:
        assert {"label", "amount", "source", "applies_from", "verified"} <= line.keys()
    assert body["lines"][0]["source"] == "PCT Schedule of Fees, item 1"
    assert body["lines"][0]["applies_from"] == "2024-03-01"


def test_pct_api_with_reduction(client):
    body = client.get(PCT_API, {"sheets": 45, "efiling": "pdf", "reduction": "ldc"}).json()
    assert body["total"] == "145.50"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sheets": -1}, "sheets"),
        ({"sheets": 0}, "sheets"),
        ({"sheets": "many"}, "sheets"),
        ({}, "sheets"),
        ({"sheets": 10, "efiling": "fax"}, "efiling"),
        ({"sheets": 10, "reduction": "sme"}, "reduction"),
    ],
)
def test_pct_api_bad_input_names_the_field(client, params, field):
    response = client.get(PCT_API, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_madrid_api(client):
    response = client.get(MADRID_API, {"colour": "true", "classes": 5, "complementary_designations": 2})
    assert response.status_code == 200
    assert response.json()["total"] == "1303.00"


def test_madrid_api_takes_repeated_or_comma_separated_codes(client):
    # 653 + CN 249 + AU 232 = 1134 (1 class each, no supplementary fee)
    for params in ({"classes": 1, "designations": ["cn", "AU"]}, {"classes": 1, "designations": "CN,AU"}):
        assert client.get(MADRID_API, params).json()["total"] == "1134.00"


def test_madrid_api_ldc(client):
    body = client.get(MADRID_API, {"colour": "true", "classes": 1, "complementary_designations": 1, "ldc": "true"})
    assert body.json()["total"] == "190.30"


def test_madrid_api_unknown_office_names_designations_and_the_supported_codes(client):
    response = client.get(MADRID_API, {"classes": 3, "designations": "CN,ZZ"})
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["designations"]
    assert "ZZ" in body["designations"][0]
    for code in fees.madrid_office_codes():
        assert code in body["designations"][0]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"classes": -1, "complementary_designations": 1}, "classes"),
        ({"classes": 46, "complementary_designations": 1}, "classes"),
        ({"complementary_designations": 1}, "classes"),
        ({"classes": 3, "complementary_designations": -2}, "complementary_designations"),
        ({"classes": 3}, "designations"),
        ({"classes": 3, "designations": "CN,CN"}, "designations"),
        ({"classes": 3, "complementary_designations": 1, "colour": "maybe"}, "colour"),
        ({"classes": 3, "complementary_designations": 1, "ldc": "maybe"}, "ldc"),
    ],
)
def test_madrid_api_bad_input_names_the_field(client, params, field):
    response = client.get(MADRID_API, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_hague_api(client):
    response = client.get(HAGUE_API, {"designs": 3, "reproductions": 3, "level_2": 1})
    assert response.status_code == 200
    assert response.json()["total"] == "648.00"  # as in test_hague_3_designs_3_reproductions_one_level_2_party


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"designs": 0, "reproductions": 1}, "designs"),
        ({"designs": 101, "reproductions": 1}, "designs"),
        ({"designs": -3, "reproductions": 1}, "designs"),
        ({"designs": 1, "reproductions": -1}, "reproductions"),
        ({"designs": 1}, "reproductions"),
        ({"designs": 1, "reproductions": 1, "extra_pages": -1}, "extra_pages"),
        ({"designs": 1, "reproductions": 1, "level_1": -1}, "level_1"),
        ({"designs": 1, "reproductions": 1, "level_3": "x"}, "level_3"),
    ],
)
def test_hague_api_bad_input_names_the_field(client, params, field):
    response = client.get(HAGUE_API, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize("url", [PCT_API, MADRID_API, HAGUE_API])
def test_fee_apis_refuse_writes(client, url):
    assert client.post(url, {}).status_code in {403, 405}


def test_fee_apis_are_in_the_schema(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {"sheets", "efiling", "reduction"} <= {p["name"] for p in paths[PCT_API]["get"]["parameters"]}
    assert {"classes", "designations", "colour", "ldc"} <= {p["name"] for p in paths[MADRID_API]["get"]["parameters"]}
    assert {"designs", "reproductions", "level_2"} <= {p["name"] for p in paths[HAGUE_API]["get"]["parameters"]}


# --- The pages ----------------------------------------------------------------------------------


def test_page_url_names():
    assert reverse("guidance:pct-fees") == PCT_PAGE
    assert reverse("guidance:madrid-fees") == MADRID_PAGE
    assert reverse("guidance:hague-fees") == HAGUE_PAGE


@pytest.mark.parametrize("url", [PCT_PAGE, MADRID_PAGE, HAGUE_PAGE, "/guidance/calculators/pct-deadlines/"])
def test_every_calculator_page_links_to_the_others(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="calculators-nav"' in html
    for other in (PCT_PAGE, MADRID_PAGE, HAGUE_PAGE, "/guidance/calculators/pct-deadlines/"):
        assert f'href="{other}"' in html
    assert 'id="fees-lines"' not in html


def test_pct_page_shows_the_breakdown_and_sources(client):
    response = client.get(PCT_PAGE, {"sheets": 45, "efiling": "pdf", "reduction": "none"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="fees-lines"' in html
    assert "1455.00" in html
    assert "PCT Schedule of Fees, item 1 (fee for each sheet over 30)" in html
    assert "1 Mar 2024" in html


def test_madrid_page_shows_the_breakdown(client):
    response = client.get(
        MADRID_PAGE, {"colour": "on", "classes": 5, "designations": "CN", "complementary_designations": 1}
    )
    assert response.status_code == 200
    # 903 + 200 + 100 + CN 749 = 1952
    assert "1952.00" in response.content.decode()


def test_madrid_page_unknown_office_shows_the_error(client):
    response = client.get(MADRID_PAGE, {"classes": 3, "designations": "ZZ"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_designations_error"' in html
    assert "ZZ" in html
    assert 'id="fees-lines"' not in html


def test_hague_page_shows_the_breakdown(client):
    response = client.get(HAGUE_PAGE, {"designs": 3, "reproductions": 3, "level_2": 1})
    assert response.status_code == 200
    assert "648.00" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (PCT_PAGE, {"sheets": -1, "efiling": "none", "reduction": "none"}, "sheets"),
        (PCT_PAGE, {"sheets": 3, "efiling": "fax", "reduction": "none"}, "efiling"),
        (MADRID_PAGE, {"classes": 3}, "designations"),
        (MADRID_PAGE, {"classes": -1, "complementary_designations": 1}, "classes"),
        (HAGUE_PAGE, {"designs": 0, "reproductions": 1}, "designs"),
        (HAGUE_PAGE, {"designs": 1, "reproductions": 1, "level_1": -2}, "level_1"),
    ],
)
def test_page_bad_input_shows_the_error(client, url, params, field):
    response = client.get(url, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'id="form-errors"' in html


@pytest.mark.parametrize("url", [PCT_PAGE, MADRID_PAGE, HAGUE_PAGE])
def test_fee_pages_refuse_post(client, url):
    assert client.post(url, {}).status_code == 405


def test_fee_page_in_arabic(client):
    response = client.get(HAGUE_PAGE, {"designs": 3, "reproductions": 3, "level_2": 1}, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert 'id="fees-total"' in html  # the amounts are formatted for the language
    assert "Hague fee calculator" not in html
