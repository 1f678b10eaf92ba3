"""Registry reads."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from apps.core import policies
from apps.registry.deadlines import Deadline, deadlines_for_assets
from apps.registry.filters import MsmeFilterSet
from apps.registry.models import IpAsset, Msme, MsmeMember
from apps.tenants.scope import Actor


def msme_list(*, filters: dict[str, Any] | None = None) -> tuple[MsmeFilterSet, QuerySet[Msme]]:
    """The active tenant's MSMEs, filtered; the FilterSet is returned for its form and errors.

    Invalid filters select nothing: django-filter would drop them and so return every MSME.
    """
    queryset = Msme.objects.select_related("sector_isic").order_by("name", "id")
    filterset = MsmeFilterSet(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return filterset, queryset.none()
    return filterset, filterset.qs


def msmes_visible(actor: Actor, *, rule: str = "registry.view_msme") -> QuerySet[Msme]:
    """The MSMEs of the active tenant that the rule (`registry.view_msme` unless named) gives the actor."""
    queryset = Msme.objects.select_related("sector_isic").order_by("name", "id")
    return policies.rows(actor, rule, queryset)


def msme_for_user(*, user: Any) -> Msme | None:
    """The MSME an MSME member acts for, in the active tenant."""
    link = MsmeMember.objects.select_related("msme__sector_isic").filter(user=user).first()
    return link.msme if link else None


def msme_assets(*, msme: Msme) -> QuerySet[IpAsset]:
    return IpAsset.objects.filter(msme=msme).order_by("asset_type", "title")


def msme_deadlines(*, msme: Msme, today: date) -> list[Deadline]:
    return deadlines_for_assets(msme_assets(msme=msme), today=today)
