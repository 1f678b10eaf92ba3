"""The calculators' index (/guidance/calculators/): every registered calculator, reached from the menu,
from the calculators' own menu and from the topic pages it serves."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from apps.guidance.calculators.catalogue import calculators_for_topic, registered_calculators

pytestmark = pytest.mark.django_db


def test_the_index_lists_every_registered_calculator_with_what_it_answers(client):
    response = client.get("/guidance/calculators/")

    assert response.status_code == 200
    page = response.content.decode()
    listed = re.findall(r'<a class="stretched-link" href="([^"]+)"', page)
    assert listed == [reverse(calculator.url_name) for calculator in registered_calculators()]
    # Guidance's five and the programmes' two (ADR fees, dispute clause).
    assert {"/guidance/calculators/pct-fees/", "/guidance/calculators/route-comparison/"} <= set(listed)
    assert "/programmes/adr/fees/" in listed and "/programmes/adr/clause/" in listed
    assert "What does an international patent application cost to file?" in page


def test_the_index_is_in_the_menu_of_every_role_and_in_the_calculators_menu(client):
    page = client.get("/guidance/calculators/pct-fees/").content.decode()
    assert 'href="/guidance/calculators/"' in page.split('id="calculators-nav"')[1].split("</nav>")[0]
    home = client.get("/").content.decode()
    assert 'data-nav="guidance:calculators"' in home or 'href="/guidance/calculators/"' in home


def test_the_index_speaks_the_user_s_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get("/guidance/calculators/").content.decode()
    assert '<html lang="fr"' in page
    assert "Calculatrices" in page or "Calculateurs" in page


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("pct", {"/guidance/calculators/pct-deadlines/", "/guidance/calculators/pct-fees/"}),
        ("madrid", {"/guidance/calculators/madrid-fees/", "/guidance/calculators/route-comparison/"}),
        ("adr", {"/programmes/adr/fees/", "/programmes/adr/clause/"}),
    ],
)
def test_each_topic_page_links_its_calculators_and_the_index(client, slug, expected):
    page = client.get(f"/guidance/{slug}/").content.decode()
    block = page.split('id="topic-calculators"')[1].split("</p>")[0]
    assert expected <= set(re.findall(r'href="([^"]+)"', block))
    assert 'href="/guidance/calculators/"' in block
    assert {calculator["url"] for calculator in calculators_for_topic(slug)} == expected | (
        {"/guidance/calculators/route-comparison/"} if slug == "pct" else set()
    )
