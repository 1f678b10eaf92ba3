"""Segments: a saved filter over the tenant's registry, applied with the registry list's own FilterSet
(extended by apps.outreach.filters.SegmentFilterSet), and counted within bounds.

A segment keeps its filters as the registry list's query string does, as a dict `{filter name: [values]}`.
`segment_filters` checks and normalises what a form or the API sends; `segment_msmes` applies what is stored
(a stored filter that no longer validates selects nothing: never every MSME).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import django_filters
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.core import policies
from apps.core.filters import ListFilterSet
from apps.outreach.filters import SegmentFilterSet, as_query_data, filter_names
from apps.outreach.models import Segment
from apps.registry.filters import FilterForm, MsmeFilterSet
from apps.registry.models import Msme
from apps.tenants.cache import tenant_cache_key
from apps.tenants.scope import Actor

# The live count while a segment is edited stops here: it reads at most this many rows for each change of the
# filters (25-500 ms at 100,000 MSMEs, by filter), and past it the number a campaign would reach is "many".
LIVE_COUNT_CAP = 10_000
# Bounds on what a stored filter may hold: the choices bound the lists; these bound free text and lists.
MAX_VALUES = 50
MAX_VALUE_LENGTH = 100
NAME_TAKEN = _lazy("Your agency already has a segment of this name.")


def _queryset() -> QuerySet[Msme]:
    return Msme.objects.select_related("sector_isic").order_by("name", "id")


def filterset_for(filters: Mapping[str, Any] | Any) -> SegmentFilterSet:
    """The segment FilterSet bound to stored filters (a dict) or to query data (a QueryDict)."""
    data = filters if hasattr(filters, "getlist") else as_query_data(dict(filters))
    return SegmentFilterSet(data, queryset=_queryset())


def segment_msmes(segment: Segment | None) -> QuerySet[Msme]:
    """The active tenant's MSMEs the segment selects (every MSME for no segment; none if its filters are invalid)."""
    filters = segment.filters if segment is not None else {}
    if not isinstance(filters, dict) or set(filters) - filter_names():
        return _queryset().none()
    filterset = filterset_for(filters)
    if not filterset.is_valid():
        return _queryset().none()
    return filterset.qs


def _stored(value: Any) -> list[str]:
    """A cleaned filter value as stored: a list of strings ([] for "any")."""
    if value is None or value == "":
        return []
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, list | tuple | set | frozenset):
        return [str(item) for item in value]
    return [str(value).strip()] if str(value).strip() else []


def _shape_errors(filters: Any) -> dict[str, list[str]]:
    if not isinstance(filters, Mapping):
        return {"filters": [_("Give the filters as an object of filter names and values.")]}
    errors: dict[str, list[str]] = {}
    known = filter_names()
    for name, values in filters.items():
        if name not in known:
            errors[str(name)] = [_("There is no filter of this name.")]
            continue
        items = values if isinstance(values, list) else [values]
        if len(items) > MAX_VALUES:
            errors[name] = [_("Give at most %(count)d values.") % {"count": MAX_VALUES}]
        elif not all(isinstance(item, str | bool | int) and not isinstance(item, float) for item in items):
            errors[name] = [_("Give text values.")]
        elif any(len(str(item)) > MAX_VALUE_LENGTH for item in items):
            errors[name] = [_("Give values of at most %(count)d characters.") % {"count": MAX_VALUE_LENGTH}]
    return errors


def segment_filters(data: Mapping[str, Any] | Any) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """What a segment would store for `data` (a dict of filters from the API, or a form's QueryDict, whose
    other fields are ignored), and the errors by filter name: `(filters, errors)`."""
    if hasattr(data, "getlist"):
        known = filter_names()
        raw: Any = {name: data.getlist(name) for name in data if name in known}
        raw = {name: [v for v in values if v != ""] for name, values in raw.items()}
    else:
        raw = data
        errors = _shape_errors(raw)
        if errors:
            return {}, errors
    filterset = filterset_for({name: values for name, values in raw.items() if values not in ([], "", None)})
    if not filterset.is_valid():
        return {}, {name: [str(message) for message in messages] for name, messages in filterset.errors.items()}
    cleaned = filterset.form.cleaned_data
    stored = {name: _stored(cleaned.get(name)) for name in filter_names()}
    return {name: values for name, values in stored.items() if values}, {}


def registry_query(filters: Mapping[str, Sequence[str]]) -> str:
    """The registry list's query string for the filters it knows (it does not know outreach's own), in the
    order of its form."""
    known = [name for name in MsmeFilterSet.base_filters if name != "ordering" and name in filters]
    return urlencode([(name, list(filters[name])) for name in known], doseq=True)


