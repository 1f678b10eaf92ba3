"""The segments pages, for the agency's staff: list, create, edit (with a live count), detail and delete.

Counts are bounded. The detail page counts its one segment exactly and remembers the count; the list shows
the remembered counts with when they were made (one cache read, no query: counting 25 segments of 100,000
MSMEs on every list page took seconds, even capped); the edit form counts up to `LIVE_COUNT_CAP` as the
filters change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.lists import list_filters_html, list_page, rows_html, with_urls
from apps.core.policies import requires
from apps.outreach import segment_services
from apps.outreach.models import Segment
from apps.outreach.segment_forms import SegmentForm
from apps.outreach.segments import (
    COUNT_TTL_SECONDS,
    LIVE_COUNT_CAP,
    count_capped,
    describe_filters,
    filter_error_lines,
    filterset_for,
    registry_only,
    registry_query,
    remembered_counts,
    segment_count,
    segment_filters,
    segment_list,
    segment_msmes,
    segments_visible,
)

PAGE_SIZE = 25
FIRST_MSMES = 10
REGISTRY = "registry:detail"
SEGMENT_ROW = (
    "<tr>"
    '<td><a href="{}"><bdi>{}</bdi></a></td>'
    '<td class="text-body-secondary small"><bdi>{}</bdi></td>'
    '<td class="text-end text-nowrap">{}</td>'
    '<td class="text-nowrap small text-body-secondary">{}</td>'
    '<td class="text-nowrap">{}</td>'
    "</tr>"
)


def _segment(request: HttpRequest, pk: str) -> Segment:
    return get_object_or_404(segments_visible(request.actor), pk=pk)


@requires("outreach.manage_segments")
@require_GET
def segment_list_view(request: HttpRequest) -> HttpResponse:
    context = list_page(request, lambda filters: segment_list(actor=request.actor, filters=filters), per_page=PAGE_SIZE)
    rows = with_urls(context["page"].object_list, "outreach:segment_detail")
    context["rows_html"] = rows_html(SEGMENT_ROW, _segment_rows(rows, remembered_counts(rows)))
    context["filters_html"] = list_filters_html(request, "outreach/_segment_filters.html", context)
    context["count_hours"] = COUNT_TTL_SECONDS // 3600
    return render(request, "outreach/segment_list.html", context, status=400 if context["filterset"].errors else 200)


def _segment_rows(segments: Iterable[Segment], counts: dict) -> Iterator[tuple[object, ...]]:
    now = timezone.now()
    for segment in segments:
        count, counted_at = counts.get(segment.pk, (None, None))
        description = segment.description if len(segment.description) <= 120 else segment.description[:119] + "…"
        yield (
            segment.url,
            segment.name,
            description or "—",
            "—" if count is None else number_format(count, force_grouping=True),
            "—" if counted_at is None else _("%(time)s ago") % {"time": timesince(counted_at, now, depth=1)},
            date_format(segment.updated_at, "DATE_FORMAT"),
        )


def _form_page(request: HttpRequest, form: SegmentForm, segment: Segment | None, status: int = 200) -> HttpResponse:
    context = {"form": form, "segment": segment, "filter_form": form.filterset.form}
    context.update(_live_count(form.filterset))
    return render(request, "outreach/segment_form.html", context, status=status)


def _live_count(filterset) -> dict[str, object]:
    if not filterset.is_valid():
        # Said with the count, as the filters change: a search term too short selects nobody, and says so.
        return {"count_error": True, "count_errors": filter_error_lines(filterset.errors)}
    count, capped = count_capped(filterset.qs, LIVE_COUNT_CAP)
    return {"count": count, "capped": capped, "cap": LIVE_COUNT_CAP}


@requires("outreach.manage_segments")
@require_http_methods(["GET", "POST"])
def segment_create(request: HttpRequest) -> HttpResponse:
    form = SegmentForm(request.POST or None)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            segment = segment_services.segment_create(data=form.service_data(), actor=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The segment %(name)s was saved.") % {"name": segment.name})
            return redirect("outreach:segment_detail", pk=segment.pk)
    return _form_page(request, form, None, status=400 if form.errors else 200)


@requires("outreach.manage_segments")
@require_http_methods(["GET", "POST"])
def segment_edit(request: HttpRequest, pk: str) -> HttpResponse:
    segment = _segment(request, pk)
    form = SegmentForm(request.POST or None, segment=segment)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            segment_services.segment_update(segment=segment, data=form.service_data(), actor=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("outreach:segment_detail", pk=segment.pk)
    if request.method == "POST":
        segment.refresh_from_db()
    return _form_page(request, form, segment, status=400 if form.errors else 200)


def _add_errors(form: SegmentForm, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@requires("outreach.manage_segments")
@require_GET
def live_count(request: HttpRequest) -> HttpResponse:
    """The number of MSMEs the form's current filters select (the edit form asks as they change)."""
    filterset = filterset_for(request.GET)
    context = _live_count(filterset)
    # htmx swaps only successful answers: the form's own request gets its message with a 200.
    status = 400 if "count_error" in context and not request.headers.get("HX-Request") else 200
    return render(request, "outreach/_segment_count.html", context, status=status)


@requires("outreach.manage_segments")
@require_GET
def segment_detail(request: HttpRequest, pk: str) -> HttpResponse:
    segment = _segment(request, pk)
    msmes = segment_msmes(segment)
    _stored, errors = segment_filters(segment.filters if isinstance(segment.filters, dict) else [])
    context = {
        "segment": segment,
        "filters": describe_filters(segment.filters) if isinstance(segment.filters, dict) else [],
        "filters_invalid": bool(errors),
        "filter_errors": filter_error_lines(errors),  # why it selects nobody
        # One segment: an exact count (a full count of the tenant's matching MSMEs, once per page view).
        "count": segment_count(segment),
        "consenting": msmes.order_by().filter(consent_outreach=True).count(),
        "first_msmes": with_urls(list(msmes.select_related(None).only("name", "region")[:FIRST_MSMES]), REGISTRY),
        "registry_url": reverse("registry:index") + "?" + registry_query(segment.filters if not errors else {}),
        "registry_exact": registry_only(segment.filters if isinstance(segment.filters, dict) else {}),
        "campaigns": segment.campaigns.count(),
    }
    return render(request, "outreach/segment_detail.html", context)


@requires("outreach.manage_segments")
@require_http_methods(["GET", "POST"])
def segment_delete(request: HttpRequest, pk: str) -> HttpResponse:
    segment = _segment(request, pk)
    if request.method == "POST":
        try:
            segment_services.segment_delete(segment=segment, actor=request.user)
        except ValidationError as error:
            return render(
                request, "outreach/segment_delete.html", {"segment": segment, "error": error.messages[0]}, status=409
            )
        messages.success(request, _("The segment %(name)s was deleted.") % {"name": segment.name})
        return redirect("outreach:segment_list")
    return render(request, "outreach/segment_delete.html", {"segment": segment})


urlpatterns = [
    path("segments/", segment_list_view, name="segment_list"),
    path("segments/new/", segment_create, name="segment_create"),
    path("segments/count/", live_count, name="segment_count"),
    path("segments/<uuid:pk>/", segment_detail, name="segment_detail"),
    path("segments/<uuid:pk>/edit/", segment_edit, name="segment_edit"),
    path("segments/<uuid:pk>/delete/", segment_delete, name="segment_delete"),
]
