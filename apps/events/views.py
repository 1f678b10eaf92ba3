"""/events/: the tenant's events for its MSME members and staff, registration, the .ics invitation, the
members' registrations; the staff's pages to run events; the feedback form reached from a signed link."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.lists import list_filters_html, list_page, offers_saved_filters, rows_html, with_labels
from apps.core.policies import can, public, requires
from apps.events import selectors, services
from apps.events.forms import EventForm, FeedbackForm, RegisterOnBehalfForm, add_errors
from apps.events.invitations import invitation, invitation_filename
from apps.events.models import Event, Feedback, Registration
from apps.events.policies import is_member, member_msme_ids
from apps.events.tokens import read_feedback_token
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant

PAGE_SIZE = 20
EVENT_ROW = (
    "<tr>"
    '<td class="text-nowrap"><time datetime="{}">{}</time></td>'
    '<td><a href="{}"><bdi>{}</bdi></a>{}</td>'
    "<td>{}</td>"
    "<td>{}</td>"
    '<td class="text-nowrap">{}</td>'
    "</tr>"
)


def _local(event: Event, value: Any) -> Any:
    return timezone.localtime(value, ZoneInfo(event.time_zone))


def _event_rows(events: Iterable[Event]) -> Iterator[tuple[object, ...]]:
    cancelled = " " + _("(cancelled)")
    for event in events:
        start = _local(event, event.starts_at)
        seats = str(event.confirmed_count) if event.capacity is None else f"{event.confirmed_count} / {event.capacity}"
        yield (
            event.starts_at.isoformat(),
            f"{formats.date_format(start, 'DATETIME_FORMAT')} ({event.time_zone})",
            reverse("events:detail", kwargs={"event_pk": event.pk}),
            event.title,
            cancelled if event.is_cancelled else "",
            event.kind_label,
            _("Online") if event.online_url else (event.place or "—"),
            seats,
        )


def _event(request: HttpRequest, event_pk: Any, rule: str = "events.view_event") -> Event:
    return get_object_or_404(selectors.events_visible(request.actor, rule=rule), pk=event_pk)


def _fail(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(message for problems in error.message_dict.values() for message in problems))


@requires("events.view_event")
@require_GET
@offers_saved_filters
def event_list(request: HttpRequest) -> HttpResponse:
    context = list_page(
        request, lambda filters: selectors.event_list(request.actor, filters=filters), per_page=PAGE_SIZE
    )
    rows = with_labels(context["page"].object_list, Event, "kind")
    context["rows_html"] = rows_html(EVENT_ROW, _event_rows(rows))
    context["filters_html"] = list_filters_html(request, "events/_filters.html", context)
    context["may_manage"] = can(request.actor, "events.manage")
    return render(request, "events/event_list.html", context, status=400 if context["filterset"].errors else 200)


def _detail_context(request: HttpRequest, event: Event) -> dict[str, Any]:
    actor = request.actor
    registration = None
    if is_member(actor):
        registration = selectors.active_registration(event, member_msme_ids(actor))
    taken = selectors.seats_taken(event)
    return {
        "event": event,
        "registration": registration,
        "is_member": is_member(actor),
        "has_msme": is_member(actor) and services.member_msme(actor) is not None,
        "may_manage": can(actor, "events.manage", event),
        "closed_reason": " ".join(m for ms in services.registration_errors(event).values() for m in ms),
        "seats_taken": taken,
        "full": event.capacity is not None and taken >= event.capacity,
        "topics": event.topics,
    }


@requires("events.view_event", per_object=True)
@require_GET
def event_detail(request: HttpRequest, event_pk: str) -> HttpResponse:
    event = _event(request, event_pk)
    return render(request, "events/event_detail.html", _detail_context(request, event))


@requires("events.view_event", per_object=True)
@require_GET
def event_ics(request: HttpRequest, event_pk: str) -> HttpResponse:
    event = _event(request, event_pk)
    response = HttpResponse(invitation(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{invitation_filename(event)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires("events.register", per_object=True)
@require_POST
def event_register(request: HttpRequest, event_pk: str) -> HttpResponse:
    """A member registers their MSME; agency staff register an MSME of the registry on its behalf."""
    event = _event(request, event_pk, rule="events.register")
    if can(request.actor, "events.manage", event):
        form = RegisterOnBehalfForm(request.POST)
        if form.is_valid():
            msme = Msme.objects.filter(registration_number=form.cleaned_data["registration_number"].strip()).first()
            if msme is None:
                form.add_error("registration_number", _("No MSME of the registry has this registration number."))
            else:
                try:
                    registration = services.registration_create(
                        actor=request.actor,
                        event=event,
                        msme=msme,
                        name=form.cleaned_data["name"],
                        email=form.cleaned_data["email"],
                    )
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, _registered_message(registration))
                    return redirect("events:registrations", event_pk=event.pk)
        return _registrations_page(request, event, on_behalf_form=form, status=400)
    try:
        registration = services.registration_create(actor=request.actor, event=event)
    except ValidationError as error:
        _fail(request, error)
        return render(request, "events/event_detail.html", _detail_context(request, event), status=400)
    messages.success(request, _registered_message(registration))
    return redirect("events:detail", event_pk=event.pk)


def _registered_message(registration: Registration) -> str:
    values = {"msme": registration.msme.name}
    if registration.status == Registration.Status.WAITING:
        return _("The event is full: %(msme)s is on the waiting list, and will be told if a seat is freed.") % values
    return _("%(msme)s is registered. A confirmation with the invitation is on its way.") % values


@requires("events.cancel_registration", per_object=True)
@require_POST
def registration_cancel(request: HttpRequest, registration_pk: str) -> HttpResponse:
    registration = get_object_or_404(
        selectors.registrations_visible(request.actor, rule="events.cancel_registration"), pk=registration_pk
    )
    try:
        services.registration_cancel(actor=request.actor, registration=registration)
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("The registration is cancelled."))
    if can(request.actor, "events.manage", registration.event):
        return redirect("events:registrations", event_pk=registration.event_id)
    return redirect("events:detail", event_pk=registration.event_id)


@requires("events.my_registrations")
@require_GET
def my_registrations(request: HttpRequest) -> HttpResponse:
    registrations = list(selectors.my_registrations(request.actor)[:200])
    return render(request, "events/my_registrations.html", {"registrations": registrations, "now": timezone.now()})


# --- Agency staff --------------------------------------------------------------------------------------


@requires("events.manage")
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, initial={"registration_open": True, "language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.actor, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The event is published: the agency's MSMEs can register."))
            return redirect("events:detail", event_pk=event.pk)
    status = 400 if form.errors else 200
    return render(request, "events/event_form.html", {"form": form, "event": None}, status=status)


@requires("events.manage", per_object=True)
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, event_pk: str) -> HttpResponse:
    event = _event(request, event_pk, rule="events.manage")
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.actor, event=event, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:detail", event_pk=event.pk)
    status = 400 if form.errors else 200
    return render(request, "events/event_form.html", {"form": form, "event": event}, status=status)


@requires("events.manage", per_object=True)
@require_POST
def event_cancel(request: HttpRequest, event_pk: str) -> HttpResponse:
    event = _event(request, event_pk, rule="events.manage")
    try:
        services.event_cancel(actor=request.actor, event=event)
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("The event is cancelled; everyone registered is told."))
    return redirect("events:detail", event_pk=event.pk)


def _registrations_page(
    request: HttpRequest, event: Event, *, on_behalf_form: RegisterOnBehalfForm | None = None, status: int = 200
) -> HttpResponse:
    lists = selectors.event_registrations(event)
    for registration in lists.confirmed:
        registration.attended_label = registration.get_attended_display()
    context = {
        "event": event,
        "confirmed": lists.confirmed,
        "waiting": lists.waiting,
        "cancelled_count": lists.cancelled_count,
        "on_behalf_form": on_behalf_form or RegisterOnBehalfForm(),
        "attendance_choices": Registration.Attended.choices,
        "started": event.starts_at <= timezone.now(),
    }
    return render(request, "events/registrations.html", context, status=status)


@requires("events.manage", per_object=True)
@require_GET
def event_registrations(request: HttpRequest, event_pk: str) -> HttpResponse:
    return _registrations_page(request, _event(request, event_pk, rule="events.manage"))


@requires("events.manage", per_object=True)
@require_POST
def event_attendance(request: HttpRequest, event_pk: str) -> HttpResponse:
    event = _event(request, event_pk, rule="events.manage")
    prefix = "attended-"
    marks = {}
    for key, value in request.POST.items():
        if not key.startswith(prefix):
            continue
        try:
            # The service looks the rows up by these keys and reads them back as str(pk): canonical form only.
            marks[str(uuid.UUID(key[len(prefix) :]))] = value
        except ValueError:
            continue  # not a registration id: nothing to mark
    if not marks:
        messages.error(request, _("Mark the attendance of at least one registration."))
        return _registrations_page(request, event, status=400)
    try:
        changed = services.attendance_mark(actor=request.actor, event=event, marks=marks)
    except ValidationError as error:
        _fail(request, error)
        return _registrations_page(request, event, status=400)
    messages.success(request, _("Attendance saved (%(count)d changed).") % {"count": changed})
    return redirect("events:registrations", event_pk=event.pk)


@requires("events.manage", per_object=True)
@require_GET
def event_feedback_summary(request: HttpRequest, event_pk: str) -> HttpResponse:
    event = _event(request, event_pk, rule="events.manage")
    summary = selectors.feedback_summary(event)
    top = max((count for _rating, count in summary.by_rating), default=0) or 1
    bars = [(rating, count, round(count * 100 / top)) for rating, count in summary.by_rating]
    return render(request, "events/feedback_summary.html", {"event": event, "summary": summary, "bars": bars})


# --- Feedback, through the signed link -----------------------------------------------------------------


def _refused(request: HttpRequest) -> HttpResponse:
    """The one answer to a forged, altered, expired or unknown link: it says nothing about what exists."""
    return render(request, "events/feedback_invalid.html", status=404)


@public
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, token: str) -> HttpResponse:
    claim = read_feedback_token(token)
    if claim is None:
        return _refused(request)
    tenant = Tenant.objects.filter(pk=claim.tenant_id, is_active=True).first()
    if tenant is None:
        return _refused(request)
    # The link names its tenant, signed: the visitor needs no account, and reads nothing else of it.
    with tenant_context(tenant):
        registration = (
            Registration.objects.select_related("event").filter(pk=claim.registration_id).first()
            if _is_uuid(claim.registration_id)
            else None
        )
        if registration is None or not services.feedback_allowed(registration):
            return _refused(request)
        event = registration.event
        if Feedback.objects.filter(registration=registration).exists():
            return render(request, "events/feedback_form.html", {"event": event, "done": True})
        form = FeedbackForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.feedback_give(registration=registration, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                return render(request, "events/feedback_form.html", {"event": event, "done": True, "thanked": True})
        status = 400 if form.errors else 200
        return render(request, "events/feedback_form.html", {"event": event, "form": form}, status=status)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


urlpatterns = [
    path("", event_list, name="index"),
    path("mine/", my_registrations, name="mine"),
    path("new/", event_create, name="create"),
    path("feedback/<str:token>/", feedback, name="feedback"),
    path("<uuid:event_pk>/", event_detail, name="detail"),
    path("<uuid:event_pk>/invitation.ics", event_ics, name="ics"),
    path("<uuid:event_pk>/register/", event_register, name="register"),
    path("<uuid:event_pk>/edit/", event_edit, name="edit"),
    path("<uuid:event_pk>/cancel/", event_cancel, name="cancel"),
    path("<uuid:event_pk>/registrations/", event_registrations, name="registrations"),
    path("<uuid:event_pk>/attendance/", event_attendance, name="attendance"),
    path("<uuid:event_pk>/feedback/", event_feedback_summary, name="feedback-summary"),
    path("registrations/<uuid:registration_pk>/cancel/", registration_cancel, name="registration-cancel"),
]
