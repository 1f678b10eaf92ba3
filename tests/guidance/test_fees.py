"""The fee calculators (PCT, Madrid, Hague): the functions, the API and the pages. Totals worked out by hand."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

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


# --- PCT: what is paid to the receiving Office (data/pct_office_fees.json) ----------------------


def test_pct_ib_as_receiving_office_with_the_epo_as_search_authority():
    # Annex C (IB): transmittal fee 100 CHF; Annex D (EP): search fee 1,751 CHF. 1330 + 100 + 1751 = 3181
    result = fees.pct_fees(sheets=30, efiling="none", reduction="none", receiving_office="IB", isa="EP")
    assert [line.amount for line in result.lines] == [Decimal("1330"), Decimal("100"), Decimal("1751")]
    assert result.total == Decimal("3181.00")
    assert result.complete and result.total_note == ""
    transmittal, search = result.lines[1:]
    assert (transmittal.source, transmittal.applies_from) == (
        "WIPO PCT Applicant's Guide, Annex C (IB)",
        date(2024, 3, 1),
    )
    assert (search.source, search.applies_from) == ("WIPO PCT Applicant's Guide, Annex D (EP)", date(2024, 4, 12))
    assert search.url == transmittal.url == "https://www.wipo.int/pct/en/appguide/"
    assert "'Search fee (PCT Rule 16): 1,751 CHF" in search.verified
    assert "EUR 1,845" in search.note  # the amount Annex D also prints, in the EPO's currency


def test_pct_90_percent_reduction_is_on_the_filing_fee_only():
    # 1330 - 90% (1197) = 133; the IB's transmittal fee is waived (0); the EP search fee stays 1751: 1884
    result = fees.pct_fees(sheets=30, efiling="none", reduction="ldc", receiving_office="IB", isa="EP")
    assert [line.amount for line in result.lines] == [Decimal("1330"), Decimal("-1197"), Decimal("0"), Decimal("1751")]
    assert result.total == Decimal("1884.00")
    assert any("international filing fee only" in note for note in result.notes)


def test_pct_office_with_a_transmittal_fee_in_euros_is_converted_at_the_guides_equivalents():
    # Annex C (EP): transmittal fee 150 EUR; the Guide's equivalent of the 1,330 CHF filing fee is 1,381 EUR
    # (Annex C (IB)): 150 x 1330 / 1381 = 144.4605 -> 144.46. 1330 + 144.46 + 1751 = 3225.46
    result = fees.pct_fees(sheets=30, efiling="none", reduction="none", receiving_office="EP", isa="EP")
    transmittal = result.lines[1]
    assert transmittal.amount == Decimal("144.46")
    assert "EUR 150" in transmittal.note and "EUR 1,381" in transmittal.note
    assert result.total == Decimal("3225.46")
    assert result.complete
    assert any("Converted to Swiss francs: the transmittal fee" in note for note in result.notes)


def test_pct_office_whose_fee_is_also_given_in_dollars_is_converted_from_the_dollars():
    # Annex C (KE): '5,000 KES or 250 USD plus cost of mailing'; no CHF equivalent of KES, so the USD amount:
    # 250 x 1330 / 1562 = 212.868 -> 212.87. Annex D (AT): 1,710 CHF. 1330 + 212.87 + 1710 = 3252.87
    result = fees.pct_fees(sheets=30, efiling="none", reduction="none", receiving_office="KE", isa="AT")
    assert result.lines[1].amount == Decimal("212.87")
    assert "plus cost of mailing" in result.lines[1].note
    assert result.total == Decimal("3252.87")


def test_pct_transmittal_fee_in_a_currency_without_equivalent_is_unknown_and_left_out():
    # Annex C (AL): 9,000 ALL, and the data has no CHF equivalent of ALL: 1330 + 1751 (EP) = 3081, saying so
    result = fees.pct_fees(sheets=30, efiling="none", reduction="none", receiving_office="AL", isa="EP")
    assert result.lines[1].amount is None
    assert "ALL 9,000" in result.lines[1].note
    assert result.total == Decimal("3081.00")
    assert not result.complete
    assert result.total_note == "Leaves out: the transmittal fee (amount not known in Swiss francs)."


def test_pct_office_that_gives_no_amount_is_unknown_with_the_annex_text():
    # Annex C (LS): 'Please refer to the Office'; no Authority chosen: 1330 alone, leaving out both
    result = fees.pct_fees(sheets=30, efiling="none", reduction="none", receiving_office="LS")
    assert [line.amount for line in result.lines] == [Decimal("1330"), None]
    assert "Please refer to the Office" in result.lines[1].note
    assert result.total == Decimal("1330.00")
    assert len(result.left_out) == 2 and "no International Searching Authority chosen" in result.total_note


def test_pct_office_without_a_transmittal_fee():
    # Annex C (CN): 'Transmittal fee: None'; Annex D (CN): 263 CHF. 1330 + 0 + 263 = 1593
    result = fees.pct_fees(sheets=30, efiling="none", reduction="none", receiving_office="CN", isa="CN")
    assert result.lines[1].amount == Decimal("0")
    assert result.total == Decimal("1593.00") and result.complete


def test_pct_search_authority_whose_fee_depends_on_the_language_is_unknown_until_chosen():
    # Annex D (RU): 79 CHF for a search in Russian, 370 CHF in English. Bare 'RU': unknown, 1330 + 100 = 1430
    result = fees.pct_fees(sheets=30, efiling="none", reduction="none", receiving_office="IB", isa="RU")
    search = result.lines[-1]
    assert search.amount is None
    assert "CHF 79 (RU:ru)" in search.note and "CHF 370 (RU:en)" in search.note
    assert result.total == Decimal("1430.00")
    assert result.left_out == ("the international search fee (amount not known: choose the case that applies)",)
    assert result.total_note.startswith("Leaves out: the international search fee")
    # chosen: 1330 + 100 + 370 = 1800
    chosen = fees.pct_fees(sheets=30, efiling="none", reduction="none", receiving_office="IB", isa="ru:EN")
    assert chosen.lines[-1].amount == Decimal("370") and chosen.total == Decimal("1800.00")


def test_pct_search_authority_option_printed_in_the_annex():
    # Annex D (US): small entity 742 CHF; bare 'US' is the standard amount, 1,856 CHF
    small = fees.pct_fees(sheets=30, efiling="none", reduction="none", receiving_office="IB", isa="US:small")
    assert small.lines[-1].amount == Decimal("742") and small.total == Decimal("2172.00")
    standard = fees.pct_fees(sheets=30, efiling="none", reduction="none", receiving_office="IB", isa="US")
    assert standard.lines[-1].amount == Decimal("1856")


def test_pct_english_words_quoted_in_an_arabic_note_read_as_one_left_to_right_run():
    # The Annexes' words stay English in every language: in Arabic each is a Unicode isolate (FSI ... PDI), so
    # that its quotation marks are drawn on its sides (tests/browser/test_pct_fees.py sees where).
    def pct(language: str) -> fees.PctFeeResult:
        with translation.override(language):
            return fees.pct_fees(sheets=30, efiling="none", reduction="none", receiving_office="KE", isa="AT")

    arabic, english = pct("ar"), pct("en")
    transmittal = arabic.lines[1].note
    assert "«\u20685,000 KES or 250 USD plus cost of mailing\u2069»" in transmittal
    assert "\u2068WIPO PCT Applicant's Guide, Annex C (IB)\u2069" in transmittal  # the source named in Arabic
    assert any("«\u2068This fee is reduced by 75%" in note for note in arabic.notes)
    texts = [line.note for line in english.lines] + list(english.notes)
    assert not any("\u2068" in text or "\u2069" in text for text in texts)  # English needs none
    assert "Annex C: “5,000 KES or 250 USD plus cost of mailing”" in english.lines[1].note


def test_pct_without_a_receiving_office_is_the_filing_fee_alone():
    # The route comparison and the action plan ask for the international filing fee only
    result = fees.pct_fees(sheets=30, efiling="none", reduction="none")
    assert result.total == Decimal("1330.00") and result.complete and result.notes == ()


@pytest.mark.parametrize(
    ("office", "isa", "message"),
    [
        ("ZZ", None, "Unknown receiving Office: ZZ"),
        ("IB", "QQ", "Unknown International Searching Authority: QQ"),
        ("IB", "JP:fr", "Unknown search fee option for JP: fr. Options: JP:ja, JP:en."),
        ("KE", "JP", "Kenya (KE) does not accept JP as International Searching Authority. It accepts: AT, AU, CN"),
    ],
)
def test_pct_refuses_an_unknown_office_or_authority(office, isa, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        fees.pct_fees(sheets=30, efiling="none", reduction="none", receiving_office=office, isa=isa)


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


DATA_DIRS = [Path(__file__).resolve().parents[2] / "apps" / app / "data" for app in ("guidance", "programmes", "plan")]
CODE_REPOSITORY = re.compile(r"github|gitlab|bitbucket|code index|code repositor|\brepositor(y|ies)\b|\brepo\b", re.I)


def _cited(node, path=""):
    """Every source, verified and url text of a data file, with where it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"source", "verified", "url", "list_url"} and isinstance(value, str):
                yield f"{path}/{key}", value
            yield from _cited(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _cited(value, f"{path}[{index}]")


def test_no_data_file_cites_a_code_repository_as_evidence():
    files = [path for folder in DATA_DIRS for path in sorted(folder.glob("*.json"))]
    assert len(files) >= 5
    cited = [(path.name, where, text) for path in files for where, text in _cited(json.loads(path.read_text()))]
    assert len(cited) > 300
    offenders = [(name, where) for name, where, text in cited if CODE_REPOSITORY.search(text)]
    assert offenders == []


def test_the_check_for_code_repositories_catches_them():
    for text in ("GitHub Rakityansky/RAG_demo", "read through the code index", "a public repository", "the repo"):
        assert CODE_REPOSITORY.search(text)
    assert not CODE_REPOSITORY.search("WIPO PCT Applicant's Guide, Annex C (IB), applicable as from 1 March 2024")


def test_every_office_and_search_fee_carries_its_official_source_date_and_what_was_read():
    data = fees.pct_office_data()
    entries = [*data["receiving_offices"], *data["isas"], *data["chf_equivalents"]["currencies"]]
    assert len(data["receiving_offices"]) == 118 and len(data["isas"]) == 24
    for entry in entries:
        assert re.fullmatch(r"WIPO PCT Applicant's Guide, Annex [CD] \([A-Z]{2}\)", entry["source"])
        assert entry["url"] == "https://www.wipo.int/pct/en/appguide/"
        assert entry["verified"].startswith("read in a verbatim stored copy of the Guide's annex, applicable as from ")
        date.fromisoformat(entry["applies_from"])


def test_office_fees_are_numbers_or_unknown_with_the_annex_text_never_a_guess():
    isa_codes = set(fees.search_authority_codes())
    for office in fees.receiving_offices():
        fee = office["transmittal_fee"]
        assert fee["text"] and fee["text"] in office["verified"]
        if fee["amount"] is None:
            assert fee["chf"] is None and fee["currency"] is None
        else:
            Decimal(fee["amount"])
        assert office["isas"] is None or set(office["isas"]) <= isa_codes
    unknown = {office["code"] for office in fees.receiving_offices() if office["transmittal_fee"]["amount"] is None}
    assert {"LS", "US", "PT", "CV"} <= unknown  # 'Please refer to the Office', split amounts, not yet available
    for isa in fees.search_authorities():
        for option in isa["search_fee"]["options"]:
            assert option["printed"]["CHF"] == option["chf"]
            assert f"{int(option['chf']):,} CHF" in isa["verified"]


def test_every_text_of_the_office_fee_data_file_is_marked_for_translation():
    data = fees.pct_office_data()
    texts = {office["name"] for office in data["receiving_offices"]} | {isa["name"] for isa in data["isas"]}
    texts |= {o["label"] for isa in data["isas"] for o in isa["search_fee"]["options"] if o["label"]}
    assert texts <= set(messages.DATA_FILE_TEXTS)


# --- The API ------------------------------------------------------------------------------------


def test_pct_api(client):
    # The receiving Office defaults to the International Bureau: 1455 (as above) + its transmittal fee 100 = 1555;
    # no Authority chosen, so the search fee is left out and the answer says so.
    response = client.get(PCT_API, {"sheets": 45, "efiling": "pdf"})
    assert response.status_code == 200
    body = response.json()
    assert body["currency"] == "CHF"
    assert body["total"] == "1555.00"
    assert [line["amount"] for line in body["lines"]] == ["1330.00", "225.00", "-100.00", "100.00"]
    for line in body["lines"]:
        assert {"label", "amount", "source", "applies_from", "verified", "note", "url"} <= line.keys()
    assert body["lines"][0]["source"] == "PCT Schedule of Fees, item 1"
    assert body["lines"][0]["applies_from"] == "2024-03-01"
    assert body["lines"][3]["source"] == "WIPO PCT Applicant's Guide, Annex C (IB)"
    assert body["receiving_office"] == "IB" and body["isa"] == ""
    assert body["complete"] is False
    assert body["left_out"] == ["the international search fee (no International Searching Authority chosen)"]


def test_pct_api_with_reduction(client):
    # 145.50 (as above); the International Bureau's transmittal fee is not payable with the 90% reduction (0)
    body = client.get(PCT_API, {"sheets": 45, "efiling": "pdf", "reduction": "ldc"}).json()
    assert body["total"] == "145.50"
    assert body["lines"][-1]["amount"] == "0.00"


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


def test_pct_api_with_office_and_search_authority(client):
    # as test_pct_ib_as_receiving_office_with_the_epo_as_search_authority; codes in any case
    body = client.get(PCT_API, {"sheets": 30, "receiving_office": "ib", "isa": "ep"}).json()
    assert body["total"] == "3181.00" and body["complete"] is True and body["left_out"] == []
    assert [line["amount"] for line in body["lines"]] == ["1330.00", "100.00", "1751.00"]
    assert body["lines"][2]["source"] == "WIPO PCT Applicant's Guide, Annex D (EP)"
    assert body["lines"][2]["applies_from"] == "2024-04-12"
    assert body["isa"] == "EP" and body["receiving_office_name"] == "International Bureau of WIPO (IB)"


def test_pct_api_unknown_amount_is_null_and_the_total_says_so(client):
    # as test_pct_search_authority_whose_fee_depends_on_the_language_is_unknown_until_chosen
    body = client.get(PCT_API, {"sheets": 30, "isa": "RU"}).json()
    assert body["lines"][-1]["amount"] is None
    assert body["total"] == "1430.00" and body["complete"] is False
    assert body["total_note"].startswith("Leaves out: the international search fee")


def test_pct_api_converts_and_says_so(client):
    body = client.get(PCT_API, {"sheets": 30, "receiving_office": "EP", "isa": "EP"}).json()
    assert body["total"] == "3225.46"
    assert "EUR 1,381" in body["lines"][1]["note"]


@pytest.mark.parametrize(
    ("params", "field", "text"),
    [
        ({"sheets": 10, "receiving_office": "ZZ"}, "receiving_office", "Unknown receiving Office: ZZ"),
        ({"sheets": 10, "receiving_office": "toolong"}, "receiving_office", ""),
        ({"sheets": 10, "isa": "QQ"}, "isa", "Unknown International Searching Authority: QQ"),
        ({"sheets": 10, "isa": "JP:fr"}, "isa", "Options: JP:ja, JP:en"),
        ({"sheets": 10, "receiving_office": "KE", "isa": "JP"}, "isa", "It accepts: AT, AU, CN, EP, SE."),
    ],
)
def test_pct_api_unknown_office_or_authority_names_the_field(client, params, field, text):
    response = client.get(PCT_API, params)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field]
    assert text in body[field][0]


