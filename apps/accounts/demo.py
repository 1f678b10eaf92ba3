"""Demo accounts: one per role in each demo tenant, the division analysts and a platform admin (a step of
`seed_demo`, after the tenants')."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from apps.accounts.models import User
from apps.core.demo import DemoRun
from apps.core.roles import Division, Role
from apps.tenants.demo import demo_tenants
from apps.tenants.models import Membership

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


def demo_user(email: str, password: str, **fields: object) -> User:
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
def seed_accounts(*, password: str) -> list[tuple[str, str]]:
    """Idempotently make one account per role in each demo tenant; returns (e-mail, role) rows."""
    accounts: list[tuple[str, str]] = []
    for tenant in demo_tenants():
        for prefix, role in DEMO_ROLES.items():
            email = f"{prefix}@{tenant.slug}.demo"
            user = demo_user(email, password, full_name=f"{role.label} ({tenant.slug.upper()})")
            Membership.objects.update_or_create(tenant=tenant, user=user, defaults={"role": role})
            accounts.append((email, f"{role.label}, {tenant.name}"))
    for division in DEMO_DIVISIONS:
        email = f"analyst-{division.value}@wipo.demo"
        demo_user(
            email,
            password,
            full_name=f"Analyst, {division.label}",
            division=division.value,
            division_role=User.DivisionRole.ANALYST,
        )
        accounts.append((email, f"Division analyst, {division.label}"))
    demo_user("admin@wipo.demo", password, full_name="Platform admin", is_staff=True, is_superuser=True)
    accounts.append(("admin@wipo.demo", "Platform admin"))
    return accounts


def seed_demo(run: DemoRun) -> None:
    run.accounts.extend(seed_accounts(password=run.password))
