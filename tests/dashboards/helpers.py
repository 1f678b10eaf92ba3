"""What the statistics' tests share: a rollup run in a tenant, a division analyst, a CSV download's rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.db import transaction

from apps.accounts.models import User
from apps.core.roles import Division
from apps.dashboards import rollups
from apps.tenants.context import tenant_context
from tests.factories import UserFactory


def run(tenant, counting: Callable) -> rollups.RollupResult:
    """One rollup (`rollups.rebuild` or `rollups.refresh`) of `tenant`, in its context and transaction."""
    with tenant_context(tenant), transaction.atomic():
        return counting(tenant)


def count(tenant) -> None:
    run(tenant, rollups.rebuild)


def analyst(division: Division) -> User:
    return UserFactory(division=division, division_role=User.DivisionRole.ANALYST)


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))
