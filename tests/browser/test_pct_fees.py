"""A visitor works out the PCT fees paid to a receiving Office, in English and in Arabic (right to left), on a
phone and on a desktop: the form, then the breakdown with the Office's transmittal fee and the Authority's
search fee, and the total.

The case is the one tests/guidance/test_fees.py checks line by line: filed with the Kenyan Office, searched by
the Austrian Patent Office, 35 sheets, the request in XML. 1,330 + 5 x 15 - 200 + 212.87 (KES 5,000 or USD 250,
in Swiss francs) + 1,710 = 3,127.87 CHF."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = {"en": "ltr", "ar": "rtl"}
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# What the lines of the breakdown say, in each language (locale/ar names the Office and the Authority in Arabic).
TRANSMITTAL = {
    "en": "Transmittal fee (receiving Office: Kenya (KE))",
    "ar": "رسم التحويل (مكتب تسلم الطلبات: كينيا (KE))",
}
SEARCH = {
    "en": "International search fee: AT - Austrian Patent Office",
    "ar": "رسم البحث الدولي: AT - مكتب البراءات النمساوي",
}
FILING = {"en": "International filing fee (first 30 sheets)", "ar": "رسم الإيداع الدولي (أول 30 ورقة)"}
# Amounts as the language writes numbers (Django's formats: a decimal comma in Arabic).
AMOUNTS = {
    "en": {"total": "3127.87", "transmittal": "212.87", "search": "1710.00"},
    "ar": {"total": "3127,87", "transmittal": "212,87", "search": "1710,00"},
}
# Where a quotation mark is drawn beside the first letter of what it quotes (the Annex's English words in the
# transmittal line's note): its x-coordinates, and the letter's.
QUOTE_SIDES = """(note) => {
    const node = [...note.childNodes].find((child) => child.nodeType === Node.TEXT_NODE && /[«“]/.test(child.data));
    const box = (at) => {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        return range.getBoundingClientRect();
    };
    const mark = node.data.search(/[«“]/);
    const letter = node.data.slice(mark + 1).search(/[0-9A-Za-z]/) + mark + 1;
    return {mark: box(mark).left, letter: box(letter).left};
}"""


def _no_sideways_overflow(page, what: str) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{what} is {overflow}px wider than the window"


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_visitor_works_out_the_pct_fees_paid_to_the_receiving_office(
    new_page, live_server, console_log, language, viewport
):
    page = new_page(locale=language, viewport=VIEWPORTS[viewport], extra_http_headers={"Accept-Language": language})
    page.goto(live_server.url + "/guidance/calculators/")
    page.locator("#calculator-list a[href='/guidance/calculators/pct-fees/']").first.click()
    assert page.url.endswith("/guidance/calculators/pct-fees/")
    assert_styled(page)
    expect(page.locator("html")).to_have_attribute("dir", LANGUAGES[language])
    expect(page.locator("#fees-results")).to_have_count(0)  # nothing worked out before the form is sent
    _no_sideways_overflow(page, f"the empty form ({language}, {viewport})")

    form = page.locator("#fees-form")
    # Each field by its label: the labels name their fields, in either language.
    labels = page.locator("#fees-form label.form-label")
    names = {labels.nth(i).get_attribute("for"): labels.nth(i).inner_text() for i in range(labels.count())}
    field = {name.removeprefix("id_"): form.get_by_label(text, exact=True) for name, text in names.items()}
    field["receiving_office"].select_option("KE")
    field["isa"].select_option("AT")
    field["sheets"].fill("35")
    field["efiling"].select_option("xml")
    field["reduction"].select_option("none")
    with page.expect_navigation():
        form.locator("[type='submit']").click()

    assert "receiving_office=KE" in page.url and "isa=AT" in page.url
    results = page.locator("#fees-results")
    expect(results).to_be_visible()
    expect(page.locator("#fees-total")).to_have_text(AMOUNTS[language]["total"])
    rows = page.locator("#fees-lines tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.nth(0).locator("th")).to_contain_text(FILING[language])
    transmittal, search = rows.nth(3), rows.nth(4)
    expect(transmittal.locator("th")).to_contain_text(TRANSMITTAL[language])
    expect(transmittal.locator("td").first).to_have_text(AMOUNTS[language]["transmittal"])
    expect(search.locator("th")).to_contain_text(SEARCH[language])
    expect(search.locator("td").first).to_have_text(AMOUNTS[language]["search"])
    # The Annex's English words quoted in the note: the opening mark is before them in the reading direction (on
    # their right in Arabic), not pulled into their left-to-right run.
    sides = transmittal.locator("th span").evaluate(QUOTE_SIDES)
    opens_on_the_right = sides["mark"] > sides["letter"]
    assert opens_on_the_right == (language == "ar"), sides
    # Every amount is known: the total leaves nothing out, and the form keeps what was chosen.
    expect(page.locator("#fees-total-note")).to_have_count(0)
    expect(field["receiving_office"]).to_have_value("KE")
    expect(field["isa"]).to_have_value("AT")
    expect(field["sheets"]).to_have_value("35")

    _no_sideways_overflow(page, f"the fees ({language}, {viewport})")
    assert console_log.csp_violations() == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"pct-fees-{language}-{viewport}.png"), full_page=True)
