"""Size class of an MSME from its staff and turnover, by its tenant's thresholds.

The default thresholds are EU Recommendation 2003/361 (Annex, Article 2): micro < 10 staff and
<= EUR 2 M; small < 50 and <= EUR 10 M; medium < 250 and <= EUR 50 M. The Recommendation also
allows a balance-sheet ceiling instead of turnover; the registry does not hold balance sheets,
so turnover alone is used, and staff alone when turnover is unknown.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from apps.tenants.models import Tenant


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


def size_class_for(*, employees: int, turnover_eur: Decimal | None, tenant: Tenant) -> SizeClass:
    def fits(max_employees: int, max_turnover: Decimal) -> bool:
        return employees < max_employees and (turnover_eur is None or turnover_eur <= max_turnover)

    if fits(tenant.micro_max_employees, tenant.micro_max_turnover_eur):
        return SizeClass.MICRO
    if fits(tenant.small_max_employees, tenant.small_max_turnover_eur):
        return SizeClass.SMALL
    if fits(tenant.medium_max_employees, tenant.medium_max_turnover_eur):
        return SizeClass.MEDIUM
    return SizeClass.LARGE


def size_class_sql(employees: str, turnover: str, tenant: Tenant) -> tuple[str, dict[str, object]]:
    """size_class_for() as an SQL expression over two columns, with its parameters (set-based imports)."""
    params: dict[str, object] = {}
    cases = []
    for size in (SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM):
        params[f"{size}_employees"] = getattr(tenant, f"{size}_max_employees")
        params[f"{size}_turnover"] = getattr(tenant, f"{size}_max_turnover_eur")
        cases.append(
            f"WHEN {employees} < %({size}_employees)s"
            f" AND ({turnover} IS NULL OR {turnover} <= %({size}_turnover)s) THEN '{size}'"
        )
    return f"CASE {' '.join(cases)} ELSE '{SizeClass.LARGE}' END", params
