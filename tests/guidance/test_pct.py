"""The PCT time limits calculator: the function, the API and the page. The expected dates are worked out by hand."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.urls import reverse

from apps.guidance.calculators import messages, pct
from apps.registry import deadlines as registry_deadlines

pytestmark = pytest.mark.django_db

API = "/api/v1/calculators/pct-deadlines/"
PAGE = "/guidance/calculators/pct-deadlines/"


def by_id(priority: date, report: date | None = None) -> dict[str, date]:
    return {d.id: d.date for d in pct.pct_deadlines(priority_date=priority, search_report_date=report)}


# --- The function -------------------------------------------------------------------------------


def test_plain_dates():
    assert by_id(date(2024, 3, 15)) == {
        "priority_deadline": date(2025, 3, 15),
        "international_publication": date(2025, 9, 15),
        "chapter_ii_demand": date(2026, 1, 15),
        "national_phase": date(2026, 9, 15),
    }
    (ep,) = [o for o in pct.national_phase_31_month_offices(priority_date=date(2024, 3, 15)) if o.office == "EP"]
    assert ep.deadline == date(2026, 10, 15)
    assert ep.source == "EPC Rule 159(1)"


def test_month_ends_follow_rule_80_2():
    dates = by_id(date(2023, 8, 31))
    assert dates["priority_deadline"] == date(2024, 8, 31)
    assert dates["international_publication"] == date(2025, 2, 28)
    assert dates["chapter_ii_demand"] == date(2025, 6, 30)
    assert dates["national_phase"] == date(2026, 2, 28)


def test_leap_years():
    assert by_id(date(2022, 8, 29))["international_publication"] == date(2024, 2, 29)
    assert by_id(date(2023, 2, 28))["priority_deadline"] == date(2024, 2, 28)  # stays the 28th in a leap year
    assert by_id(date(2024, 2, 29))["priority_deadline"] == date(2025, 2, 28)


def test_chapter_ii_with_a_late_search_report():
    demand = next(
        d
        for d in pct.pct_deadlines(priority_date=date(2024, 1, 10), search_report_date=date(2025, 9, 1))
        if d.id == "chapter_ii_demand"
    )
    assert demand.date == date(2025, 12, 1)  # later than 22 months (2025-11-10)
    assert "1 Sep 2025" in demand.note


def test_chapter_ii_with_an_early_search_report_keeps_22_months():
    assert by_id(date(2024, 1, 10), date(2024, 6, 1))["chapter_ii_demand"] == date(2025, 11, 10)


def test_a_search_report_before_the_priority_date_is_refused():
    with pytest.raises(ValueError):
        pct.pct_deadlines(priority_date=date(2024, 1, 10), search_report_date=date(2024, 1, 9))


def test_the_months_are_counted_by_the_registrys_add_months(monkeypatch):
    calls = []

    def spy(start, months):
        calls.append(months)
        return registry_deadlines.add_months(start, months)

    monkeypatch.setattr(pct, "add_months", spy)
    pct.pct_deadlines(priority_date=date(2024, 3, 15))
    assert sorted(calls) == [12, 18, 22, 30]


def test_every_limit_carries_its_source_date_and_the_working_day_rule():
    for deadline in pct.pct_deadlines(priority_date=date(2024, 3, 15)):
        assert deadline.source and deadline.applies_from and deadline.label
        if deadline.id != "international_publication":  # an act of the International Bureau, not a time limit
            assert "Rule 80.5" in deadline.note
    assert "Rule 54bis.1" in next(
        d.source for d in pct.pct_deadlines(priority_date=date(2024, 3, 15)) if d.months == 22
    )
    assert pct.working_day_rule().source == "PCT Rule 80.5"
    assert pct.counting_rule().source == "PCT Rule 80.2"


def test_every_text_of_the_data_file_is_marked_for_translation():
    data = json.loads(pct.DATA_FILE.read_text(encoding="utf-8"))
    texts = {limit["label"] for limit in data["limits"]}
    texts |= {office["name"] for office in data["national_phase_31_month_offices"]["offices"]}
    texts |= {data["counting"]["rule"], data["working_day"]["rule"], data["national_phase_31_month_offices"]["about"]}
    assert texts <= set(messages.DATA_FILE_TEXTS)
    for entry in [*data["limits"], *data["national_phase_31_month_offices"]["offices"]]:
        assert entry["source"] and date.fromisoformat(entry["applies_from"])


# --- The API ------------------------------------------------------------------------------------


def test_api_answers_iso_dates_anonymously(client):
    response = client.get(API, {"priority_date": "2024-03-15"})
    assert response.status_code == 200
    body = response.json()
    assert body["priority_date"] == "2024-03-15"
    assert body["priority_deadline"] == "2025-03-15"
    assert body["international_publication"] == "2025-09-15"
    assert body["chapter_ii_demand"] == "2026-01-15"
    assert body["national_phase"] == "2026-09-15"
    assert {"office": "EP", "deadline": "2026-10-15", "source": "EPC Rule 159(1)"}.items() <= next(
        o for o in body["national_phase_31_month_offices"] if o["office"] == "EP"
    ).items()
    assert [limit["id"] for limit in body["limits"]] == [
        "priority_deadline",
        "international_publication",
        "chapter_ii_demand",
        "national_phase",
    ]
    for limit in body["limits"]:
        assert {"id", "label", "date", "months", "source", "note", "applies_from"} <= limit.keys()
    assert "Rule 80.5" in body["rule_80_5"]


def test_api_uses_the_search_report_date(client):
    body = client.get(API, {"priority_date": "2024-01-10", "search_report_date": "2025-09-01"}).json()
    assert body["chapter_ii_demand"] == "2025-12-01"


def test_api_missing_priority_date(client):
    response = client.get(API)
    assert response.status_code == 400
    assert list(response.json()) == ["priority_date"]


@pytest.mark.parametrize("value", ["2024-02-30", "yesterday", "15/03/2024", "", "9999-12-31"])
def test_api_bad_priority_date_names_the_field(client, value):
    response = client.get(API, {"priority_date": value})
    assert response.status_code == 400
    assert "priority_date" in response.json()


@pytest.mark.parametrize("value", ["2023-12-31", "2025-13-01"])
def test_api_bad_search_report_date_names_the_field(client, value):
    response = client.get(API, {"priority_date": "2024-01-10", "search_report_date": value})
    assert response.status_code == 400
    assert list(response.json()) == ["search_report_date"]


def test_api_refuses_writes(client):
    assert client.post(API, {"priority_date": "2024-03-15"}).status_code in {403, 405}


def test_api_is_in_the_schema(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    params = {p["name"] for p in paths[API]["get"]["parameters"]}
    assert {"priority_date", "search_report_date"} <= params


# --- The page -----------------------------------------------------------------------------------


def test_page_url_name():
    assert reverse("guidance:pct-deadlines") == PAGE


def test_page_shows_an_empty_form_first(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="form-label" for="id_priority_date">' in html
    assert 'type="date"' in html
    assert "PCT Rule 80.5" in html
    assert 'id="pct-limits"' not in html


def test_page_shows_the_dates_and_their_sources(client):
    response = client.get(PAGE, {"priority_date": "2024-03-15"})
    assert response.status_code == 200
    html = response.content.decode()
    for expected in ("15 Mar 2025", "15 Sep 2025", "15 Jan 2026", "15 Sep 2026", "15 Oct 2026"):
        assert expected in html
    for source in ("Paris Convention Art. 4C(1)", "PCT Rule 54bis.1(a)", "PCT Art. 22(1)", "EPC Rule 159(1)"):
        assert source in html
    assert "PCT Rule 80.5" in html
    assert "PCT Rule 80.2" in html


@pytest.mark.parametrize("value", ["2024-02-30", "yesterday", ""])
def test_page_bad_date_shows_the_error(client, value):
    response = client.get(PAGE, {"priority_date": value})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_priority_date_error"' in html
    assert 'id="form-errors"' in html
    assert 'id="pct-limits"' not in html


def test_page_search_report_before_priority_shows_the_error(client):
    response = client.get(PAGE, {"priority_date": "2024-01-10", "search_report_date": "2023-01-01"})
    assert response.status_code == 400
    assert 'id="id_search_report_date_error"' in response.content.decode()


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.mark.parametrize(
    ("language", "priority", "report"),
    [
        ("en", "15 Mar 2024", "1 Sep 2025"),
        ("ar", "15 مارس 2024", "1 سبتمبر 2025"),
        ("fr", "15 mars 2024", "1 sept. 2025"),
    ],
)
def test_page_shows_every_date_in_the_language_s_format(client, language, priority, report):
    """One format on the page, with the month's name: no ISO dates in the text (only in datetime attributes)."""
    response = client.get(
        PAGE, {"priority_date": "2024-03-15", "search_report_date": "2025-09-01"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    html = response.content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert ISO_DATE.findall(text) == []
    assert priority in text
    assert report in text  # in the explanation of the Chapter II time limit
    assert re.search(r'<time datetime="2026-09-15"', html)


def test_page_refuses_post(client):
    assert client.post(PAGE, {"priority_date": "2024-03-15"}).status_code == 405


def test_page_in_arabic(client):
    response = client.get(PAGE, {"priority_date": "2024-03-15"}, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "15 سبتمبر 2026" in html
    assert "PCT time limits calculator" not in html  # the heading is translated


# --- The office's closed days (PCT Rule 80.5) ----------------------------------------------------


def at_office(priority: date, office: str) -> dict[str, object]:
    return {d.id: d.at_office for d in pct.pct_deadlines(priority_date=priority, office=office)}


def test_a_limit_on_a_saturday_moves_to_the_office_s_next_working_day():
    # 12 months from 15 March 2024 is Saturday 15 March 2025: Kenya's office opens on Monday 17th, Egypt's
    # (closed Friday and Saturday) on Sunday 16th.
    kenya = at_office(date(2024, 3, 15), "KE")["priority_deadline"]
    assert (kenya.limit, kenya.moved_to) == (date(2025, 3, 15), date(2025, 3, 17))
    assert [why.split(": ")[1] for why in kenya.closed] == ["weekend", "weekend"]
    egypt = at_office(date(2024, 3, 15), "EG")["priority_deadline"]
    assert egypt.moved_to == date(2025, 3, 16)


def test_a_public_holiday_and_the_weekend_after_it_are_skipped():
    # Jamhuri Day, Friday 12 December 2025, then the weekend: Monday 15th.
    moved = at_office(date(2024, 12, 12), "KE")["priority_deadline"]
    assert moved.moved_to == date(2025, 12, 15)
    assert "Jamhuri Day" in moved.closed[0] and len(moved.closed) == 3


def test_a_limit_on_a_working_day_stays_and_publication_is_never_moved():
    limits = at_office(date(2024, 3, 14), "KE")  # 14 March 2025 is a Friday
    assert limits["priority_deadline"].moved_to == date(2025, 3, 14)
    assert limits["priority_deadline"].closed == ()
    assert limits["international_publication"] is None  # not a limit for the applicant: no Rule 80.5


def test_without_an_office_nothing_is_moved():
    assert all(d.at_office is None for d in pct.pct_deadlines(priority_date=date(2024, 3, 15)))


def test_the_page_shows_both_dates_and_why_it_moved(client):
    response = client.get(PAGE, {"priority_date": "2024-12-12", "office": "KE"})
    assert response.status_code == 200
    html = response.content.decode()
    row = re.search(r'<tr id="limit-priority_deadline">.*?</tr>', html, re.S).group(0)
    assert "<s><time" in row and "12 Dec 2025" in row and "15 Dec 2025" in row and "Jamhuri Day" in row
    assert "public holidays of Kenya" in html


def test_the_page_refuses_an_office_it_does_not_know(client):
    response = client.get(PAGE, {"priority_date": "2024-12-12", "office": "XX"})
    assert response.status_code == 400
    assert 'id="id_office_error"' in response.content.decode()


def test_the_api_gives_the_day_at_the_office(client):
    data = client.get(API, {"priority_date": "2024-12-12", "office": "ke"}).json()
    limit = next(item for item in data["limits"] if item["id"] == "priority_deadline")
    assert limit["date"] == "2025-12-12" and limit["office_date"] == "2025-12-15"
    assert len(limit["office_closed_days"]) == 3
    publication = next(item for item in data["limits"] if item["id"] == "international_publication")
    assert publication["office_date"] is None and publication["office_closed_days"] == []


def test_the_api_names_an_unknown_office(client):
    response = client.get(API, {"priority_date": "2024-12-12", "office": "XX"})
    assert response.status_code == 400
    assert "office" in response.json()
