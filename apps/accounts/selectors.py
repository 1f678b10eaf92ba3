"""Account reads that carry a rule: which saved filters a user sees."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from apps.accounts.models import SavedFilter


def saved_filters(*, user: Any, list_name: str | None = None) -> QuerySet[SavedFilter]:
    """The user's own saved filters in the active tenant (of one list when named), by name."""
    mine = SavedFilter.objects.filter(user_id=user.pk)
    return (mine if list_name is None else mine.filter(list_name=list_name)).order_by("name", "id")
