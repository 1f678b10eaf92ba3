"""One test per rule of apps.plan.rules: it fires when its condition holds, not otherwise, and its
`why` names the fact that triggered it. The rules read a PlanContext only: no database."""

from __future__ import annotations

from datetime import date

import pytest

from apps.plan import rules as r
from apps.plan.engine import AssetFacts, PlanContext, Signal

TODAY = date(2026, 11, 24)


def ctx(**fields) -> PlanContext:
    fields.setdefault("level", 3)  # past the awareness stage unless a test says otherwise
    fields.setdefault("today", TODAY)
    fields.setdefault("assets", (AssetFacts("trademark", "KE", "registered", "Kept"),))
    return PlanContext(**fields)


def asset(asset_type="trademark", jurisdiction="KE", status="registered", title="Mark", **dates) -> AssetFacts:
    return AssetFacts(asset_type, jurisdiction, status, title, **dates)


def keys(context: PlanContext) -> list[str]:
    return [action.key for action in r.build_plan(context)]


def test_every_rule_is_registered_once_in_order():
    assert len(RULE_TESTS) == len(r.RULES)
    assert len(set(r.RULES)) == len(r.RULES)
    assert r.RULES[0] is r.learn_the_basics


# --- awareness ---------------------------------------------------------------------------------


def test_learn_the_basics_at_levels_1_2_and_when_not_assessed():
    action = r.learn_the_basics(ctx(level=1))
    assert action.awareness and "1 Unaware" in action.why and action.topic == ""
    assert "2 Aware" in r.learn_the_basics(ctx(level=2)).why
    assert "not been assessed" in r.learn_the_basics(ctx(level=None)).why
    assert r.learn_the_basics(ctx(level=3)) is None


def test_a_business_holding_several_kinds_of_registered_rights_is_not_told_to_learn_the_basics():
    holder = (asset("industrial_design"), asset("trademark"), asset("utility_model"))
    assert r.learn_the_basics(ctx(level=2, assets=holder)) is None
    assert r.learn_the_basics(ctx(level=None, assets=holder)) is None
    assert "learn-basics" not in keys(ctx(level=1, assets=holder))
    # One kind, rights only applied for, or rights that lapsed, still get the basics.
    assert r.learn_the_basics(ctx(level=2, assets=(asset("trademark"),))) is not None
    applied = (asset("trademark"), asset("patent", status="pending"))
    assert r.learn_the_basics(ctx(level=2, assets=applied)) is not None
    lapsed = (asset("trademark"), asset("industrial_design", status="lapsed"))
    assert r.learn_the_basics(ctx(level=2, assets=lapsed)) is not None


def test_take_the_diagnostic_only_when_never_assessed():
    action = r.take_the_diagnostic(ctx(level=None))
    assert action.url_name == "diagnostics:start" and "No IP diagnostic" in action.why
    assert r.take_the_diagnostic(ctx(level=1)) is None


def test_talk_to_a_tisc_at_the_awareness_stage():
    action = r.talk_to_a_tisc(ctx(level=2))
    assert action.topic == "tiscs" and action.cost.startswith("Free or charged") and "2 Aware" in action.why
    assert r.talk_to_a_tisc(ctx(level=4)) is None


# --- the register -------------------------------------------------------------------------------


def test_start_an_ip_register_when_nothing_is_recorded():
    action = r.start_an_ip_register(ctx(assets=()))
    assert "No IP asset is recorded" in action.why
    assert r.start_an_ip_register(ctx()) is None


def test_register_deadlines_within_twelve_months():
    renewal = asset(title="SunBrand", filing_date=date(2017, 3, 1))  # renewal due 2027-03-01
    far = asset(title="Later", filing_date=date(2020, 3, 1))  # renewal due 2030
    actions = r.register_deadlines(ctx(assets=(renewal, far)))
    assert [a.deadline for a in actions] == [date(2027, 3, 1)]
    assert "SunBrand" in actions[0].why and "SunBrand" in actions[0].title
    assert actions[0].topic == "trademarks" and "renewal" in actions[0].deadline_label.lower()
    assert r.register_deadlines(ctx(assets=(far,))) == []
    lapsed = asset(title="Gone", status="lapsed", filing_date=date(2017, 3, 1))
    assert r.register_deadlines(ctx(assets=(lapsed,))) == []


