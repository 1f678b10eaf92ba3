"""Demo MSMEs with IP assets for each demo tenant: real-looking, deterministic, fast to make in bulk.

Each MSME is drawn from its country's words (apps.registry.demo_words): a trade gives its sector (the trade's ISIC
Rev.4 class) and a template of its name, filled with a brand word, a place (the business is then in its region), an
owner or a family name, so that the name says what the sector is. Most are micro businesses, some small, a few
medium, hardly any large. The IP maturity level follows the trade and the size, and the IP assets follow the level:
at 1-2 none, or a mark or a work in use but not registered; at 3 a registered or pending mark; at 4-5 several
registered rights (designs for makers, copyright for software and creative work, utility models and patents only in
trades where inventions are plausible), with trade secrets for recipes and formulas. Their titles come from the name.

Each MSME draws from its own seeded generator (its tenant and number), so a run with more MSMEs makes the same first
ones, and a second run, finding their registration numbers, makes none.
"""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.demo import DemoRun
from apps.registry import rules
from apps.registry.demo_words import (
    ASSET_WORDS,
    COSMETICS,
    CREATIVE,
    EATERY,
    FARM,
    FOOD,
    INDUSTRY,
    MAKER,
    TECH,
    TRADES,
    AssetWords,
    Country,
    Flagship,
    Holder,
    Trade,
    Word,
    country_words,
)
from apps.registry.models import IpAsset, IsicCode, Msme, MsmeMember
from apps.registry.sizing import size_class_for
from apps.tenants.context import tenant_context
from apps.tenants.demo import demo_tenants
from apps.tenants.models import Tenant
from apps.tenants.rls import autocommit_scope

BATCH = 5000
# Draws of a name before a number is added to make it unique (a country's words make a few thousand names each).
NAME_TRIES = 8
# Shares of the MSMEs by staff: 250 or more, 50-249 (in trades that grow that big); 10-49; the rest 1-9.
LARGE, MEDIUM, SMALL = 0.005, 0.035, 0.16
MICRO_WEIGHTS = (20, 17, 14, 11, 9, 8, 6, 5, 4)  # 1 to 9 staff
GROWING = frozenset({MAKER, FOOD, COSMETICS, TECH, FARM, INDUSTRY})
# The maturity levels' weights by profile (the level then rises with size).
LEVEL_WEIGHTS = {
    TECH: (12, 22, 30, 22, 14),
    MAKER: (22, 28, 26, 16, 8),
    COSMETICS: (20, 28, 28, 16, 8),
    FOOD: (26, 30, 24, 13, 7),
    CREATIVE: (22, 28, 28, 14, 8),
}
OTHER_LEVEL_WEIGHTS = (36, 32, 19, 9, 4)
NOT_ASSESSED = 0.12  # MSMEs whose level the agency has not assessed (their assets still follow their real one)
DESIGN_PROFILES = frozenset({MAKER, FOOD, COSMETICS})
WORK_PROFILES = frozenset({TECH, CREATIVE})
SECRET_PROFILES = frozenset({FOOD, EATERY, COSMETICS})
# Days from filing to grant or registration, by kind of right.
GRANT_DAYS = {
    IpAsset.Type.TRADEMARK: (150, 420),
    IpAsset.Type.INDUSTRIAL_DESIGN: (90, 360),
    IpAsset.Type.UTILITY_MODEL: (200, 700),
    IpAsset.Type.PATENT: (900, 1600),
    IpAsset.Type.COPYRIGHT: (20, 90),
}
# How long ago a pending application was filed, at most.
PENDING_DAYS = {
    IpAsset.Type.TRADEMARK: 300,
    IpAsset.Type.INDUSTRIAL_DESIGN: 250,
    IpAsset.Type.UTILITY_MODEL: 500,
    IpAsset.Type.PATENT: 1000,
    IpAsset.Type.COPYRIGHT: 60,
}
# A word mark that a logo mark and a Madrid registration follow was filed at least this many days ago.
SETTLED_DAYS = 900
# Application numbers: the office's letters for each kind of right, and the IPOPHL's leading digit.
KIND_CODES = {
    IpAsset.Type.TRADEMARK: ("T", 4),
    IpAsset.Type.INDUSTRIAL_DESIGN: ("ID", 3),
    IpAsset.Type.UTILITY_MODEL: ("UM", 2),
    IpAsset.Type.PATENT: ("P", 1),
    IpAsset.Type.COPYRIGHT: ("C", 0),
}
# A holder pattern's slot -> the country's words that fill it.
SLOTS = {"brand": "brands", "place": "places", "woman": "women", "man": "men", "surname": "surnames"}


