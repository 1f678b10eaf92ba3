"""Demo MSMEs with IP assets for each demo tenant: varied, deterministic, fast to make in bulk."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.demo import DemoRun
from apps.registry import rules
from apps.registry.models import IpAsset, IsicCode, Msme, MsmeMember
from apps.registry.sizing import size_class_for
from apps.tenants.context import tenant_context
from apps.tenants.demo import demo_tenants
from apps.tenants.models import Tenant
from apps.tenants.rls import autocommit_scope

WORDS_A = [
    "Savanna",
    "Lotus",
    "Nile",
    "Harambee",
    "Bayanihan",
    "Pyramid",
    "Coral",
    "Baobab",
    "Sunrise",
    "Jasmine",
    "Kilima",
    "Mabuhay",
    "Delta",
    "Oasis",
    "Acacia",
    "Tala",
    "Falcon",
    "Amani",
    "Mango",
    "Cedar",
]
WORDS_B = [
    "Crafts",
    "Foods",
    "Textiles",
    "Software",
    "Designs",
    "Organics",
    "Studios",
    "Labs",
    "Furniture",
    "Coffee",
    "Leather",
    "Cosmetics",
    "Solar",
    "Games",
    "Media",
    "Ceramics",
    "Tea",
    "Motors",
    "Pharma",
    "Print",
]
# ISIC Rev.4 classes typical of MSMEs, with a weight.
SECTORS = [
    "1079",
    "1410",
    "1512",
    "3100",
    "5812",
    "5820",
    "6201",
    "5911",
    "2023",
    "1050",
    "0111",
    "4711",
    "7410",
    "1392",
    "2393",
    "3211",
    "7220",
    "5610",
    "0150",
    "3510",
    "9000",
    "1701",
    # Fewer MSMEs in the other sections, so that every section of the statistics has some.
    "4330",
    "4923",
    "8620",
    "8549",
    "9602",
    "7911",
    "6619",
    "3811",
    "6820",
    "0810",
    "8130",
    "9700",
    "8411",
]
ASSET_TYPES = [
    IpAsset.Type.TRADEMARK,
    IpAsset.Type.TRADEMARK,
    IpAsset.Type.INDUSTRIAL_DESIGN,
    IpAsset.Type.PATENT,
    IpAsset.Type.UTILITY_MODEL,
    IpAsset.Type.COPYRIGHT,
    IpAsset.Type.TRADE_SECRET,
    IpAsset.Type.DOMAIN_NAME,
]
BATCH = 5000


def _msme(
    rng: random.Random, tenant: Tenant, number: str, regions: list[str], sections: dict[str, str], now: object
) -> Msme:
    employees = rng.choice([rng.randint(0, 9)] * 6 + [rng.randint(10, 49)] * 3 + [rng.randint(50, 260)])
    turnover = Decimal(rng.randint(5, 400) * employees * 1000 + rng.randint(0, 90_000))
    sector = rng.choice(SECTORS)
    consent = rng.random() < 0.7
    level = rng.choice([None, 1, 1, 2, 2, 2, 3, 3, 4, 5])
    return Msme(
        id=uuid.uuid4(),
        tenant=tenant,
        name=f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)} {number[-4:]}",
        registration_number=number,
        sector_isic_id=sector,
        sector_section=sections[sector],
        employees=employees,
        annual_turnover_eur=turnover,
        region=rng.choice(regions) if regions else "",
        founded_year=rng.randint(1985, timezone.localdate().year),
        email=f"contact{number[-6:].lower()}@example.org",
        preferred_language=rng.choice(tenant.languages or ["en"]),
        preferred_channel=rng.choice(tenant.outreach_channels or ["email"]),
        is_university_spinoff=rng.random() < 0.05,
        is_informal=rng.random() < 0.15,
        exports=rng.random() < 0.3,
        consent_outreach=consent,
        consent_given_at=now if consent else None,
        consent_source=Msme.ConsentSource.AGENCY if consent else "",
        verification=Msme.Verification.PENDING if rng.random() < 0.08 else Msme.Verification.VERIFIED,
        size_class=size_class_for(employees=employees, turnover_eur=turnover, tenant=tenant),
        maturity_level=level,
        maturity_assessed_at=timezone.localdate() - timedelta(days=rng.randint(0, 700)) if level else None,
    )


def _assets(rng: random.Random, msme: Msme) -> list[IpAsset]:
    assets = []
    today = timezone.localdate()
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        kind = rng.choice(ASSET_TYPES)
        filed = today - timedelta(days=rng.randint(30, 365 * 12))
        jurisdiction = msme.tenant.country
        if kind == IpAsset.Type.PATENT and rng.random() < 0.3:
            jurisdiction = "PCT"
            filed = today - timedelta(days=rng.randint(30, 800))
        secret = kind == IpAsset.Type.TRADE_SECRET
        assets.append(
            IpAsset(
                id=uuid.uuid4(),
                tenant=msme.tenant,
                msme=msme,
                asset_type=kind,
                jurisdiction=jurisdiction,
                title=f"{msme.name.split()[0]} {kind.label}" if not secret else "Production recipe",
                application_number="" if secret else f"{jurisdiction}/{filed.year}/{rng.randint(1000, 99999)}",
                filing_date=None if secret else filed,
                priority_date=filed if kind == IpAsset.Type.PATENT else None,
                grant_date=None if secret or rng.random() < 0.3 else filed + timedelta(days=rng.randint(90, 900)),
                status=IpAsset.Status.IN_USE
                if secret
                else rng.choice([IpAsset.Status.PENDING, IpAsset.Status.REGISTERED]),
                custodian="Managing director" if secret else "",
                storage_location="Locked safe, head office" if secret else "",
                classes=rng.choice(["25", "30", "9, 42", "35"]) if kind == IpAsset.Type.TRADEMARK else "",
            )
        )
    return assets


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
    rng = random.Random(f"demo-{tenant.slug}")  # noqa: S311 (demo data, not secrets)
    regions = [code for code, _name in rules.subdivisions(tenant.country)]
    sections = dict(IsicCode.objects.filter(code__in=SECTORS).values_list("code", "section"))
    now = timezone.now()
    made = 0
    with tenant_context(tenant), autocommit_scope("demo data: each batch commits on its own"):
        existing = set(
            Msme.objects.filter(registration_number__startswith="DEMO-").values_list("registration_number", flat=True)
        )
        for start in range(0, count, BATCH):
            msmes, assets = [], []
            for i in range(start, min(count, start + BATCH)):
                number = f"DEMO-{tenant.slug.upper()}-{i:06d}"
                msme = _msme(rng, tenant, number, regions, sections, now)
                if number in existing:
                    continue
                msmes.append(_obeying_rules(msme))
                assets.extend(_obeying_rules(asset) for asset in _assets(rng, msme))
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
