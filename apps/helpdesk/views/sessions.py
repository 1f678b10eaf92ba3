"""Counselling sessions: members book their agency's free slots; the agency's agents publish slots and
record the sessions held."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.lists import CappedPaginator
from apps.core.policies import authorize, can, requires
from apps.helpdesk import counselling
from apps.helpdesk.models import CounsellingSession, CounsellingSlot

SLOTS_PER_PAGE = 20
SESSIONS_SHOWN = 50


class BookForm(forms.Form):
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)
    ticket = forms.ChoiceField(label=gettext_lazy("About"), required=False)
    note = forms.CharField(
        label=gettext_lazy("What would you like to talk about?"),
        required=False,
        max_length=counselling.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Any topic")), *counselling.topic_choices(get_language() or "en")]
        tickets = [(str(t.pk), f"{t.reference} {t.subject}") for t in counselling.member_tickets(actor)[:20]]
        self.fields["ticket"].choices = [("", _("A new question")), *tickets]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("Ends at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    mode = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CounsellingSlot.Mode.choices)
    where = forms.CharField(
        label=gettext_lazy("Where or link"),
        required=False,
        max_length=counselling.WHERE_MAX,
        help_text=gettext_lazy("The address of a visit, or the link of an online meeting."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].help_text = _("In the portal's time zone, %(zone)s.") % {
            "zone": timezone.get_current_timezone_name()
        }
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class RecordForm(forms.Form):
    notes = forms.CharField(
        label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
    notes_shared = forms.BooleanField(
        label=gettext_lazy("Share the notes with the MSME"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's errors on the form: by field where the form has it, else for the whole form."""
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


def _member_page(request: HttpRequest, *, book_form: BookForm | None = None, book_slot: Any = None) -> dict[str, Any]:
    actor = request.actor
    paginator = CappedPaginator(counselling.free_slots(actor), SLOTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return {
        "role": "member",
        "now": timezone.now(),
        "page": page,
        "book_form": book_form or BookForm(actor=actor),
        "book_slot": book_slot,
        "bookings": list(counselling.sessions_for(actor)[:SESSIONS_SHOWN]),
    }


def _agent_page(
    request: HttpRequest,
    *,
    slot_form: SlotForm | None = None,
    record_form: RecordForm | None = None,
    record_for: Any = None,
) -> dict[str, Any]:
    actor = request.actor
    slots = list(counselling.agent_slots(actor))
    booked = counselling.sessions_for(actor).filter(state=CounsellingSession.State.BOOKED)
    sessions = list(booked.order_by("slot__starts_at", "id")[:SESSIONS_SHOWN])
    return {
        "role": "agent",
        "now": timezone.now(),
        "slots": slots,
        "sessions": sessions,
        "slot_form": slot_form or SlotForm(),
        "failed_record_form": record_form,
        "record_for": record_for,
    }


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "helpdesk/sessions/index.html", context, status=status)


def _is_agent(request: HttpRequest) -> bool:
    return can(request.actor, "helpdesk.offer_sessions")


@requires("helpdesk.book_session", per_object=True)
@require_GET
def sessions_index(request: HttpRequest) -> HttpResponse:
    """Members: the free slots and their bookings. The agency's agents: their slots and sessions."""
    if _is_agent(request):
        return _page(request, _agent_page(request))
    authorize(request.actor, "helpdesk.book_session")
    return _page(request, _member_page(request))


@requires("helpdesk.book_session")
@require_POST
def session_book(request: HttpRequest, slot_pk: str) -> HttpResponse:
    slot = get_object_or_404(CounsellingSlot, pk=slot_pk)
    form = BookForm(request.POST, actor=request.actor)
    if form.is_valid():
        ticket = None
        if ticket_pk := form.cleaned_data["ticket"]:
            ticket = counselling.member_tickets(request.actor).filter(pk=ticket_pk).first()
        try:
            session = counselling.session_book(
                actor=request.actor,
                slot=slot,
                topic=form.cleaned_data["topic"],
                note=form.cleaned_data["note"],
                ticket=ticket,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Your session is booked. We will remind you the day before; follow it on ticket %(ref)s.")
                % {"ref": session.ticket.reference},
            )
            return redirect("helpdesk:sessions")
    return _page(request, _member_page(request, book_form=form, book_slot=slot), status=400)


@requires("helpdesk.view_ticket")
@require_POST
def session_cancel(request: HttpRequest, counselling_session_pk: str) -> HttpResponse:
    # sessions_for refuses (403) whoever is neither a member nor the agency's agent: a division's agents.
    session = get_object_or_404(counselling.sessions_for(request.actor), pk=counselling_session_pk)
    try:
        counselling.session_cancel(actor=request.actor, counselling_session=session)
    except ValidationError as error:
        messages.error(request, " ".join(message for problems in error.message_dict.values() for message in problems))
    else:
        messages.success(request, _("The session is cancelled."))
    return redirect("helpdesk:sessions")


@requires("helpdesk.offer_sessions")
@require_POST
def slot_publish(request: HttpRequest) -> HttpResponse:
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            counselling.slot_publish(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The slot is published: the agency's MSMEs can book it."))
            return redirect("helpdesk:sessions")
    return _page(request, _agent_page(request, slot_form=form), status=400)


@requires("helpdesk.offer_sessions")
@require_POST
def slot_withdraw(request: HttpRequest, slot_pk: str) -> HttpResponse:
    slot = get_object_or_404(CounsellingSlot, pk=slot_pk, agent_id=request.user.pk)
    try:
        counselling.slot_withdraw(actor=request.actor, slot=slot)
    except ValidationError as error:
        messages.error(request, " ".join(message for problems in error.message_dict.values() for message in problems))
    else:
        messages.success(request, _("The slot is withdrawn."))
    return redirect("helpdesk:sessions")


@requires("helpdesk.offer_sessions")
@require_POST
def session_record(request: HttpRequest, counselling_session_pk: str) -> HttpResponse:
    session = get_object_or_404(counselling.sessions_for(request.actor), pk=counselling_session_pk)
    form = RecordForm(request.POST)
    if form.is_valid():
        try:
            counselling.session_record(actor=request.actor, counselling_session=session, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if form.cleaned_data["notes_shared"]:
                messages.success(request, _("The session is recorded; the notes are on the ticket for the MSME."))
            else:
                messages.success(request, _("The session is recorded; the notes are internal to the ticket."))
            return redirect("helpdesk:sessions")
    return _page(request, _agent_page(request, record_form=form, record_for=session), status=400)


urlpatterns: list[URLPattern] = [
    path("sessions/", sessions_index, name="sessions"),
    path("sessions/<uuid:slot_pk>/book/", session_book, name="session-book"),
    path("sessions/bookings/<uuid:counselling_session_pk>/cancel/", session_cancel, name="session-cancel"),
    path("sessions/slots/new/", slot_publish, name="slot-publish"),
    path("sessions/slots/<uuid:slot_pk>/withdraw/", slot_withdraw, name="slot-withdraw"),
    path("sessions/bookings/<uuid:counselling_session_pk>/record/", session_record, name="session-record"),
]