@dataclass(frozen=True)
class Business:
    """What a demo MSME's name says: its trade, its name, that name's holder (its marks' word) and Latin spelling
    (its e-mail and domain name), and the region of the place it is named after ("" if none)."""

    trade: str
    name: str
    mark: str
    latin: str
    region: str


def _pair(word: Word) -> tuple[str, str | None]:
    return (word, None) if isinstance(word, str) else word


def latin_spelling(text: str) -> str:
    """Text as an e-mail's or a domain's label: "Aling Nena's Kakanin" -> "aling-nenas-kakanin"."""
    text = text.replace("&", " and ").replace("'", "")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@cache
def _trade_choices(country: Country) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The country's trades and their cumulative weights."""
    names = tuple(country.trades)
    return names, tuple(itertools.accumulate(TRADES[name].weight for name in names))


def _holders(country: Country, trade: Trade, template: str) -> tuple[list[Holder], list[int]]:
    first = template.startswith("{}")
    fit = [h for h in country.holders if (trade.personal or not h.personal) and (first or not h.first_only)]
    return fit, [h.weight for h in fit]


def _fill(rng: random.Random, country: Country, holder: Holder) -> tuple[str, str | None, str]:
    """A holder drawn by its pattern: (text, Latin spelling or None, region of its place or "")."""
    pattern, latin_pattern = _pair(holder.pattern)
    slot = next(name for name in SLOTS if "{" + name + "}" in pattern)
    region = ""
    if slot == "place":
        word, region = rng.choice(country.places)
    else:
        word = rng.choice(getattr(country, SLOTS[slot]))
    text, latin = _pair(word)
    return (
        pattern.format(**{slot: text}),
        latin_pattern.format(**{slot: latin}) if latin_pattern and latin else None,
        region,
    )


def _business_from(trade: str, template: Word, holder: str, holder_latin: str | None, region: str) -> Business:
    text, latin_template = _pair(template)
    name = text.format(holder)
    latin = latin_template.format(holder_latin) if latin_template and holder_latin else latin_spelling(name)
    return Business(trade=trade, name=name, mark=holder, latin=latin, region=region)


def _draw_business(rng: random.Random, country: Country) -> Business:
    names, weights = _trade_choices(country)
    trade = rng.choices(names, cum_weights=weights)[0]
    template = rng.choice(country.trades[trade])
    fit, fit_weights = _holders(country, TRADES[trade], _pair(template)[0])
    holder, holder_latin, region = _fill(rng, country, rng.choices(fit, fit_weights)[0])
    return _business_from(trade, template, holder, holder_latin, region)


def _flagship_business(flagship: Flagship) -> Business:
    holder, holder_latin = _pair(flagship.holder)
    return _business_from(flagship.trade, flagship.template, holder, holder_latin, flagship.region)


def _business(rng: random.Random, country: Country, index: int, names: set[str]) -> Business:
    """The MSME's business, its name not yet taken by an earlier one (a number is added when the words run out)."""
    if index == 0 and country.flagship is not None:
        business = _flagship_business(country.flagship)
    else:
        for _ in range(NAME_TRIES):
            business = _draw_business(rng, country)
            if business.name not in names:
                break
        else:
            number = str(index).translate(str.maketrans("0123456789", country.digits))
            business = Business(
                trade=business.trade,
                name=f"{business.name} {number}",
                mark=business.mark,
                latin=f"{business.latin}-{index}",
                region=business.region,
            )
    names.add(business.name)
    return business


