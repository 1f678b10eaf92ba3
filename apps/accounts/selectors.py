"""Account reads that carry a rule: which saved filters a user sees."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

from apps.accounts.models import SavedFilter
from apps.core.cache import mark_stale, read_through
from apps.tenants import signed_in
from apps.tenants.cache import tenant_cache_key
from apps.tenants.context import unscoped

# Every list page that offers saved filters shows the box, and most users have none: without this entry each
# such page costs one more query (a tenth of the registry list's time) only to find that out.
SAVED_FILTERS_TIMEOUT_SECONDS = 3600


def saved_filters(*, user: Any, list_name: str | None = None) -> QuerySet[SavedFilter]:
    """The user's own saved filters in the active tenant (of one list when named), by name."""
    mine = SavedFilter.objects.filter(user_id=user.pk)
    return (mine if list_name is None else mine.filter(list_name=list_name)).order_by("name", "id")


@dataclass(frozen=True, slots=True)
class SavedFilterItem:
    """A saved filter as the list page's box shows it."""

    pk: Any
    tenant_id: Any
    list_name: str
    name: str
    query: str


# Part of the key: an entry pickled by code whose items had other fields is never read.
_ITEM_FIELDS = ",".join(field.name for field in fields(SavedFilterItem))


def _cache_key(user_id: object, tenant_id: object = None) -> str:
    return tenant_cache_key("saved-filters", _ITEM_FIELDS, user_id, tenant_id=tenant_id)


_ITEM_COLUMNS = ("pk", "tenant_id", "list_name", "name", "query")


def saved_filters_of_list(
    *, user: Any, list_name: str, request: HttpRequest | None = None
) -> tuple[SavedFilterItem, ...]:
    """`saved_filters(user=, list_name=)` as items. With the request of a user read from the signed-in entry
    (apps.tenants.signed_in), from that entry, which holds the user's saved filters in every agency: no cache
    read of its own. Else from the cache: one entry per user and tenant holds all their lists' saved filters,
    until one of them is saved or deleted (apps.core.cache.read_through)."""
    kept = signed_in.kept_with_user(request, SIGNED_IN_EXTRA) if request is not None else signed_in.NOT_KEPT
    if kept is not signed_in.NOT_KEPT:
        tenant_id = getattr(getattr(request, "tenant", None), "pk", None)
        return tuple(item for item in kept if item.tenant_id == tenant_id and item.list_name == list_name)

    def load() -> tuple[SavedFilterItem, ...]:
        rows = saved_filters(user=user).order_by("list_name", "name", "id")
        return tuple(SavedFilterItem(*row) for row in rows.values_list(*_ITEM_COLUMNS))

    every = read_through(_cache_key(user.pk), load, SAVED_FILTERS_TIMEOUT_SECONDS)
    return tuple(item for item in every if item.list_name == list_name)


SIGNED_IN_EXTRA = "saved_filters"


def _saved_filters_in_every_agency(user: Any) -> tuple[SavedFilterItem, ...]:
    """For the signed-in entry: the user's own saved filters in every agency they have any in (those of an
    agency they left are never shown: a page shows the active agency's only)."""
    with transaction.atomic(), unscoped("signed-in entry: the user's own saved filters, in each of their agencies"):
        rows = SavedFilter.objects.filter(user_id=user.pk).order_by("tenant_id", "list_name", "name", "id")
        return tuple(SavedFilterItem(*row) for row in rows.values_list(*_ITEM_COLUMNS))


def _saved_filter_changed(sender: Any, instance: SavedFilter, **kwargs: Any) -> None:
    mark_stale([_cache_key(instance.user_id, instance.tenant_id)])
    signed_in.forget_users([instance.user_id])


def connect_signals() -> None:
    """Keep the user's saved filters in their signed-in entry, and forget both entries whenever one of their
    saved filters is saved or deleted (a cascade included)."""
    signed_in.keep_with_user(SIGNED_IN_EXTRA, _saved_filters_in_every_agency, shape=_ITEM_FIELDS)
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_saved_filter_changed, sender=SavedFilter, dispatch_uid=f"accounts.saved_filter.{name}")
