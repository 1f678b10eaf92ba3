"""The route comparison: national filings against Madrid, Hague or PCT. Totals worked out by hand."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.guidance.calculators import fees, messages, routes

pytestmark = pytest.mark.django_db

API = "/api/v1/calculators/route-comparison/"
PAGE = "/guidance/calculators/route-comparison/"


def _by_country(comparison):
    return {filing.country: filing for filing in comparison.national}


# --- Marks: national filings against Madrid -----------------------------------------------------


def test_mark_au_cn_eu_gb_two_classes():
    comparison = routes.compare_routes(right="mark", countries=["AU", "CN", "EU", "GB"], classes=2)
    national = _by_country(comparison)
    # AU: 2 x AUD 250 (pick list) = 500; EU: 850 + 50 (second class) = 900; GB (from 1 April 2026): 205 + 60 = 265;
    # CN: no data
    assert national["AU"].amount == Decimal("500") and national["AU"].currency == "AUD"
    assert national["EU"].amount == Decimal("900") and national["EU"].currency == "EUR"
    assert national["GB"].amount == Decimal("265") and national["GB"].currency == "GBP"
    assert not national["CN"].has_data and national["CN"].amount is None
    assert comparison.national_missing == ["CN"]
    # Totals stay per currency: nothing is converted or added across currencies.
    assert [(t.currency, t.total) for t in comparison.national_totals] == [
        ("AUD", Decimal("500.00")),
        ("EUR", Decimal("900.00")),
        ("GBP", Decimal("265.00")),
    ]
    # Madrid: 653 + AU 2 x 232 (= 464) + CN 249 + 125 (= 374) = 1491; EU and GB not documented for Madrid
    madrid = comparison.international
    assert madrid.system == "madrid"
    assert madrid.covered == ["AU", "CN"] and madrid.not_covered == ["EU", "GB"]
    assert madrid.total == Decimal("1491.00")
    assert any("EU, GB" in note for note in madrid.notes)


def test_mark_totals_add_up_the_same_currency_and_use_the_class_steps():
    # EU 5 classes: 850 + 50 + 3 x 150 = 1350; DE 5 classes: 290 (three classes) + 2 x 100 = 490; both EUR = 1840
    comparison = routes.compare_routes(right="mark", countries=["EU", "DE"], classes=5, colour=True)
    national = _by_country(comparison)
    assert national["EU"].amount == Decimal("1350")
    assert national["DE"].amount == Decimal("490")
    assert [(t.currency, t.total) for t in comparison.national_totals] == [("EUR", Decimal("1840.00"))]
    # Neither has a documented Madrid individual fee: no international total is made up.
    assert comparison.international.result is None
    assert comparison.international.not_covered == ["EU", "DE"]


def test_mark_madrid_reuses_the_fee_calculator():
    comparison = routes.compare_routes(right="mark", countries=["CA", "BG"], classes=5, colour=True)
    # 903 + CA 299 + 4 x 91 (= 663) + BG 290 (three classes) + 2 x 19 (= 328) = 1894
    expected = fees.madrid_fees(colour=True, classes=5, designations=["CA", "BG"], ldc=False)
    assert comparison.international.total == expected.total == Decimal("1894.00")


def test_repeated_countries_count_once():
    comparison = routes.compare_routes(right="mark", countries=["AU", "AU"], classes=1)
    assert comparison.countries == ["AU"]
    assert comparison.international.total == Decimal("885.00")  # 653 + 232


# --- Designs: national filings against Hague ----------------------------------------------------


def test_design_gb_eu_jp_three_designs():
    comparison = routes.compare_routes(right="design", countries=["GB", "EU", "JP"], designs=3)
    national = _by_country(comparison)
    # No national design data for GB (see test_gb_design_has_no_national_figure), EU or JP
    assert not national["GB"].has_data
    assert comparison.national_missing == ["GB", "EU", "JP"]
    # Hague: 397 + 2 x 50 + 3 reproductions x 17 (= 51) + EU 3 x 59 (= 177) + JP 3 x 436 (= 1308) = 2033
    hague = comparison.international
    assert hague.covered == ["EU", "JP"] and hague.not_covered == ["GB"]
    assert hague.total == Decimal("2033.00")


def test_gb_design_has_no_national_figure():
    # From 1 April 2026 one design costs GBP 60 and up to 10 designs 85 online, but the fee for each further
    # group of 10 was not found, so no GB design figure is given rather than a stale one.
    assert "design" not in routes.national_offices()["GB"]["fees"]


def test_design_reproductions_default_to_one_per_design_and_per_application_fee():
    # CN: 497 per application whatever the number of designs; 397 + 1 x 50 + 2 x 17 + 497 = 978
    comparison = routes.compare_routes(right="design", countries=["CN"], designs=2)
    assert comparison.international.total == Decimal("978.00")


# --- Inventions: national filings against PCT ---------------------------------------------------


def test_invention_gb_il_au_pct_defers_the_national_phase():
    comparison = routes.compare_routes(right="invention", countries=["GB", "IL", "AU"], sheets=40, efiling="xml")
    national = _by_country(comparison)
    assert (national["GB"].currency, national["GB"].amount) == ("GBP", Decimal("75"))  # application fee only
    assert (national["IL"].currency, national["IL"].amount) == ("ILS", Decimal("2402"))
    assert not national["AU"].has_data
    # PCT: 1330 + 10 sheets over 30 x 15 (= 150) - 200 (request in XML) = 1280
    pct = comparison.international
    assert pct.system == "pct" and pct.total == Decimal("1280.00")
    assert any("30 months" in note for note in pct.notes)


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"right": "copyright"},
        {"countries": []},
        {"countries": ["ZZ"]},
        {"countries": ["FR"]},
        {"classes": 0},
        {"classes": 46},
        {"designs": 0},
        {"designs": 101},
        {"reproductions": -1},
        {"sheets": 0},
    ],
)
def test_compare_routes_refuses_bad_inputs(kwargs):
    with pytest.raises(ValueError):
        routes.compare_routes(**{"right": "mark", "countries": ["AU"], **kwargs})


def test_every_national_fee_carries_its_source_date_and_check():
    data = json.loads(routes.DATA_FILE.read_text(encoding="utf-8"))
    for office in data["offices"]:
        assert office["fees"]
        for right, entry in office["fees"].items():
            assert right in routes.RIGHTS
            assert entry["source"] and entry["verified"] and entry["url"].startswith("http")
            assert "applies_from" in entry and len(entry["currency"]) == 3
            routes.national_fee(entry, 1)


def test_every_text_of_the_national_data_file_is_marked_for_translation():
    data = json.loads(routes.DATA_FILE.read_text(encoding="utf-8"))
    texts = {data["about"]}
    for office in data["offices"]:
        texts |= {office["country_name"], office["office"]}
        texts |= {entry["label"] for entry in office["fees"].values()}
    texts |= {office["name"] for office in fees.hague_offices()}
    assert texts <= set(messages.DATA_FILE_TEXTS)


# --- The API ------------------------------------------------------------------------------------


def test_api_mark(client):
    response = client.get(API, {"right": "mark", "countries": "AU,CN", "classes": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["right"] == "mark" and body["countries"] == ["AU", "CN"]
    au, cn = body["national"]
    assert au == {**au, "country": "AU", "has_data": True, "currency": "AUD", "amount": "500.00"}
    assert au["applies_from"] == "2020-10-01" and au["source"] and au["verified"]
    assert cn["has_data"] is False and cn["amount"] is None
    assert body["national_missing"] == ["CN"]
    assert body["national_totals"] == [{"currency": "AUD", "total": "500.00"}]
    international = body["international"]
    assert international["system"] == "madrid" and international["currency"] == "CHF"
    assert international["total"] == "1491.00"
    assert [line["amount"] for line in international["lines"]] == ["653.00", "464.00", "374.00"]
    assert body["national_fits"] and body["international_fits"]


def test_api_invention_and_repeated_parameter(client):
    response = client.get(API + "?right=invention&countries=GB&countries=il&sheets=30")
    assert response.status_code == 200
    body = response.json()
    assert body["countries"] == ["GB", "IL"]
    assert body["international"]["total"] == "1330.00"
    assert body["international"]["not_covered"] == ["GB", "IL"]


def test_api_design_without_international_data_gives_no_total(client):
    body = client.get(API, {"right": "design", "countries": "GB", "designs": 1}).json()
    # GB has no documented Hague designation fee: the basic and publication fees alone would be no total
    # of protecting the design anywhere, so none is given (as for Madrid).
    assert body["international"]["total"] is None
    assert body["international"]["not_covered"] == ["GB"]
    assert any("no total is given" in note for note in body["international"]["notes"])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"right": "copyright", "countries": "AU"}, "right"),
        ({"countries": "AU"}, "right"),
        ({"right": "mark"}, "countries"),
        ({"right": "mark", "countries": ""}, "countries"),
        ({"right": "mark", "countries": "AU,ZZ"}, "countries"),
        ({"right": "mark", "countries": "FR"}, "countries"),
        ({"right": "mark", "countries": "AU", "classes": -1}, "classes"),
        ({"right": "mark", "countries": "AU", "classes": 46}, "classes"),
        ({"right": "design", "countries": "GB", "designs": -2}, "designs"),
        ({"right": "design", "countries": "GB", "reproductions": -1}, "reproductions"),
        ({"right": "invention", "countries": "GB", "sheets": -5}, "sheets"),
        ({"right": "invention", "countries": "GB", "efiling": "fax"}, "efiling"),
    ],
)
def test_api_bad_input_names_the_field(client, params, field):
    response = client.get(API, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_api_names_the_unknown_country(client):
    response = client.get(API, {"right": "mark", "countries": "AU,ZZ"})
    assert "ZZ" in response.json()["countries"][0]


def test_api_refuses_writes(client):
    assert client.post(API, {}).status_code in {403, 405}


def test_api_is_in_the_schema(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    names = {p["name"] for p in paths[API]["get"]["parameters"]}
    assert {"right", "countries", "classes", "designs", "sheets"} <= names


# --- The page -----------------------------------------------------------------------------------


def test_page_url():
    assert reverse("guidance:route-comparison") == PAGE


def test_page_without_input_shows_the_form(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="routes-form"' in html
    assert 'id="routes-results"' not in html
    assert 'href="/guidance/calculators/route-comparison/"' in html  # the calculators nav links here


def test_page_shows_both_columns(client):
    response = client.get(PAGE, {"right": "mark", "countries": ["AU", "CN", "GB"], "classes": 2})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="route-national"' in html and 'id="route-international"' in html
    assert "AUD 500.00" in html and "GBP 265.00" in html
    assert 'id="national-CN"' in html and "no data" in html
    assert 'id="international-total">1491.00<' in html  # 653 + AU 464 + CN 374 + nothing for GB
    assert "Madrid Schedule of Fees, item 2.1.1" in html


def test_page_invention_says_the_national_phase_comes_later(client):
    html = client.get(PAGE, {"right": "invention", "countries": "IL", "sheets": 30}).content.decode()
    assert "ILS 2402.00" in html
    assert 'id="international-total">1330.00<' in html
    assert "30 months" in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"right": "copyright", "countries": "AU"}, "right"),
        ({"right": "mark"}, "countries"),
        ({"right": "mark", "countries": "ZZ"}, "countries"),
        ({"right": "mark", "countries": "AU", "classes": -1}, "classes"),
        ({"right": "design", "countries": "GB", "designs": 0}, "designs"),
        ({"right": "invention", "countries": "GB", "sheets": -1}, "sheets"),
    ],
)
def test_page_bad_input_shows_the_error(client, params, field):
    response = client.get(PAGE, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'id="form-errors"' in html
    assert 'id="routes-results"' not in html


def test_page_refuses_post(client):
    assert client.post(PAGE, {}).status_code == 405


def test_page_in_arabic(client):
    response = client.get(PAGE, {"right": "design", "countries": ["GB", "JP"], "designs": 2}, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert 'id="international-total"' in html
    assert 'id="national-GB"' in html


def test_the_page_says_why_there_is_no_international_total(client):
    response = client.get(
        "/guidance/calculators/route-comparison/", {"right": "design", "countries": "GB", "designs": 1}
    )
    assert response.status_code == 200
    assert "has a documented Hague designation fee, so no total is given" in response.content.decode()
    assert 'id="international-total"' not in response.content.decode()