def _employees(rng: random.Random, trade: Trade) -> int:
    draw = rng.random()
    if trade.profile in GROWING and draw < LARGE:
        return rng.randint(250, 900)
    if trade.profile in GROWING and draw < LARGE + MEDIUM:
        return rng.randint(50, 249)
    if draw < LARGE + MEDIUM + SMALL:
        return rng.randint(10, 49)
    return rng.choices(range(1, 10), MICRO_WEIGHTS)[0]


def _level(rng: random.Random, trade: Trade, employees: int) -> int:
    level = rng.choices(range(1, 6), LEVEL_WEIGHTS.get(trade.profile, OTHER_LEVEL_WEIGHTS))[0]
    if employees >= 10 and rng.random() < 0.35:
        level += 1
    if employees >= 50 and rng.random() < 0.5:
        level += 1
    if employees <= 2 and level >= 4 and rng.random() < 0.4:
        level -= 1  # a one- or two-person business seldom manages a portfolio
    return min(level, 5)


@dataclass(frozen=True)
class Seeding:
    """What every demo MSME of one tenant is made with, read once."""

    tenant: Tenant
    country: Country
    regions: list[str]  # the country's regions
    hubs: list[str]  # the regions of its places: where most businesses are
    sections: dict[str, str]  # ISIC class -> its section
    now: datetime
    today: date

    @classmethod
    def of(cls, tenant: Tenant) -> Seeding:
        country = country_words(tenant.country)
        regions = [code for code, _name in rules.subdivisions(tenant.country)]
        classes = {trade.isic for trade in TRADES.values()}
        return cls(
            tenant=tenant,
            country=country,
            regions=regions,
            hubs=[region for _place, region in country.places if region in regions],
            sections=dict(IsicCode.objects.filter(code__in=classes).values_list("code", "section")),
            now=timezone.now(),
            today=timezone.localdate(),
        )


def _msme(rng: random.Random, seeding: Seeding, number: str, business: Business, *, flagship: bool) -> tuple[Msme, int]:
    """The MSME and its IP maturity level (the one its assets follow, also when its stored level is blank)."""
    tenant, regions, hubs, now, today = seeding.tenant, seeding.regions, seeding.hubs, seeding.now, seeding.today
    trade = TRADES[business.trade]
    employees = rng.randint(6, 14) if flagship else _employees(rng, trade)
    level = 4 if flagship else _level(rng, trade, employees)
    per_head = rng.randint(12, 60) if trade.profile == TECH else rng.randint(3, 30)
    turnover = Decimal(employees * per_head * 1000 + rng.randint(0, 9_000))
    age = min(45, (0, 0, 2, 4, 6)[level - 1] + int(rng.expovariate(1 / 8)))
    consent = rng.random() < 0.7
    languages = tenant.languages or ["en"]
    shown = None if not flagship and rng.random() < NOT_ASSESSED else level
    region = business.region
    if not region and regions:
        region = rng.choice(hubs) if hubs and rng.random() < 0.6 else rng.choice(regions)
    msme = Msme(
        id=uuid.uuid4(),
        tenant=tenant,
        name=business.name,
        registration_number=number,
        sector_isic_id=trade.isic,
        sector_section=seeding.sections[trade.isic],
        employees=employees,
        annual_turnover_eur=turnover,
        region=region,
        founded_year=today.year - age,
        email=f"{business.latin[:60]}@example.org",
        preferred_language=rng.choices(languages, [2] + [1] * (len(languages) - 1))[0],
        preferred_channel=rng.choice(tenant.outreach_channels or ["email"]),
        is_university_spinoff=(trade.profile == TECH or trade.inventive) and rng.random() < 0.08,
        is_informal=employees <= 5 and level <= 2 and rng.random() < 0.3,
        exports=rng.random() < ((0.2 + (0.3 if level >= 4 else 0)) if trade.profile in GROWING else 0.03),
        consent_outreach=consent,
        consent_given_at=now if consent else None,
        consent_source=Msme.ConsentSource.AGENCY if consent else "",
        verification=Msme.Verification.PENDING if rng.random() < 0.08 else Msme.Verification.VERIFIED,
        size_class=size_class_for(employees=employees, turnover_eur=turnover, tenant=tenant),
        maturity_level=shown,
        maturity_assessed_at=today - timedelta(days=rng.randint(0, 700)) if shown else None,
    )
    return msme, level