def test_pct_api_empty_office_and_authority_mean_not_given(client):
    body = client.get(PCT_API, {"sheets": 30, "receiving_office": "", "isa": ""}).json()
    assert body["receiving_office"] == "IB" and body["total"] == "1430.00"  # 1330 + 100, no search fee


@pytest.mark.parametrize("isa", ["EP:", " : ", ":en", "EP:standard:x", "\x00", "ép"])
def test_pct_api_odd_authority_values_answer_400_or_200_never_500(client, isa):
    response = client.get(PCT_API, {"sheets": 30, "isa": isa})
    assert response.status_code in {200, 400}
    if response.status_code == 400:
        assert list(response.json()) == ["isa"]


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
    pct_parameters = {p["name"] for p in paths[PCT_API]["get"]["parameters"]}
    assert {"sheets", "efiling", "reduction", "receiving_office", "isa"} <= pct_parameters
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
    # 1455 (as above) + the International Bureau's transmittal fee 100 (the default receiving Office) = 1555
    response = client.get(PCT_PAGE, {"sheets": 45, "efiling": "pdf", "reduction": "none"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="fees-lines"' in html
    assert "1555.00" in html
    assert '<option value="IB" selected>International Bureau of WIPO (IB)</option>' in html
    assert "PCT Schedule of Fees, item 1 (fee for each sheet over 30)" in html
    assert "1 Mar 2024" in html


def test_pct_page_with_office_and_authority(client):
    params = {"receiving_office": "EP", "isa": "EP", "sheets": 30, "efiling": "none", "reduction": "none"}
    response = client.get(PCT_PAGE, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "European Patent Office (EPO) (EP)" in html
    assert 'id="fees-total">3225.46<' in html  # as test_pct_office_with_a_transmittal_fee_in_euros_...
    assert "WIPO PCT Applicant&#x27;s Guide, Annex D (EP)" in html and "12 Apr 2024" in html
    assert 'href="https://www.wipo.int/pct/en/appguide/"' in html
    assert 'id="fees-notes"' in html and "Converted to Swiss francs" in html


def test_pct_page_shows_an_unknown_amount_and_what_the_total_leaves_out(client):
    params = {"receiving_office": "LS", "isa": "EP", "sheets": 30, "efiling": "none", "reduction": "none"}
    response = client.get(PCT_PAGE, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert ">unknown<" in html and "Please refer to the Office" in html
    assert 'id="fees-total">3081.00<' in html  # 1330 + 1751: the transmittal fee left out
    assert 'id="fees-total-note">Leaves out: the transmittal fee' in html


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_pct_page_with_office_and_authority_in_other_languages(client, language):
    params = {"receiving_office": "KE", "isa": "AT", "sheets": 30, "efiling": "none", "reduction": "none"}
    response = client.get(PCT_PAGE, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert 'id="fees-total"' in response.content.decode()


def test_pct_page_offers_the_offices_by_name_and_the_authorities(client):
    html = client.get(PCT_PAGE).content.decode()
    assert '<option value="IB" selected>International Bureau of WIPO (IB)</option>' in html
    assert '<option value="KE">Kenya (KE)</option>' in html
    assert '<option value="JP:en">JP - Japan Patent Office (JPO): Application in English' in html


@pytest.mark.parametrize(
    ("params", "field", "text"),
    [
        ({"receiving_office": "ZZ"}, "receiving_office", "Unknown receiving Office: ZZ"),
        ({"isa": "QQ"}, "isa", "Unknown International Searching Authority: QQ"),
        ({"receiving_office": "KE", "isa": "JP:en"}, "isa", "Kenya (KE) does not accept JP"),
    ],
)
def test_pct_page_reshows_office_and_authority_errors(client, params, field, text):
    response = client.get(PCT_PAGE, {"sheets": 30, "efiling": "none", "reduction": "none", **params})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and text in html
    assert 'id="form-errors"' in html and 'id="fees-lines"' not in html


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
