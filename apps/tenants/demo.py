"""Demo tenants and accounts: the foundation's part of `seed_demo`. Later apps add theirs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from apps.accounts.models import User
from apps.core.roles import Division, Role
from apps.tenants.models import Membership, Tenant


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
DEMO_ROLES = {
    "agency": Role.AGENCY_STAFF,
    "agent": Role.HELPDESK_AGENT,
    "msme": Role.MSME_MEMBER,
}
DEMO_DIVISIONS = (
    Division.PCT,
    Division.MADRID,
    Division.HAGUE,
    Division.AMC,
    Division.RBAP,
    Division.RBAC,
)


def _user(email: str, password: str, **fields: object) -> User:
    from allauth.account.models import EmailAddress

    user, created = User.objects.get_or_create(email=email, defaults=fields)
    if not created:
        for name, value in fields.items():
            setattr(user, name, value)
    user.set_password(password)
    user.save()
    # Demo accounts can sign in at once: their addresses count as verified.
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


@transaction.atomic
def seed_tenants_and_accounts(*, password: str) -> list[tuple[str, str]]:
    """Idempotently make the demo tenants and one account per role; returns (e-mail, role) rows."""
    accounts: list[tuple[str, str]] = []
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
        for prefix, role in DEMO_ROLES.items():
            email = f"{prefix}@{demo.slug}.demo"
            user = _user(email, password, full_name=f"{role.label} ({demo.slug.upper()})")
            Membership.objects.update_or_create(tenant=tenant, user=user, defaults={"role": role})
            accounts.append((email, f"{role.label}, {tenant.name}"))
    for division in DEMO_DIVISIONS:
        email = f"analyst-{division.value}@wipo.demo"
        _user(
            email,
            password,
            full_name=f"Analyst, {division.label}",
            division=division.value,
            division_role=User.DivisionRole.ANALYST,
        )
        accounts.append((email, f"Division analyst, {division.label}"))
    _user("admin@wipo.demo", password, full_name="Platform admin", is_staff=True, is_superuser=True)
    accounts.append(("admin@wipo.demo", "Platform admin"))
    return accounts