class _Register:
    """The IP assets of one demo MSME, their titles in its country's language, their dates after its founding."""

    def __init__(self, rng: random.Random, msme: Msme, business: Business, seeding: Seeding) -> None:
        self.rng, self.msme, self.business, self.country = rng, msme, business, seeding.country
        self.trade = TRADES[business.trade]
        self.language = ASSET_WORDS[self.country.language]
        self.code = seeding.tenant.country or "KE"
        self.today = seeding.today
        founded = date(msme.founded_year or self.today.year, 1, 1)
        self.start = max(founded, self.today - timedelta(days=365 * 15))
        self.word_mark: date | None = None  # the filing of its national word mark: its logo and Madrid follow it
        self.assets: list[IpAsset] = []

    # Words ----------------------------------------------------------------------------------------------------------

    def _words(self, kind: str) -> tuple[str, ...]:
        """The trade's own words first, then its profile's (a second design of a trade with one is its profile's)."""
        own = getattr(self.language.trades.get(self.business.trade, AssetWords()), kind)
        profile = getattr(self.language.profiles[self.trade.profile], kind)
        return own + tuple(words for words in profile if words not in own)

    def _title(self, kind: str, index: int | None = None) -> str:
        words = self._words(kind)
        template = words[index % len(words)] if index is not None else self.rng.choice(words)
        return template.format(mark=self.business.mark)

    # Dates and numbers ----------------------------------------------------------------------------------------------

    def _day(self, earliest: date, latest: date) -> date:
        if earliest > latest:
            earliest = latest - timedelta(days=30)
        return earliest + timedelta(days=self.rng.randint(0, (latest - earliest).days))

    def _number(self, kind: str, filed: date) -> str:
        letters, digit = KIND_CODES[kind]
        if self.code == "PH" and digit:
            return f"{digit}-{filed.year}-{self.rng.randint(1, 30_000):06d}"
        return f"{self.code}/{letters}/{filed.year}/{self.rng.randint(100, 99_999):05d}"

    def _add(self, kind: str, status: str, title: str, **values: object) -> None:
        self.assets.append(
            IpAsset(
                id=uuid.uuid4(),
                tenant=self.msme.tenant,
                msme=self.msme,
                asset_type=kind,
                status=status,
                title=title,
                jurisdiction=values.pop("jurisdiction", self.code),
                **values,
            )
        )

    def right(
        self,
        kind: str,
        status: str,
        title: str,
        *,
        classes: str = "",
        after: date | None = None,
        until: date | None = None,
    ) -> date:
        """A right filed at the office (after `after`, by `until`, where given): registered (with its grant) or
        pending; returns its filing date."""
        start = max(self.start, after + timedelta(days=1)) if after else self.start
        if status == IpAsset.Status.REGISTERED:
            low, high = GRANT_DAYS[kind]
            wait = self.rng.randint(low, high)
            filed = self._day(start, min(until or self.today, self.today - timedelta(days=wait + 1)))
            granted: date | None = filed + timedelta(days=wait)
        else:
            filed = self._day(max(start, self.today - timedelta(days=PENDING_DAYS[kind])), self.today)
            granted = None
        registered = status == IpAsset.Status.REGISTERED and kind != IpAsset.Type.COPYRIGHT
        self._add(
            kind,
            status,
            title,
            application_number=self._number(kind, filed),
            registration_number=str(self.rng.randint(10_000, 199_999)) if registered else "",
            filing_date=filed,
            priority_date=filed if kind == IpAsset.Type.PATENT else None,
            grant_date=granted,
            classes=classes,
        )
        return filed

    # What the MSME holds ------------------------------------------------------------------------------------------

    def mark(self, status: str, *, logo: bool = False, settled: bool = False) -> None:
        """The business's name as a mark: its word mark (`settled`: filed long enough ago for a logo mark and an
        international registration to follow it), or its logo."""
        name = self.business.name
        title = self.language.logo.format(name=name) if logo else name
        if status == IpAsset.Status.IN_USE:
            self._add(IpAsset.Type.TRADEMARK, status, title, classes=self.trade.nice)
        elif logo:
            self.right(IpAsset.Type.TRADEMARK, status, title, classes=self.trade.nice, after=self.word_mark)
        else:
            until = self.today - timedelta(days=SETTLED_DAYS) if settled else None
            self.word_mark = self.right(IpAsset.Type.TRADEMARK, status, title, classes=self.trade.nice, until=until)

    def work(self, status: str, index: int | None = None) -> None:
        title = self._title("works", index)
        if status == IpAsset.Status.IN_USE:
            self._add(IpAsset.Type.COPYRIGHT, status, title)
        else:
            self.right(IpAsset.Type.COPYRIGHT, status, title)

    def design(self, status: str, index: int | None = None) -> None:
        self.right(IpAsset.Type.INDUSTRIAL_DESIGN, status, self._title("designs", index))

    def invention(self, kind: str, status: str, index: int = 0) -> None:
        self.right(kind, status, self._words("inventions")[index % len(self._words("inventions"))])

    def pct(self) -> None:
        """An international application claiming a national filing of the last year."""
        filed = self._day(max(self.start, self.today - timedelta(days=540)), self.today - timedelta(days=60))
        self._add(
            IpAsset.Type.PATENT,
            IpAsset.Status.PENDING,
            self._words("inventions")[-1],
            jurisdiction="PCT",
            application_number=f"PCT/{self.code}{filed.year}/{self.rng.randint(50_000, 59_999):06d}",
            filing_date=filed,
            priority_date=filed - timedelta(days=self.rng.randint(200, 365)),
        )

    def madrid(self) -> None:
        """An international registration based on the national word mark."""
        basic = self.word_mark or self.start
        filed = self._day(basic + timedelta(days=1), self.today - timedelta(days=400))
        self._add(
            IpAsset.Type.TRADEMARK,
            IpAsset.Status.REGISTERED,
            self.business.name,
            jurisdiction="MADRID",
            application_number=str(self.rng.randint(1_300_000, 1_800_000)),
            registration_number=str(self.rng.randint(1_300_000, 1_800_000)),
            filing_date=filed,
            grant_date=filed + timedelta(days=self.rng.randint(150, 380)),
            classes=self.trade.nice,
        )

    def secret(self) -> None:
        small = (self.msme.employees or 0) < 10
        self._add(
            IpAsset.Type.TRADE_SECRET,
            IpAsset.Status.IN_USE,
            self._title("secrets"),
            custodian=self.language.owner if small else self.language.manager,
            storage_location=self.language.cabinet if small else self.language.safe,
        )

    def domain(self) -> None:
        label = self.business.latin[:63].strip("-")
        self._add(
            IpAsset.Type.DOMAIN_NAME,
            IpAsset.Status.REGISTERED,
            f"{label}.{self.country.tld}",
            filing_date=self._day(self.start, self.today - timedelta(days=30)),
        )