def registry_only(filters: Mapping[str, Any]) -> bool:
    """Whether the registry list can apply every one of these filters (so its link shows the same MSMEs)."""
    return set(filters) <= set(MsmeFilterSet.base_filters)


def count_capped(queryset: QuerySet, cap: int) -> tuple[int, bool]:
    """(count, capped): the number of rows up to `cap`, and whether there are more than `cap`."""
    count = queryset.order_by()[: cap + 1].count()
    return min(count, cap), count > cap


# The list shows each segment's count as its own page (or the API's count) last counted it, kept this long:
# counting is exact for one segment (50 ms to 1 s at 100,000 MSMEs, by filter), and a list page of 25 segments
# counting them all, even capped at 1,000 each, took 1.7 s there. The list says when each was counted.
COUNT_TTL_SECONDS = 6 * 3600


def _count_key(segment: Segment) -> str:
    return tenant_cache_key("outreach", "segment-count", segment.pk)


def segment_count(segment: Segment) -> int:
    """The exact number of MSMEs the segment selects, remembered for the list (`remembered_counts`)."""
    count = segment_msmes(segment).order_by().count()
    entry = {"count": count, "at": timezone.now(), "version": segment.updated_at}
    cache.set(_count_key(segment), entry, COUNT_TTL_SECONDS)
    return count


def remembered_counts(segments: Sequence[Segment]) -> dict[Any, tuple[int, datetime]]:
    """{segment id: (count, when counted)} for the segments counted lately and unchanged since: one cache
    read, no query."""
    keys = {_count_key(segment): segment for segment in segments}
    found = cache.get_many(list(keys)) if keys else {}
    counts = {}
    for key, entry in found.items():
        segment = keys[key]
        if isinstance(entry, dict) and entry.get("version") == segment.updated_at:
            counts[segment.pk] = (entry["count"], entry["at"])
    return counts


def segment_errors(*, name: str, filters: Any, segment: Segment | None = None) -> dict[str, list[str]]:
    """What is wrong with a segment of this name and these filters, by field (`filters`: one message per bad
    filter, naming it). The one rule the form, the serializer and the services apply."""
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["name"] = [_("Give the segment a name.")]
    elif Segment.objects.filter(name=name).exclude(pk=segment.pk if segment is not None else None).exists():
        errors["name"] = [str(NAME_TAKEN)]
    _stored, filter_errors = segment_filters(filters)
    if filter_errors:
        errors["filters"] = filter_error_lines(filter_errors)
    return errors


def filter_error_lines(errors: Mapping[str, Sequence[str]]) -> list[str]:
    """Filter errors ({filter name: [message]}) as lines that name their filter, in its label."""
    labels = {key: str(f.label or key) for key, f in SegmentFilterSet.base_filters.items()}
    return [f"{labels.get(key, key)}: {message}" for key, messages in errors.items() for message in messages]


def segments_visible(actor: Actor, *, rule: str = "outreach.manage_segments") -> QuerySet[Segment]:
    """The active tenant's segments that the rule gives the actor, by name."""
    return policies.rows(actor, rule, Segment.objects.order_by("name", "id"))


class SegmentListFilterSet(ListFilterSet):
    q = django_filters.CharFilter(label=_lazy("Search"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Segment
        fields: list[str] = []
        form = FilterForm


def segment_list(*, actor: Actor, filters: Any = None) -> tuple[SegmentListFilterSet, QuerySet[Segment]]:
    """The segments list page's FilterSet and rows (none when its filters are invalid)."""
    queryset = segments_visible(actor).only("name", "description", "filters", "updated_at")
    filterset = SegmentListFilterSet(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return filterset, queryset.none()
    return filterset, filterset.qs


def describe_filters(filters: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The segment's filters in words, in the order of the form: [(label, values)]."""
    described = []
    for name, filter_ in SegmentFilterSet.base_filters.items():
        values = filters.get(name) if isinstance(filters, Mapping) else None
        if not values:
            continue
        values = values if isinstance(values, list) else [values]
        choices = filter_.extra.get("choices")
        if callable(choices):
            choices = choices()
        labels = {str(value): str(label) for value, label in (choices or ())}
        if isinstance(filter_, django_filters.BooleanFilter):
            labels = {"true": _("yes"), "false": _("no")}
        described.append((str(filter_.label), ", ".join(labels.get(str(v), str(v)) for v in values)))
    return described