def test_register_deadlines_madrid_mark_links_to_madrid():
    mark = asset(jurisdiction="MADRID", title="World mark", grant_date=date(2017, 1, 10))
    (action,) = r.register_deadlines(ctx(assets=(mark,)))
    assert action.topic == "madrid" and action.deadline == date(2027, 1, 10)


def test_pct_decision_before_month_12():
    patent = asset("patent", "KE", "pending", "Solar dryer", filing_date=date(2026, 6, 30))
    (action,) = r.pct_decision(ctx(assets=(patent,)))
    assert action.deadline == date(2027, 6, 30)  # priority + 12 months, PCT Rule 80.2
    assert action.topic == "pct" and "Solar dryer" in action.why and "KE" in action.why
    assert "CHF 1,330" in action.cost  # the PCT international filing fee, from fees.json
    # The priority date counts rather than the filing date; a utility model counts too.
    model = asset(
        "utility_model", "KE", "pending", "Clip", priority_date=date(2026, 2, 28), filing_date=date(2026, 9, 1)
    )
    (action,) = r.pct_decision(ctx(assets=(model,)))
    assert action.deadline == date(2027, 2, 28)


@pytest.mark.parametrize(
    "assets",
    [
        (asset("patent", "KE", "pending", "Old", filing_date=date(2025, 11, 23)),),  # the priority year is over
        (asset("patent", "KE", "pending", "P", filing_date=date(2026, 6, 1)), asset("patent", "PCT", "pending", "W")),
        (asset("patent", "KE", "idea", "Not filed", filing_date=date(2026, 6, 1)),),
        (asset("patent", "KE", "refused", "Refused", filing_date=date(2026, 6, 1)),),
        (asset("trademark", "KE", "pending", "Mark", filing_date=date(2026, 6, 1)),),
        (asset("patent", "KE", "pending", "No date"),),
        (asset("patent", "KE", "pending", "Not yet", filing_date=date(2026, 12, 1)),),  # after today
        (asset("patent", "KE", "pending", "Far", priority_date=date(9999, 6, 1)),),  # no overflow either
    ],
)
def test_pct_decision_does_not_fire(assets):
    assert r.pct_decision(ctx(assets=assets)) == []


# --- protection -----------------------------------------------------------------------------------


def test_trademark_abroad_for_exporters_with_madrid_fees():
    mark = asset(title="SunBrand", classes="9, 35, 42")
    action = r.trademark_abroad(ctx(signals=frozenset({Signal.EXPORTS}), assets=(mark,)))
    assert action.topic == "madrid" and "sells abroad" in action.why and "Madrid" in action.title
    # Basic fee 653 + complementary 100 + 0 supplementary for three classes; China: 653 + 249 + 2 x 125.
    assert "CHF 753" in action.cost and "CHF 1,152" in action.cost and "Nice classes: 3" in action.cost
    from_profile = r.trademark_abroad(ctx(exports=True, assets=()))
    assert "Your profile says your business exports" in from_profile.why
    assert "No trademark is recorded" in from_profile.why
    assert r.trademark_abroad(ctx()) is None


def test_register_the_brand_without_a_trademark():
    action = r.register_the_brand(ctx(signals=frozenset({Signal.HAS_BRAND}), assets=()))
    assert action.topic == "trademarks" and "name or logo" in action.why
    assert action.cost == "Varies by country: ask your national IP office"
    assert r.register_the_brand(ctx(signals=frozenset({Signal.HAS_BRAND}))) is None  # a trademark is recorded
    assert r.register_the_brand(ctx(assets=())) is None


def test_protect_inventions_without_a_patent():
    action = r.protect_inventions(ctx(signals=frozenset({Signal.HAS_INVENTIONS})))
    assert action.topic == "patents" and "new technical products" in action.why
    patent = asset("patent", "KE", "pending", "P")
    assert r.protect_inventions(ctx(signals=frozenset({Signal.HAS_INVENTIONS}), assets=(patent,))) is None
    assert r.protect_inventions(ctx()) is None


def test_utility_model_for_a_short_life_cycle():
    action = r.utility_model(ctx(signals=frozenset({Signal.SHORT_LIFE_CYCLE})))
    assert action.topic == "utility-models" and "replaced within a few years" in action.why
    model = asset("utility_model", "KE", "registered", "U")
    assert r.utility_model(ctx(signals=frozenset({Signal.SHORT_LIFE_CYCLE}), assets=(model,))) is None
    assert r.utility_model(ctx()) is None


