"""The tailored action plan's rules, in one readable module.

Each rule is a small function of a `PlanContext` that returns an `Action` (or a list of them, for the
register's deadlines) or None, registered in order with `@rule`. The rules never read the database:
`apps.plan.context_for_msme` gathers everything first.

Every action says *why* it was chosen, naming the fact about the business that triggered it, and what it
costs with the basis of the figure: WIPO fees from apps/guidance/data/fees.json through the calculators,
"free" for WIPO's free services, and "varies by country" where no sourced figure exists (no figure is made
up here). `build_plan` deduplicates and orders the actions: awareness steps first for a business at level
1-2 (or not assessed), then actions with a deadline, soonest first, then the rest in rule order.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.core.countries import country_name
from apps.core.dates import add_months
from apps.guidance.calculators import fees
from apps.guidance.topics import get_topic, localized
from apps.plan.context import AssetFacts, PlanContext, Signal
from apps.plan.sectors import is_creative_sector, is_green_sector
from apps.registry.deadlines import deadlines_for_asset
from apps.registry.models import IpAsset, MaturityLevel

IAP_COUNTRIES_FILE = Path(__file__).resolve().parent / "data" / "iap_countries.json"
PRIORITY_MONTHS = 12  # Paris Convention Art. 4C(1): the PCT must be filed within 12 months of the priority date
LOOKAHEAD_MONTHS = 12  # register deadlines shown in the plan: those within the next 12 months
AWARENESS_LEVEL = 2  # levels 1 (Unaware) and 2 (Aware) get the awareness steps first
INTERNATIONAL = {"PCT", "MADRID", "HAGUE"}
INACTIVE = {IpAsset.Status.LAPSED, IpAsset.Status.EXPIRED, IpAsset.Status.REFUSED}


@dataclass(frozen=True)
class Action:
    """One step of the plan."""

    key: str  # stable identifier; two rules giving the same key make one action
    title: str
    why: str  # plain words, naming the fact about the business that triggered the rule
    topic: str  # a DESIGN.md topic slug (/guidance/<slug>/), or "" for the guidance index
    cost: str  # an estimate with its basis
    deadline: date | None = None
    deadline_label: str = ""
    awareness: bool = False  # an awareness step: first in the plan of a level 1-2 business
    order: int = 0  # the position of the rule that made it (set by build_plan)
    url_name: str = ""  # a page other than a topic's (e.g. the diagnostic), reversed without arguments


RuleResult = Action | list[Action] | None
RULES: list[Callable[[PlanContext], RuleResult]] = []


def rule(func: Callable[[PlanContext], RuleResult]) -> Callable[[PlanContext], RuleResult]:
    """Register a rule; rules run, and their actions tie-break, in the order they are registered."""
    RULES.append(func)
    return func


# --- shared wording and facts --------------------------------------------------------------------


def _free() -> str:
    return _("Free")


def _tisc_cost() -> str:
    # Each TISC's host institution sets its own charges (tiscs.yaml, fact tisc_costs): never promise "free".
    return _("Free or charged, depending on the TISC: ask first")


def _fact(topic: str, fact_id: str) -> dict[str, str]:
    """A fact of a guidance topic file (its label and value, in the current language where translated)."""
    fact = get_topic(topic).fact(fact_id)
    language = get_language() or "en"
    return {"fee": localized(fact.label, language)[0], "value": localized(fact.value, language)[0]}


def _varies() -> str:
    return _("Varies by country: ask your national IP office")


def _chf(amount: Decimal) -> str:
    return f"CHF {amount:,.0f}" if amount == amount.to_integral() else f"CHF {amount:,.2f}"


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _level_name(level: int) -> str:
    return str(MaturityLevel(level).label)


@cache
def iap_countries() -> frozenset[str]:
    """ISO codes of the countries taking part in the Inventor Assistance Program (data/iap_countries.json)."""
    with IAP_COUNTRIES_FILE.open(encoding="utf-8") as handle:
        return frozenset(json.load(handle)["countries"])


def _stage(ctx: PlanContext) -> str:
    """Which fact makes an awareness step fire: no assessment, or a low level."""
    if ctx.level is None:
        return _("Your business has not been assessed yet")
    return _("Your business is at an early IP maturity level (%(level)s)") % {"level": _level_name(ctx.level)}


def _is_awareness_stage(ctx: PlanContext) -> bool:
    return ctx.level is None or ctx.level <= AWARENESS_LEVEL


def _active(ctx: PlanContext, *types: str) -> list[AssetFacts]:
    """The live rights of these types, in the register or declared in the diagnostic."""
    return [
        asset
        for asset in ctx.assets + ctx.declared_assets
        if asset.asset_type in types and asset.status not in INACTIVE
    ]


def _has(ctx: PlanContext, *types: str) -> bool:
    return bool(_active(ctx, *types))


def _signal(ctx: PlanContext, signal: Signal) -> bool:
    return signal in ctx.signals


def _nice_class_count(classes: str) -> int:
    return len(set(re.findall(r"\d+", classes or "")))


# --- awareness steps (level 1-2 or not assessed) -------------------------------------------------


# Rights an office registers. A business that holds two kinds of them has been through filing twice: it
# knows the basics, whatever level its diagnostic gave (or when it took none).
REGISTERED_KINDS = (
    IpAsset.Type.PATENT,
    IpAsset.Type.UTILITY_MODEL,
    IpAsset.Type.TRADEMARK,
    IpAsset.Type.INDUSTRIAL_DESIGN,
)


def _knows_the_basics(ctx: PlanContext) -> bool:
    held = {
        asset.asset_type
        for asset in ctx.assets + ctx.declared_assets
        if asset.asset_type in REGISTERED_KINDS and asset.status == IpAsset.Status.REGISTERED
    }
    return len(held) >= 2


@rule
def learn_the_basics(ctx: PlanContext) -> Action | None:
    if not _is_awareness_stage(ctx) or _knows_the_basics(ctx):
        return None
    why = _(
        "%(stage)s: learn what intellectual property is and what your business may already own before you "
        "spend money on protection."
    ) % {"stage": _stage(ctx)}
    return Action(
        key="learn-basics",
        title=_("Learn the basics of intellectual property"),
        why=why,
        topic="",
        cost=_free(),
        awareness=True,
    )


@rule
def take_the_diagnostic(ctx: PlanContext) -> Action | None:
    if ctx.level is not None:
        return None
    return Action(
        key="take-diagnostic",
        title=_("Take the IP diagnostic"),
        why=_("No IP diagnostic is recorded for your business: your answers tailor this plan to it."),
        topic="",
        cost=_free(),
        awareness=True,
        url_name="diagnostics:start",
    )


@rule
def talk_to_a_tisc(ctx: PlanContext) -> Action | None:
    if not _is_awareness_stage(ctx):
        return None
    return Action(
        key="tisc",
        title=_("Talk to your nearest Technology and Innovation Support Center (TISC)"),
        why=_(
            "%(stage)s: a Technology and Innovation Support Center near you gives first advice and help with "
            "patent and technology information."
        )
        % {"stage": _stage(ctx)},
        topic="tiscs",
        cost=_tisc_cost(),
        awareness=True,
    )


# --- the register ---------------------------------------------------------------------------------


@rule
def start_an_ip_register(ctx: PlanContext) -> Action | None:
    if ctx.assets or (ctx.declared_assets and not ctx.has_register):
        return None
    if ctx.declared_assets:
        why = _(
            "Your answers say your business holds IP rights, but none is recorded in its IP asset register: "
            "record them, with their dates, to be reminded of renewals and time limits."
        )
    else:
        why = _(
            "No IP asset is recorded for your business yet: list its names and logos, product designs, "
            "inventions, creative works, know-how and domain names, protected or not."
        )
    return Action(
        key="ip-register",
        title=_("Make an inventory of your IP"),
        why=why,
        topic="",
        cost=_free(),
    )


ASSET_TOPICS = {
    IpAsset.Type.TRADEMARK: "trademarks",
    IpAsset.Type.INDUSTRIAL_DESIGN: "industrial-designs",
    IpAsset.Type.PATENT: "patents",
    IpAsset.Type.UTILITY_MODEL: "utility-models",
}
JURISDICTION_TOPICS = {"PCT": "pct", "MADRID": "madrid", "HAGUE": "hague"}


@rule
def register_deadlines(ctx: PlanContext) -> list[Action]:
    """Renewals, annuities, the PCT national phase and expiries of the register in the next 12 months."""
    horizon = add_months(ctx.today, LOOKAHEAD_MONTHS)
    actions = []
    for asset in ctx.assets:
        for deadline in deadlines_for_asset(asset, today=ctx.today):  # AssetFacts has the fields it reads
            if deadline.due > horizon:
                continue
            topic = JURISDICTION_TOPICS.get(asset.jurisdiction.upper()) or ASSET_TOPICS.get(asset.asset_type, "")
            actions.append(
                Action(
                    key=f"deadline-{deadline.kind}-{asset.pk or asset.title}-{deadline.due.isoformat()}",
                    title=_("%(deadline)s: %(asset)s") % {"deadline": deadline.label, "asset": asset.title},
                    why=_("Your register holds “%(asset)s” (%(jurisdiction)s), due on %(date)s.")
                    % {"asset": asset.title, "jurisdiction": asset.jurisdiction, "date": _day(deadline.due)},
                    topic=topic,
                    cost=_varies(),
                    deadline=deadline.due,
                    deadline_label=str(deadline.label),
                )
            )
    return actions


@rule
def pct_decision(ctx: PlanContext) -> list[Action]:
    """A national patent or utility model filed less than 12 months ago, and no PCT application yet."""
    if any(a.asset_type == IpAsset.Type.PATENT and a.jurisdiction.upper() == "PCT" for a in ctx.assets):
        return []
    actions = []
    filing_fee = fees.pct_fees(sheets=30, efiling="none", reduction="none").total
    for asset in _active(ctx, IpAsset.Type.PATENT, IpAsset.Type.UTILITY_MODEL):
        base = asset.priority_date or asset.filing_date
        if base is None or asset.status == IpAsset.Status.IDEA or asset.jurisdiction.upper() in INTERNATIONAL:
            continue
        if base > ctx.today:  # a date in the future: not a filing made yet
            continue
        due = add_months(base, PRIORITY_MONTHS)  # months counted as PCT Rule 80.2 says
        if ctx.today > due:
            continue
        actions.append(
            Action(
                key=f"pct-decision-{asset.pk or asset.title}",
                title=_("Decide on an international (PCT) application for “%(asset)s”") % {"asset": asset.title},
                why=_(
                    "“%(asset)s” was filed in %(jurisdiction)s on %(date)s and no PCT application is recorded: "
                    "to claim its priority abroad, file within 12 months of that date."
                )
                % {"asset": asset.title, "jurisdiction": asset.jurisdiction, "date": _day(base)},
                topic="pct",
                cost=_(
                    "%(fee)s international filing fee for up to 30 sheets (PCT Schedule of Fees; 90 per cent less "
                    "for eligible applicants), plus search and transmittal fees that vary by office"
                )
                % {"fee": _chf(filing_fee)},
                deadline=due,
                deadline_label=_("Priority year ends (Paris Convention, 12 months)"),
            )
        )
    return actions


# --- protection ------------------------------------------------------------------------------------


def _madrid_cost(ctx: PlanContext) -> str:
    classes = max([_nice_class_count(a.classes) for a in _active(ctx, IpAsset.Type.TRADEMARK)] or [1])
    classes = min(max(classes, 1), fees.MAX_CLASSES)
    one_country = fees.madrid_fees(
        colour=False, classes=classes, designations=[], ldc=False, complementary_designations=1
    )
    china = fees.madrid_fees(colour=False, classes=classes, designations=["CN"], ldc=False)
    return _(
        "Madrid: from %(one)s for one country without an individual fee (Nice classes: %(classes)s; mark in black "
        "and white); designating China instead: %(china)s (Madrid Schedule of Fees; see the Madrid fee calculator). "
        "National filings: fees vary by country, ask each office."
    ) % {"one": _chf(one_country.total), "classes": classes, "china": _chf(china.total)}


@rule
def trademark_abroad(ctx: PlanContext) -> Action | None:
    if _signal(ctx, Signal.EXPORTS):
        why = _("You said your business sells abroad or plans to; a trademark protects only where it is registered.")
    elif ctx.exports:
        why = _("Your profile says your business exports; a trademark protects only where it is registered.")
    else:
        return None
    if not _has(ctx, IpAsset.Type.TRADEMARK):
        why += " " + _(
            "No trademark is recorded yet: register it at home first, as a Madrid application rests on a home "
            "application or registration."
        )
    return Action(
        key="trademark-abroad",
        title=_("Protect your trademark in your export markets: compare national filings with Madrid"),
        why=why,
        topic="madrid",
        cost=_madrid_cost(ctx),
    )


@rule
def register_the_brand(ctx: PlanContext) -> Action | None:
    if not _signal(ctx, Signal.HAS_BRAND) or _has(ctx, IpAsset.Type.TRADEMARK):
        return None
    return Action(
        key="trademark",
        title=_("Register your trademark"),
        why=_("You said your business sells under a name or logo, and no trademark is recorded in its register."),
        topic="trademarks",
        cost=_varies(),
    )


@rule
def protect_inventions(ctx: PlanContext) -> Action | None:
    if not _signal(ctx, Signal.HAS_INVENTIONS) or _has(ctx, IpAsset.Type.PATENT, IpAsset.Type.UTILITY_MODEL):
        return None
    return Action(
        key="patent",
        title=_("Keep your invention confidential and check whether it can be patented"),
        why=_(
            "You said your business develops new technical products or processes, and no patent or utility "
            "model is recorded: disclosing an invention before filing can make it unpatentable."
        ),
        topic="patents",
        cost=_varies(),
    )


@rule
def utility_model(ctx: PlanContext) -> Action | None:
    if not _signal(ctx, Signal.SHORT_LIFE_CYCLE) or _has(ctx, IpAsset.Type.UTILITY_MODEL):
        return None
    return Action(
        key="utility-model",
        title=_("Consider a utility model for products with a short life"),
        why=_(
            "You said your products are replaced within a few years: a utility model is usually quicker and "
            "cheaper to obtain than a patent, for a shorter term, where the country offers it."
        ),
        topic="utility-models",
        cost=_varies(),
    )


@rule
def protect_designs(ctx: PlanContext) -> Action | None:
    if not _signal(ctx, Signal.HAS_DESIGNS) or _has(ctx, IpAsset.Type.INDUSTRIAL_DESIGN):
        return None
    return Action(
        key="industrial-design",
        title=_("Protect the look of your products as industrial designs"),
        why=_("You said the look of your products matters to your buyers, and no design is recorded in the register."),
        topic="industrial-designs",
        cost=_varies(),
    )


@rule
def trade_secret_policy(ctx: PlanContext) -> Action | None:
    if _signal(ctx, Signal.VALUABLE_KNOW_HOW):
        why = _("You said your business has know-how worth keeping secret (recipes, processes, customer lists).")
    elif _has(ctx, IpAsset.Type.TRADE_SECRET):
        why = _("Your register records trade secrets: they stay protected only while you keep them secret.")
    else:
        return None
    return Action(
        key="trade-secrets",
        title=_("Write a trade-secret policy and use non-disclosure agreements"),
        why=why,
        topic="trade-secrets",
        cost=_(
            "No filing fee: trade secrets are not registered. The cost is your time, and a lawyer's review of "
            "the agreements if you want one."
        ),
    )


@rule
def copyright_management(ctx: PlanContext) -> Action | None:
    if _signal(ctx, Signal.CREATIVE_SECTOR):
        why = _("You said your business works in a creative sector (music, publishing, film, games or software).")
    elif is_creative_sector(ctx.sector_isic):
        why = _("Your business's sector (ISIC %(code)s) creates works protected by copyright.") % {
            "code": ctx.sector_isic
        }
    else:
        return None
    return Action(
        key="copyright",
        title=_("Manage your copyright: keep records of your works, clear contracts, and collective management"),
        why=why,
        topic="copyright",
        cost=_(
            "Protection needs no registration (Berne Convention, Article 5(2)), but some countries offer "
            "registration as proof, and a few require it before their own nationals can sue; the terms of "
            "collective management organizations vary by country"
        ),
    )


# --- contracts and disputes ------------------------------------------------------------------------


@rule
def adr_clauses(ctx: PlanContext) -> Action | None:
    if not _signal(ctx, Signal.LICENCES_CONTRACTS):
        return None
    return Action(
        key="adr-clauses",
        title=_("Add mediation and arbitration (ADR) clauses to your contracts and licences"),
        why=_("You said your business licenses IP or works with partners under contract."),
        topic="adr",
        cost=_("Free to use the WIPO model clauses; fees are due only if a case is filed"),
    )


@rule
def adr_dispute(ctx: PlanContext) -> Action | None:
    if not _signal(ctx, Signal.DISPUTE):
        return None
    return Action(
        key="adr-dispute",
        title=_("Consider WIPO mediation or arbitration for your dispute"),
        why=_("You said your business is in, or fears, an IP or licensing dispute."),
        topic="adr",
        cost=_("A fixed registration fee, then fees that depend on the amount in dispute. %(fee)s: %(value)s")
        % _fact("adr", "arbitration_registration_fee"),
    )


# --- WIPO programmes -------------------------------------------------------------------------------


@rule
def search_at_a_tisc(ctx: PlanContext) -> Action | None:
    if not _signal(ctx, Signal.NEEDS_SEARCH):
        return None
    return Action(
        key="tisc",
        title=_("Ask your nearest TISC for a prior-art or freedom-to-operate search"),
        why=_("You said your business needs a prior-art or freedom-to-operate search."),
        topic="tiscs",
        cost=_tisc_cost(),
    )


@rule
def inventor_assistance(ctx: PlanContext) -> Action | None:
    if not _signal(ctx, Signal.UNDER_RESOURCED_INVENTOR) or ctx.country not in iap_countries():
        return None
    return Action(
        key="iap",
        title=_("Apply to the Inventor Assistance Program (IAP)"),
        why=_(
            "You said your business cannot afford a patent attorney, and %(country)s takes part in the IAP, "
            "which matches inventors with volunteer patent attorneys."
        )
        % {"country": country_name(ctx.country)},
        topic="iap",
        cost=_("Free legal help from a volunteer patent attorney; official fees remain yours to pay"),
    )


@rule
def wipo_green(ctx: PlanContext) -> Action | None:
    if _signal(ctx, Signal.GREEN_TECHNOLOGY):
        why = _("You said your business develops or uses environmentally sound technology.")
    elif is_green_sector(ctx.sector_isic):
        why = _("Your business's sector (ISIC %(code)s) works on environmental technology.") % {"code": ctx.sector_isic}
    else:
        return None
    return Action(
        key="wipo-green",
        title=_("List your green technology or your needs on WIPO GREEN"),
        why=why,
        topic="green",
        cost=_free(),
    )


@rule
def wipo_re_search(ctx: PlanContext) -> Action | None:
    if not _signal(ctx, Signal.NTD_RESEARCH):
        return None
    return Action(
        key="re-search",
        title=_("Join WIPO Re:Search to share IP and know-how for research on neglected tropical diseases"),
        why=_("You said your business researches neglected tropical diseases, malaria or tuberculosis."),
        topic="research",
        cost=_(
            "No membership fee found on WIPO Re:Search's pages; licences are agreed between members, "
            "royalty-free for research"
        ),
    )


# --- the profile -----------------------------------------------------------------------------------


@rule
def spinoff_ownership(ctx: PlanContext) -> Action | None:
    if not ctx.is_university_spinoff:
        return None
    return Action(
        key="spinoff-ownership",
        title=_("Agree in writing with the university who owns the IP you use"),
        why=_(
            "Your profile says your business is a university spin-off: investors and partners will ask whether "
            "it owns, or holds a licence to, the results it builds on."
        ),
        topic="patents",
        cost=_("Lawyers' fees vary; the university's technology transfer office can advise"),
    )


@rule
def informal_business(ctx: PlanContext) -> Action | None:
    if not ctx.is_informal:
        return None
    return Action(
        key="informal",
        title=_("Keep dated proof of your creations and of your brand's use"),
        why=_(
            "Your profile says your business works in the informal economy: dated records help prove what is "
            "yours; ask your national IP office whether you can apply in your own name."
        ),
        topic="trademarks",
        cost=_free(),
    )


# --- the plan --------------------------------------------------------------------------------------


def _dedupe(actions: list[Action]) -> list[Action]:
    """One action per key: the first one kept, the others' reasons added to its own."""
    by_key: dict[str, Action] = {}
    for action in actions:
        kept = by_key.get(action.key)
        if kept is None:
            by_key[action.key] = action
        elif action.why not in kept.why:
            deadline = min((d for d in (kept.deadline, action.deadline) if d), default=None)
            by_key[action.key] = dataclasses.replace(kept, why=f"{kept.why} {action.why}", deadline=deadline)
    return list(by_key.values())


def _sort_key(ctx: PlanContext, action: Action) -> tuple[int, date, int]:
    if action.awareness and _is_awareness_stage(ctx):
        return (0, date.min, action.order)
    if action.deadline is not None:
        return (1, action.deadline, action.order)
    return (2, date.min, action.order)


def build_plan(ctx: PlanContext) -> list[Action]:
    """The plan's actions: deduplicated, awareness first at level 1-2, then by deadline, then in rule order."""
    actions: list[Action] = []
    for order, each_rule in enumerate(RULES):
        result = each_rule(ctx)
        for action in [result] if isinstance(result, Action) else result or []:
            actions.append(dataclasses.replace(action, order=order))
    return sorted(_dedupe(actions), key=lambda action: _sort_key(ctx, action))