def _assets(
    rng: random.Random, seeding: Seeding, msme: Msme, business: Business, level: int, *, flagship: bool
) -> list[IpAsset]:
    """What an MSME of this level and trade holds."""
    register = _Register(rng, msme, business, seeding)
    trade = register.trade
    registered, pending, in_use = IpAsset.Status.REGISTERED, IpAsset.Status.PENDING, IpAsset.Status.IN_USE
    if level <= 2:
        # Nothing filed: at most a mark or a work in use.
        if rng.random() < (0.45 if level == 1 else 0.7):
            register.mark(in_use)
        if rng.random() < (0.15 if level == 1 else 0.35):
            register.work(in_use)
        return register.assets
    if level >= 4:
        register.mark(registered, settled=True)
    else:
        register.mark(registered if rng.random() < 0.6 else pending)
    if trade.profile in SECRET_PROFILES and rng.random() < (0.5 if level == 3 else 0.85):
        register.secret()
    if rng.random() < (0.25, 0.5, 0.8)[level - 3]:
        register.domain()
    if level == 3:
        if trade.profile in WORK_PROFILES and rng.random() < 0.6:
            register.work(in_use)
        elif trade.profile in DESIGN_PROFILES and rng.random() < 0.3:
            register.design(pending)
        return register.assets
    # Level 4-5: a second registered right of the trade's kind, and an invention where inventions are plausible.
    if trade.profile in DESIGN_PROFILES:
        register.design(registered, 0)
    elif trade.profile in WORK_PROFILES:
        register.work(registered, 0)
    else:
        register.mark(registered, logo=True)
    if trade.inventive and (trade.profile != COSMETICS or level == 5):
        register.invention(IpAsset.Type.UTILITY_MODEL, registered if flagship or rng.random() < 0.7 else pending)
    if level == 5:
        if trade.profile in DESIGN_PROFILES:
            register.design(registered, 1)
        elif trade.profile in WORK_PROFILES:
            register.work(registered, 1)
        if trade.profile in DESIGN_PROFILES | WORK_PROFILES:
            register.mark(registered, logo=True)
        if trade.inventive and trade.profile != COSMETICS:
            register.invention(IpAsset.Type.PATENT, registered, 1)
            if msme.exports:
                register.pct()
        if msme.exports and trade.profile in GROWING:
            register.madrid()
    return register.assets