def test_protect_designs_when_the_look_matters():
    action = r.protect_designs(ctx(signals=frozenset({Signal.HAS_DESIGNS})))
    assert action.topic == "industrial-designs" and "look of your products" in action.why
    design = asset("industrial_design", "KE", "registered", "D")
    assert r.protect_designs(ctx(signals=frozenset({Signal.HAS_DESIGNS}), assets=(design,))) is None
    assert r.protect_designs(ctx()) is None


def test_trade_secret_policy_for_know_how_or_recorded_secrets():
    action = r.trade_secret_policy(ctx(signals=frozenset({Signal.VALUABLE_KNOW_HOW})))
    assert action.topic == "trade-secrets" and "know-how" in action.why and "NDA" not in action.cost
    assert "non-disclosure" in action.title
    secret = asset("trade_secret", "KE", "in_use", "Recipe")
    assert "records trade secrets" in r.trade_secret_policy(ctx(assets=(secret,))).why
    assert r.trade_secret_policy(ctx()) is None


def test_copyright_management_for_creative_businesses():
    action = r.copyright_management(ctx(signals=frozenset({Signal.CREATIVE_SECTOR})))
    assert action.topic == "copyright" and "creative sector" in action.why and "collective" in action.title
    from_sector = r.copyright_management(ctx(sector_isic="5920"))
    assert "ISIC 5920" in from_sector.why
    assert r.copyright_management(ctx(sector_isic="1079")) is None


def test_adr_clauses_for_contracts_and_licences():
    action = r.adr_clauses(ctx(signals=frozenset({Signal.LICENCES_CONTRACTS})))
    assert action.topic == "adr" and "licenses IP" in action.why and "clauses" in action.title
    assert r.adr_clauses(ctx()) is None


def test_adr_dispute():
    action = r.adr_dispute(ctx(signals=frozenset({Signal.DISPUTE})))
    assert action.topic == "adr" and "dispute" in action.why
    assert "WIPO arbitration registration fee: USD 2,000" in action.cost  # from adr.yaml's fact
    assert r.adr_dispute(ctx()) is None


def test_search_at_a_tisc():
    action = r.search_at_a_tisc(ctx(signals=frozenset({Signal.NEEDS_SEARCH})))
    assert action.topic == "tiscs" and "freedom-to-operate" in action.why and action.cost.startswith("Free or charged")
    assert r.search_at_a_tisc(ctx()) is None


def test_inventor_assistance_only_in_participating_countries():
    under = frozenset({Signal.UNDER_RESOURCED_INVENTOR})
    action = r.inventor_assistance(ctx(signals=under, country="CO"))
    assert action.topic == "iap" and "Colombia" in action.why and "patent attorney" in action.why
    assert r.inventor_assistance(ctx(signals=under, country="FR")) is None  # not a participating country
    assert r.inventor_assistance(ctx(country="CO")) is None


def test_iap_countries_file_is_sourced():
    import json

    data = json.loads(r.IAP_COUNTRIES_FILE.read_text(encoding="utf-8"))
    assert data["source"] and data["verified"] and data["as_of"]
    assert {"CO", "KE", "PH", "ZA"} <= set(data["countries"]) and all(len(code) == 2 for code in data["countries"])


def test_wipo_green_for_green_technology():
    action = r.wipo_green(ctx(signals=frozenset({Signal.GREEN_TECHNOLOGY})))
    assert action.topic == "green" and "environmentally sound" in action.why and action.cost == "Free"
    assert "ISIC 3830" in r.wipo_green(ctx(sector_isic="3830")).why
    assert r.wipo_green(ctx(sector_isic="3510")) is None


def test_wipo_re_search_for_ntd_research():
    action = r.wipo_re_search(ctx(signals=frozenset({Signal.NTD_RESEARCH})))
    assert action.topic == "research" and "neglected tropical diseases" in action.why
    assert r.wipo_re_search(ctx()) is None


def test_spinoff_ownership():
    action = r.spinoff_ownership(ctx(is_university_spinoff=True))
    assert "university spin-off" in action.why
    assert r.spinoff_ownership(ctx()) is None


def test_informal_business():
    action = r.informal_business(ctx(is_informal=True))
    assert "informal economy" in action.why
    assert r.informal_business(ctx()) is None


