"""Size classes and asset deadlines, at their boundaries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from apps.core.dates import add_months, add_years
from apps.registry.deadlines import deadlines_for_asset, deadlines_for_assets
from apps.registry.models import IpAsset
from apps.registry.sizing import size_class_for
from apps.tenants.models import Tenant

EU = Tenant(slug="eu", name="EU defaults", country="BE")


@pytest.mark.parametrize(
    ("employees", "turnover", "expected"),
    [
        (0, None, "micro"),
        (9, Decimal("2000000"), "micro"),
        (9, Decimal("2000000.01"), "small"),
        (10, Decimal("1"), "small"),
        (49, Decimal("10000000"), "small"),
        (49, Decimal("10000000.01"), "medium"),
        (50, None, "medium"),
        (249, Decimal("50000000"), "medium"),
        (249, Decimal("50000000.01"), "large"),
        (250, None, "large"),
    ],
)
def test_size_class_eu_boundaries(employees, turnover, expected):
    assert size_class_for(employees=employees, turnover_eur=turnover, tenant=EU) == expected


def test_size_class_follows_the_tenants_thresholds():
    strict = Tenant(slug="x", country="KE", micro_max_employees=5, small_max_employees=20, medium_max_employees=100)
    assert size_class_for(employees=5, turnover_eur=None, tenant=strict) == "small"
    assert size_class_for(employees=100, turnover_eur=None, tenant=strict) == "large"


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year: last day of February
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 8, 31), 30, date(2027, 2, 28)),
        (date(2024, 3, 15), 30, date(2026, 9, 15)),
        (date(2024, 12, 31), 12, date(2025, 12, 31)),
    ],
)
def test_add_months_counts_like_pct_rule_80(start, months, expected):
    assert add_months(start, months) == expected


def test_add_years_from_29_february():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def asset(**fields) -> IpAsset:
    defaults = {"jurisdiction": "KE", "title": "X", "status": IpAsset.Status.REGISTERED}
    return IpAsset(**{**defaults, **fields})


TODAY = date(2026, 11, 24)


def test_trademark_renews_every_ten_years_from_registration():
    [renewal] = deadlines_for_asset(asset(asset_type="trademark", grant_date=date(2017, 3, 1)), today=TODAY)
    assert (renewal.kind, renewal.due) == ("renewal", date(2027, 3, 1))


def test_trademark_next_renewal_after_a_passed_one():
    [renewal] = deadlines_for_asset(asset(asset_type="trademark", grant_date=date(2006, 1, 1)), today=TODAY)
    assert renewal.due == date(2036, 1, 1)


def test_design_renews_every_five_years_up_to_fifteen():
    found = deadlines_for_asset(asset(asset_type="industrial_design", grant_date=date(2020, 6, 1)), today=TODAY)
    assert [(d.kind, d.due) for d in found] == [("renewal", date(2030, 6, 1)), ("expiry", date(2035, 6, 1))]


def test_design_past_its_term_has_no_renewal():
    assert deadlines_for_asset(asset(asset_type="industrial_design", grant_date=date(2005, 6, 1)), today=TODAY) == []


def test_patent_annuity_and_expiry():
    found = deadlines_for_asset(asset(asset_type="patent", filing_date=date(2019, 12, 10)), today=TODAY)
    assert [(d.kind, d.due) for d in found] == [("annuity", date(2026, 12, 10)), ("expiry", date(2039, 12, 10))]


def test_pct_national_phase_at_30_months_from_priority():
    found = deadlines_for_asset(
        asset(
            asset_type="patent",
            jurisdiction="PCT",
            priority_date=date(2024, 8, 31),
            filing_date=date(2025, 8, 29),
            status=IpAsset.Status.PENDING,
        ),
        today=TODAY,
    )
    assert [(d.kind, d.due) for d in found] == [("national_phase", date(2027, 2, 28))]


def test_utility_model_term_by_country_and_default():
    ph = deadlines_for_asset(
        asset(asset_type="utility_model", jurisdiction="PH", filing_date=date(2022, 1, 5)), today=TODAY
    )
    assert [(d.kind, d.due) for d in ph] == [("expiry", date(2029, 1, 5))]
    other = deadlines_for_asset(
        asset(asset_type="utility_model", jurisdiction="NG", filing_date=date(2022, 1, 5)), today=TODAY
    )
    assert [d.due for d in other] == [date(2032, 1, 5)]


def test_lapsed_assets_have_no_deadlines():
    assert (
        deadlines_for_asset(
            asset(asset_type="trademark", grant_date=date(2017, 3, 1), status=IpAsset.Status.LAPSED), today=TODAY
        )
        == []
    )


def test_explicit_expiry_and_soonest_first():
    assets = [
        asset(asset_type="copyright", expiry_date=date(2090, 1, 1)),
        asset(asset_type="trademark", grant_date=date(2017, 3, 1)),
        asset(asset_type="domain_name", expiry_date=date(2027, 1, 15)),
    ]
    assert [d.due for d in deadlines_for_assets(assets, today=TODAY)] == [
        date(2027, 1, 15),
        date(2027, 3, 1),
        date(2090, 1, 1),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_flushes_the_isic_codes():
    from apps.registry.models import IsicCode

    assert IsicCode.objects.count() == 766  # 21 sections, 88 divisions, 238 groups, 419 classes


@pytest.mark.django_db
def test_the_isic_codes_are_back_for_the_next_test():
    from apps.registry.models import IsicCode

    assert IsicCode.objects.filter(level="class").count() == 419
    assert IsicCode.objects.get(code="1079").section == "C"


def test_add_months_is_relativedelta_which_counts_like_pct_rule_80():
    """Every day of a leap cycle, every shift of up to four years either way: the same day number, or
    the last day of the month when that day does not exist there."""
    import calendar
    from datetime import timedelta

    from dateutil.relativedelta import relativedelta

    day = date(2023, 1, 1)
    while day < date(2025, 1, 1):
        for months in range(-48, 49):
            due = add_months(day, months)
            assert due == day + relativedelta(months=months)
            month_index = day.month - 1 + months
            year, month = day.year + month_index // 12, month_index % 12 + 1
            assert (due.year, due.month) == (year, month)
            assert due.day == min(day.day, calendar.monthrange(year, month)[1])
        day += timedelta(days=1)


def test_python_dateutil_is_pinned_as_a_runtime_requirement():
    from importlib.metadata import version
    from pathlib import Path

    requirements = (Path(__file__).resolve().parents[2] / "requirements.txt").read_text().splitlines()
    assert f"python-dateutil=={version('python-dateutil')}" in [line.split("#")[0].strip() for line in requirements]
