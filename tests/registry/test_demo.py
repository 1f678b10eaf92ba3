"""The demo MSMEs look real to an agency clerk: names of the country in its languages and script, the sector the
name says, IP assets that match the maturity level and the trade, and hardly any large firm."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest
from django.db import transaction

from apps.registry.demo import seed_msmes
from apps.registry.demo_words import COUNTRIES, TRADES
from apps.registry.models import IpAsset, IsicCode, Msme
from apps.registry.sizing import size_class_for
from apps.tenants.context import tenant_context
from apps.tenants.demo import seed_tenants

pytestmark = pytest.mark.django_db

COUNT = 300
RIGHTS = (
    IpAsset.Type.TRADEMARK,
    IpAsset.Type.INDUSTRIAL_DESIGN,
    IpAsset.Type.UTILITY_MODEL,
    IpAsset.Type.PATENT,
    IpAsset.Type.COPYRIGHT,
)


@pytest.fixture
def demo():
    """{country: (tenant, [MSME with its assets])}: the three demo agencies with 300 demo MSMEs each."""
    found = {}
    for tenant in seed_tenants():
        assert seed_msmes(tenant=tenant, count=COUNT) == COUNT
        with tenant_context(tenant), transaction.atomic():
            msmes = list(
                Msme.objects.select_related("tenant").prefetch_related("assets").order_by("registration_number")
            )
        found[tenant.country] = (tenant, msmes)
    assert set(found) == {"KE", "PH", "EG"}
    return found


def _letters(text: str) -> set[str]:
    return {unicodedata.name(char).split()[0] for char in text if char.isalpha()}


def _pattern(template: str) -> re.Pattern[str]:
    fixed = [re.escape(part) for part in template.split("{}")]
    return re.compile("(.+)".join(fixed))


def _trade_of(name: str, country: str) -> str:
    """The trade whose template fits the name; of several, the one with the most words of its own ("Tumaini
    Poultry Farm" is a poultry farm, not a farm held by "Tumaini Poultry")."""
    fits = []
    for trade, templates in COUNTRIES[country].trades.items():
        for template in templates:
            text = template if isinstance(template, str) else template[0]
            if _pattern(text).fullmatch(name):
                fits.append((len(text), trade))
    assert fits, f"{name!r} fits no trade of {country}"
    return max(fits)[1]


def test_names_are_of_the_country_in_its_script_distinct_and_without_numbers(demo):
    for country, (_tenant, msmes) in demo.items():
        names = [msme.name for msme in msmes]
        assert len(set(names)) == COUNT, country
        assert not [name for name in names if re.search(r"\d", name)], country
        script = {"EG": {"ARABIC"}}.get(country, {"LATIN"})
        assert {name for name in names if _letters(name) != script} == set(), country
    egypt = [msme.name for msme in demo["EG"][1]]
    assert "ورشة الدلتا لمعدات الري" in egypt
    assert any(name.startswith("ورشة ") for name in egypt)
    # Owners' names as a clerk would see them: Mama Wanjiku's, Aling Nena's, al-Hajj Mahmoud's.
    assert any(msme.name.startswith("Mama ") for msme in demo["KE"][1])
    assert any(msme.name.startswith(("Aling ", "Mang ")) for msme in demo["PH"][1])
    assert any(msme.name.startswith("الحاج ") or " الحاج " in msme.name for msme in demo["EG"][1])


def test_each_demo_msmes_sector_is_its_trades_class(demo):
    trades = Counter()
    for country, (_tenant, msmes) in demo.items():
        for msme in msmes:
            trade = _trade_of(msme.name, country)
            assert msme.sector_isic_id == TRADES[trade].isic, (msme.name, msme.sector_isic_id)
            assert msme.sector_section == IsicCode.objects.get(code=TRADES[trade].isic).section
            trades[country, trade] += 1
    for country in demo:
        assert len([1 for (of, _trade) in trades if of == country]) >= 35, country  # varied, not a few trades
        assert max(n for (of, _trade), n in trades.items() if of == country) < COUNT / 8


def test_the_trade_words_have_their_isic_classes_and_the_table_holds_them():
    kenya = {template: trade for trade, templates in COUNTRIES["KE"].trades.items() for template in templates}
    expected = {
        "{} Bakery": "1071",
        "{} Tailors": "1410",
        "{} Leather Works": "1512",
        "{} Furniture": "3100",
        "{} Software": "6201",
        "{} Coffee Roasters": "1079",
        "{} Tea Packers": "1079",
        "{} Cosmetics": "2023",
        "{} Handicrafts": "2393",
        "{} Ceramics": "2393",
        "{} Printers": "1811",
        "{} Restaurant": "5610",
        "{} Solar Installers": "4321",
        "{} Grain Growers": "0111",
    }
    assert {template: TRADES[kenya[template]].isic for template in expected} == expected
    philippines = {t: trade for trade, templates in COUNTRIES["PH"].trades.items() for t in templates}
    assert TRADES[philippines["{} Kakanin"]].isic == "1071"
    assert TRADES[philippines["{} Handicrafts"]].isic == "2393"
    egypt = {t[0]: trade for trade, templates in COUNTRIES["EG"].trades.items() for t in templates}
    assert TRADES[egypt["ورشة {} للنحاس"]].isic == "2599"
    assert TRADES[egypt["{} للبرمجيات"]].isic == "6201"
    classes = set(IsicCode.objects.filter(level=IsicCode.Level.CLASS).values_list("code", flat=True))
    assert {trade.isic for trade in TRADES.values()} <= classes
    for country in COUNTRIES.values():
        assert set(country.trades) <= set(TRADES)
        flagship = country.flagship
        assert flagship is not None and flagship.template in country.trades[flagship.trade]


def test_assets_follow_the_maturity_level(demo):
    levels = Counter()
    for _country, (_tenant, msmes) in demo.items():
        for msme in msmes:
            assets = list(msme.assets.all())
            registered = [a for a in assets if a.status == IpAsset.Status.REGISTERED and a.asset_type in RIGHTS]
            level = msme.maturity_level
            levels[level] += 1
            if level in (1, 2):
                # None, or a mark or a work in use: nothing filed, nothing registered.
                assert {(a.asset_type, a.status) for a in assets} <= {
                    (IpAsset.Type.TRADEMARK, IpAsset.Status.IN_USE),
                    (IpAsset.Type.COPYRIGHT, IpAsset.Status.IN_USE),
                }, msme.name
            elif level == 3:
                assert [
                    a
                    for a in assets
                    if a.asset_type == IpAsset.Type.TRADEMARK
                    and a.status in (IpAsset.Status.REGISTERED, IpAsset.Status.PENDING)
                ], msme.name
            elif level in (4, 5):
                assert len(registered) >= 2, msme.name
            for asset in registered:
                assert asset.grant_date and asset.filing_date <= asset.grant_date, asset.title
                assert asset.filing_date.year >= msme.founded_year, (msme.name, asset.title)
    assert all(levels[level] for level in (1, 2, 3, 4, 5))
    assert levels[1] + levels[2] > levels[4] + levels[5]  # most MSMEs have not begun to protect their IP


def test_assets_follow_the_trade_and_are_titled_after_the_business(demo):
    inventive = {trade.isic for trade in TRADES.values() if trade.inventive}
    recipes = {trade.isic for trade in TRADES.values() if trade.profile in ("food", "eatery", "cosmetics")}
    kinds = Counter()
    for country, (_tenant, msmes) in demo.items():
        for msme in msmes:
            mark = None
            assets = list(msme.assets.all())
            assert len({(a.asset_type, a.jurisdiction, a.title) for a in assets}) == len(assets), msme.name
            for asset in assets:
                kinds[asset.asset_type] += 1
                if asset.asset_type in (IpAsset.Type.PATENT, IpAsset.Type.UTILITY_MODEL):
                    assert msme.sector_isic_id in inventive, (msme.name, asset.title)
                if asset.asset_type == IpAsset.Type.TRADE_SECRET:
                    assert msme.sector_isic_id in recipes, (msme.name, asset.title)
                if asset.asset_type == IpAsset.Type.TRADEMARK:
                    assert msme.name in asset.title
                    mark = asset
                if asset.asset_type != IpAsset.Type.DOMAIN_NAME and country == "EG":
                    assert "ARABIC" in _letters(asset.title), asset.title
            if mark is not None and mark.status != IpAsset.Status.IN_USE:
                assert mark.classes and mark.application_number
            national = [a for a in assets if a.asset_type == IpAsset.Type.TRADEMARK and a.title == msme.name]
            national = [a for a in national if a.jurisdiction == msme.tenant.country]
            for asset in assets:  # a logo mark and a Madrid registration follow the national word mark
                if asset.asset_type == IpAsset.Type.TRADEMARK and asset not in national and asset.filing_date:
                    assert national and national[0].filing_date < asset.filing_date, (msme.name, asset.title)
    assert all(kinds[kind] for kind in IpAsset.Type if kind != IpAsset.Type.GEOGRAPHICAL_INDICATION)


def test_most_demo_msmes_are_micro_and_hardly_any_large(demo):
    every = [(tenant, msme) for tenant, msmes in demo.values() for msme in msmes]
    staff = [msme.employees for _tenant, msme in every]
    assert sum(n >= 250 for n in staff) <= 0.02 * len(staff)
    assert sum(50 <= n < 250 for n in staff) <= 0.06 * len(staff)
    assert sum(10 <= n < 50 for n in staff) >= 0.08 * len(staff)
    assert sum(1 <= n < 10 for n in staff) >= 0.75 * len(staff)
    for tenant, msme in every:
        assert msme.size_class == size_class_for(
            employees=msme.employees, turnover_eur=msme.annual_turnover_eur, tenant=tenant
        )


def test_the_first_demo_msme_is_the_members_maker_with_its_invention(demo):
    kenya = demo["KE"][1][0]
    assert kenya.name == "Jua Kali Metal Works" and kenya.sector_isic_id == "2599" and kenya.region == "KE-30"
    for _tenant, msmes in demo.values():
        first = msmes[0]
        assert first.maturity_level == 4
        kinds = {(a.asset_type, a.status) for a in first.assets.all()}
        assert (IpAsset.Type.UTILITY_MODEL, IpAsset.Status.REGISTERED) in kinds
        assert (IpAsset.Type.INDUSTRIAL_DESIGN, IpAsset.Status.REGISTERED) in kinds


def test_more_msmes_later_keep_the_first_ones_and_add_new_names(tenant_a):
    assert seed_msmes(tenant=tenant_a, count=5) == 5
    with tenant_context(tenant_a), transaction.atomic():
        first = dict(Msme.objects.values_list("registration_number", "name"))
    assert seed_msmes(tenant=tenant_a, count=5) == 0
    assert seed_msmes(tenant=tenant_a, count=9) == 4
    with tenant_context(tenant_a), transaction.atomic():
        after = dict(Msme.objects.values_list("registration_number", "name"))
    assert {number: after[number] for number in first} == first
    assert len(set(after.values())) == 9