RULE_TESTS = [
    test_learn_the_basics_at_levels_1_2_and_when_not_assessed,
    test_take_the_diagnostic_only_when_never_assessed,
    test_talk_to_a_tisc_at_the_awareness_stage,
    test_start_an_ip_register_when_nothing_is_recorded,
    test_register_deadlines_within_twelve_months,
    test_pct_decision_before_month_12,
    test_trademark_abroad_for_exporters_with_madrid_fees,
    test_register_the_brand_without_a_trademark,
    test_protect_inventions_without_a_patent,
    test_utility_model_for_a_short_life_cycle,
    test_protect_designs_when_the_look_matters,
    test_trade_secret_policy_for_know_how_or_recorded_secrets,
    test_copyright_management_for_creative_businesses,
    test_adr_clauses_for_contracts_and_licences,
    test_adr_dispute,
    test_search_at_a_tisc,
    test_inventor_assistance_only_in_participating_countries,
    test_wipo_green_for_green_technology,
    test_wipo_re_search_for_ntd_research,
    test_spinoff_ownership,
    test_informal_business,
]


# --- the plan: dedupe and order --------------------------------------------------------------------


def test_awareness_first_at_level_1_then_deadlines_soonest_first_then_rule_order():
    patent = asset("patent", "KE", "pending", "Dryer", filing_date=date(2026, 6, 30))  # PCT by 2027-06-30
    mark = asset(title="SunBrand", filing_date=date(2017, 3, 1))  # renewal 2027-03-01
    context = ctx(
        level=1,
        assets=(patent, mark),
        signals=frozenset({Signal.LICENCES_CONTRACTS, Signal.VALUABLE_KNOW_HOW}),
    )
    plan = r.build_plan(context)
    assert [a.key for a in plan[:2]] == ["learn-basics", "tisc"]
    dated = [a for a in plan if a.deadline]
    assert [a.deadline for a in dated] == sorted(a.deadline for a in dated)
    assert plan.index(dated[-1]) < plan.index(next(a for a in plan if a.key == "trade-secrets"))
    rest = [a.key for a in plan if not a.deadline and not a.awareness]
    assert rest == ["trade-secrets", "adr-clauses"]  # rule order


def test_no_awareness_steps_from_level_3():
    plan = r.build_plan(ctx(level=3, signals=frozenset({Signal.DISPUTE})))
    assert [a.key for a in plan] == ["adr-dispute"]


def test_not_assessed_gets_the_diagnostic_among_the_awareness_steps():
    assert keys(ctx(level=None, assets=()))[:4] == ["learn-basics", "take-diagnostic", "tisc", "ip-register"]


def test_same_key_from_two_rules_is_one_action_with_both_reasons():
    plan = r.build_plan(ctx(level=2, signals=frozenset({Signal.NEEDS_SEARCH})))
    tisc = [a for a in plan if a.key == "tisc"]
    assert len(tisc) == 1
    assert "2 Aware" in tisc[0].why and "freedom-to-operate" in tisc[0].why and tisc[0].awareness


def test_every_action_has_a_design_topic_and_a_cost():
    from apps.guidance.topics import TOPIC_SLUGS

    everything = ctx(
        level=None,
        signals=frozenset(Signal),
        country="KE",
        exports=True,
        is_informal=True,
        is_university_spinoff=True,
        assets=(asset("patent", "KE", "pending", "P", filing_date=date(2026, 6, 1)),),
    )
    plan = r.build_plan(everything)
    assert len(plan) >= 15
    assert all(a.topic == "" or a.topic in TOPIC_SLUGS for a in plan)
    assert all(a.cost and a.why and a.title for a in plan)
    assert len({a.key for a in plan}) == len(plan)


def test_rights_declared_in_the_diagnostic_count_as_held_but_not_as_recorded():
    declared = (AssetFacts(asset_type="trademark", jurisdiction="", status="registered"),)
    ctx = PlanContext(level=3, signals=frozenset({Signal.HAS_BRAND}), declared_assets=declared)
    actions = {action.key: action for action in r.build_plan(ctx)}
    assert "trademark" not in actions  # no "register your trademark" for a business that holds one
    assert "record them" in actions["ip-register"].why  # but its empty register is pointed out
    assert "record them" not in {a.key: a for a in r.build_plan(PlanContext(level=3))}["ip-register"].why
    # A visitor has no register to record them in yet: no inventory step for rights they already named.
    visitor = PlanContext(level=3, declared_assets=declared, has_register=False)
    assert "ip-register" not in {action.key for action in r.build_plan(visitor)}
