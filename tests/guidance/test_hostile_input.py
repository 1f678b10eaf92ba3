"""Input nobody should send still gets a clear answer, never a server error (on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from apps.guidance.calculators import fees

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/guidance/search/?q=a%00b",
        "/guidance/patents/?agency=a%00",
    ],
)
def test_a_nul_character_in_a_query_is_not_a_server_error(client, url):
    assert client.get(url).status_code in {200, 400}


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"/api/v1/calculators/pct-fees/?sheets={fees.MAX_COUNT + 1}", "sheets"),
        (
            "/api/v1/calculators/madrid-fees/?classes=2&designations=CN"
            f"&complementary_designations={fees.MAX_COUNT + 1}",
            "complementary_designations",
        ),
        (f"/api/v1/calculators/hague-fees/?designs=2&reproductions={fees.MAX_COUNT + 1}", "reproductions"),
        (f"/api/v1/calculators/hague-fees/?designs=2&reproductions=2&level_3={fees.MAX_COUNT + 1}", "level_3"),
        (f"/api/v1/calculators/route-comparison/?right=invention&countries=GB&sheets={fees.MAX_COUNT + 1}", "sheets"),
    ],
)
def test_huge_counts_are_a_400_naming_the_field(client, url, field):
    response = client.get(url)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "url",
    [
        f"/guidance/calculators/pct-fees/?sheets={fees.MAX_COUNT + 1}&efiling=none&reduction=none",
        f"/guidance/calculators/hague-fees/?designs=2&reproductions={fees.MAX_COUNT + 1}",
    ],
)
def test_the_pages_refuse_huge_counts_with_the_form_shown_again(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.context["form"].errors
