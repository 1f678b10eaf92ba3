"""Demo tenants: the first step of `seed_demo` (apps.core.demo); the accounts are apps.accounts.demo's."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from apps.core.demo import DemoRun
from apps.tenants.models import Tenant


@dataclass(frozen=True)
class DemoTenant:
    slug: str
    name: str
    country: str
    kind: str
    languages: tuple[str, ...]
    channels: tuple[str, ...]


DEMO_TENANTS = (
    DemoTenant(
        "ke",
        "Kenya Industrial Property Institute",
        "KE",
        Tenant.Kind.IP_OFFICE,
        ("en", "sw"),
        ("sms", "whatsapp", "email"),
    ),
    DemoTenant(
        "ph",
        "Intellectual Property Office of the Philippines",
        "PH",
        Tenant.Kind.IP_OFFICE,
        ("en", "tl"),
        ("email", "sms"),
    ),
    DemoTenant(
        "eg",
        "Egyptian MSME Development Agency",
        "EG",
        Tenant.Kind.SME_AGENCY,
        ("ar", "en"),
        ("whatsapp", "email", "post"),
    ),
)


@transaction.atomic
def seed_tenants() -> list[Tenant]:
    """Idempotently make (or refresh) the demo tenants."""
    tenants = []
    for demo in DEMO_TENANTS:
        tenant, _ = Tenant.objects.update_or_create(
            slug=demo.slug,
            defaults={
                "name": demo.name,
                "country": demo.country,
                "kind": demo.kind,
                "languages": list(demo.languages),
                "outreach_channels": list(demo.channels),
            },
        )
        tenants.append(tenant)
    return tenants


def demo_tenants() -> list[Tenant]:
    """The demo tenants, in DEMO_TENANTS order: what the later demo steps fill."""
    by_slug = {tenant.slug: tenant for tenant in Tenant.objects.filter(slug__in=[d.slug for d in DEMO_TENANTS])}
    return [by_slug[demo.slug] for demo in DEMO_TENANTS if demo.slug in by_slug]


def seed_demo(run: DemoRun) -> None:
    seed_tenants()