def _obeying_rules(obj: Msme | IpAsset) -> Msme | IpAsset:
    """The registry's rules hold for demo data too, written in bulk past the services (a few µs a row)."""
    if isinstance(obj, Msme):
        values = {name: getattr(obj, name) for name in rules.MSME_FIELDS}
        errors = rules.msme_errors(values, country=obj.tenant.country)
    else:
        errors = rules.asset_errors({name: getattr(obj, name) for name in rules.ASSET_FIELDS})
    if errors:
        raise ValueError(f"Demo data breaks the registry's rules: {errors}")
    return obj


def seed_msmes(*, tenant: Tenant, count: int, member_email: str | None = None) -> int:
    """Make up to `count` demo MSMEs in `tenant` (idempotent by registration number); returns how many were made."""
    seeding = Seeding.of(tenant)
    country = seeding.country
    names: set[str] = set()
    made = 0
    with tenant_context(tenant), autocommit_scope("demo data: each batch commits on its own"):
        existing = set(
            Msme.objects.filter(registration_number__startswith="DEMO-").values_list("registration_number", flat=True)
        )
        for start in range(0, count, BATCH):
            msmes, assets = [], []
            for i in range(start, min(count, start + BATCH)):
                number = f"DEMO-{tenant.slug.upper()}-{i:06d}"
                rng = random.Random(f"demo-{tenant.slug}-{i}")  # noqa: S311 (demo data, not secrets)
                business = _business(rng, country, i, names)  # every name, to keep the later ones unique
                if number in existing:
                    continue
                flagship = i == 0 and country.flagship is not None
                msme, level = _msme(rng, seeding, number, business, flagship=flagship)
                msmes.append(_obeying_rules(msme))
                assets.extend(
                    _obeying_rules(a) for a in _assets(rng, seeding, msme, business, level, flagship=flagship)
                )
            with transaction.atomic():
                Msme.objects.bulk_create(msmes, batch_size=1000)
                IpAsset.objects.bulk_create(assets, batch_size=1000)
            made += len(msmes)
        if member_email:
            _link_member(tenant, member_email)
    return made


def _link_member(tenant: Tenant, email: str) -> None:
    user = User.objects.filter(email=email).first()
    if user is None or MsmeMember.objects.filter(user=user).exists():
        return
    msme = Msme.objects.order_by("registration_number").first()
    if msme is not None:
        MsmeMember.objects.create(msme=msme, user=user)


def seed_demo(run: DemoRun) -> None:
    """The demo MSMEs of each demo tenant; its MSME member account is linked to the first one."""
    for tenant in demo_tenants():
        made = seed_msmes(tenant=tenant, count=run.msmes, member_email=f"msme@{tenant.slug}.demo")
        run.say(f"{tenant.name}: {made} new demo MSMEs")
