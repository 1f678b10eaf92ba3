"""The Inventor Assistance Programme's eligibility: the four criteria as far as they can be checked."""

from __future__ import annotations

from apps.programmes.iap import country_choices, eligibility, income_rule, participating


def _check(**overrides):
    values = {"country": "PH", "resident": True, "income_within": True, "has_invention": True, "knows_patents": True}
    return eligibility(**{**values, **overrides})


def test_the_participating_countries_are_wipo_s_seven():
    assert set(participating()) == {"CL", "CO", "EC", "MA", "PE", "PH", "ZA"}
    assert [code for code, _name in country_choices()] == sorted(
        participating(), key=lambda code: dict(country_choices())[code].casefold()
    )


def test_someone_meeting_every_criterion_is_eligible():
    result = _check()
    assert result.eligible and result.reasons == []


def test_each_failed_criterion_gives_its_reason():
    result = _check(country="KE", income_within=False, has_invention=False, knows_patents=False)
    assert not result.eligible and len(result.reasons) == 4
    assert "Kenya does not take part" in result.reasons[0]
    assert not _check(resident=False).eligible


def test_the_income_threshold_is_the_country_s_or_says_whom_to_ask():
    assert "R 30,000 a month after tax" in income_rule("ZA")
    assert "IPOPHL" in income_rule("PH")  # not found in a public source: ask the office
    assert income_rule("KE") == ""
