"""The language switcher and Accept-Language: lang and dir follow the language, Arabic reads right to left."""

from __future__ import annotations

import pytest

from apps.core.roles import Role
from tests.browser.helpers import assert_styled, expected_nav, shown_nav, sign_in
from tests.factories import PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_language(page, code: str) -> None:
    form = page.locator("form:has(#language-select)")
    page.locator("#language-select").select_option(code)
    with page.expect_navigation():
        form.locator("[type='submit']").click()


def html_lang_dir(page) -> tuple[str | None, str | None]:
    html = page.locator("html")
    return html.get_attribute("lang"), html.get_attribute("dir")


def body_direction(page) -> str:
    return page.locator("body").evaluate("el => getComputedStyle(el).direction")


def test_arabic_reads_right_to_left_and_english_left_to_right(page, live_server):
    page.goto(live_server.url + "/")
    assert html_lang_dir(page) == ("en", "ltr")
    assert body_direction(page) == "ltr"

    choose_language(page, "ar")

    assert html_lang_dir(page) == ("ar", "rtl")
    assert body_direction(page) == "rtl"
    assert page.locator("#language-select").input_value() == "ar"
    stylesheets = page.locator("link[rel='stylesheet']").evaluate_all("links => links.map(l => l.href)")
    assert any("bootstrap.rtl" in href for href in stylesheets), stylesheets
    assert_styled(page)

    choose_language(page, "en")

    assert html_lang_dir(page) == ("en", "ltr")
    assert body_direction(page) == "ltr"
    assert_styled(page)


def test_the_language_choice_survives_navigation(page, live_server):
    page.goto(live_server.url + "/")
    choose_language(page, "ar")

    page.goto(live_server.url + "/accounts/login/")

    assert html_lang_dir(page) == ("ar", "rtl")
    assert body_direction(page) == "rtl"


def test_accept_language_picks_french_on_first_visit(new_page, live_server):
    page = new_page(locale="fr-FR")

    page.goto(live_server.url + "/")

    assert html_lang_dir(page) == ("fr", "ltr")
    assert page.locator("#language-select").input_value() == "fr"
    assert_styled(page)


def test_a_signed_in_member_works_in_arabic(page, live_server, tenant_a):
    user = user_with_role(Role.MSME_MEMBER, tenant_a)
    page.goto(live_server.url + "/")
    choose_language(page, "ar")

    sign_in(page, live_server.url, user.email, PASSWORD)

    assert html_lang_dir(page) == ("ar", "rtl")
    assert body_direction(page) == "rtl"
    assert tenant_a.name in page.locator("#current-role").inner_text()
    assert shown_nav(page) == expected_nav(Role.MSME_MEMBER)
    assert_styled(page)
