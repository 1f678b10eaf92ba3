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
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from apps.tenants.models import Tenant


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


def bands(tenant: Tenant) -> list[tuple[SizeClass, int, Decimal]]:
    """The tenant's thresholds, smallest class first: (class, fewer employees than, turnover up to).

    The one place they are read: size_class_for(), size_class_sql() and size_class_expression() are built
    from it, so that a page, an import by either path and a recompute after a threshold change agree.
    """
    return [
        (size, getattr(tenant, f"{size}_max_employees"), getattr(tenant, f"{size}_max_turnover_eur"))
        for size in (SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM)
    ]


def size_class_for(*, employees: int, turnover_eur: Decimal | None, tenant: Tenant) -> SizeClass:
    for size, max_employees, max_turnover in bands(tenant):
        if employees < max_employees and (turnover_eur is None or turnover_eur <= max_turnover):
            return size
    return SizeClass.LARGE


def size_class_sql(employees: str, turnover: str, tenant: Tenant) -> tuple[str, dict[str, object]]:
    """size_class_for() as an SQL expression over two columns, with its parameters (set-based imports)."""
    params: dict[str, object] = {}
    cases = []
    for size, max_employees, max_turnover in bands(tenant):
        params[f"{size}_employees"] = max_employees
        params[f"{size}_turnover"] = max_turnover
        cases.append(
            f"WHEN {employees} < %({size}_employees)s"
            f" AND ({turnover} IS NULL OR {turnover} <= %({size}_turnover)s) THEN '{size}'"
        )
    return f"CASE {' '.join(cases)} ELSE '{SizeClass.LARGE}' END", params


def size_class_expression(tenant: Tenant, employees: str = "employees", turnover: str = "annual_turnover_eur") -> Case:
    """size_class_for() as an ORM expression over two fields (a recompute in one UPDATE)."""
    whens = [
        When(
            Q(**{f"{employees}__lt": max_employees})
            & (Q(**{f"{turnover}__isnull": True}) | Q(**{f"{turnover}__lte": max_turnover})),
            then=Value(size.value),
        )
        for size, max_employees, max_turnover in bands(tenant)
    ]
    return Case(*whens, default=Value(SizeClass.LARGE.value), output_field=models.CharField())
