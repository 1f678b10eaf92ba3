from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from apps.core.dates import add_years
from apps.core.roles import Role
from apps.registry.deadlines import TRADEMARK_RENEWAL_YEARS
from apps.registry.models import IpAsset, Msme, MsmeMember
from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant
from tests.factories import IpAssetFactory, MsmeFactory, MsmeMemberFactory, TenantFactory, user_with_role


def renewal_due_on(due: date) -> dict:
    """A registered trademark's dates that put its next renewal on `due`."""
    granted = add_years(due, -TRADEMARK_RENEWAL_YEARS)
    return {
        "asset_type": IpAsset.Type.TRADEMARK,
        "status": IpAsset.Status.REGISTERED,
        "filing_date": granted - timedelta(days=100),
        "grant_date": granted,
    }


@dataclass
class World:
    tenant: Tenant
    msme: Msme
    members: list[MsmeMember]

    def asset(self, due: date, **fields) -> IpAsset:
        return IpAssetFactory(
            msme=self.msme, title=fields.pop("title", "Sunrise Coffee mark"), **renewal_due_on(due), **fields
        )


def make_world(**msme_fields) -> World:
    tenant = TenantFactory(slug="rem", name="Reminder Agency", country="KE", languages=["en"])
    users = [user_with_role(Role.MSME_MEMBER, tenant, email=f"member{n}@rem.example.org") for n in (1, 2)]
    with tenant_context(tenant):
        msme = MsmeFactory(name="Sunrise Coffee Ltd", email="office@sunrise.example.org", **msme_fields)
        members = [MsmeMemberFactory(msme=msme, user=user) for user in users]
    return World(tenant=tenant, msme=msme, members=members)


@pytest.fixture
def world(db, in_tenant):
    made = make_world()
    in_tenant(made.tenant)
    return made
