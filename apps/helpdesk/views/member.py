"""The MSMEs' helpdesk pages: what the helpdesk is, open a ticket (with guidance suggested while typing),
follow one's tickets, reply, close, rate, and download the files of a ticket.

Agents share the download URL; the other pages are the MSME's, and agents are sent to their own.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.core.lists import CappedPaginator, page_query, with_labels, with_urls
from apps.core.policies import authorize, can, public, requires
from apps.helpdesk import selectors, services, uploads
from apps.helpdesk.member_forms import RatingForm, ReplyForm, TicketForm
from apps.helpdesk.models import Message, Status, Ticket
from apps.helpdesk.policies import is_agent
from apps.helpdesk.suggestions import articles_for
from apps.registry.selectors import msme_for_user
from apps.tenants.files import serve_private_file

PAGE_SIZE = 20


def _queue_url() -> str:
    return reverse("helpdesk:queue")


def _work_url(ticket: Ticket) -> str:
    return reverse("helpdesk:work", kwargs={"ticket_pk": ticket.pk})


def _ticket_for(request: HttpRequest, ticket_pk: Any) -> Ticket:
    """The ticket, if the actor may see it (else 404, as another tenant's): the page's rule first (403)."""
    authorize(request.actor, "helpdesk.view_ticket")
    return get_object_or_404(selectors.tickets_visible(request.actor), pk=ticket_pk)


def _field_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
    else:
        for problem in error.messages:
            form.add_error(None, problem)


# --- The helpdesk's front door ------------------------------------------------------------------


@public
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if can(actor, "helpdesk.open_ticket"):
        return redirect("helpdesk:mine")
    if is_agent(actor):
        return redirect(_queue_url())
    return render(request, "helpdesk/member/home.html", {"signed_in": request.user.is_authenticated})


# --- Opening a ticket ---------------------------------------------------------------------------


@requires("helpdesk.open_ticket")
@require_http_methods(["GET", "POST"])
def ticket_new(request: HttpRequest) -> HttpResponse:
    form = TicketForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "suggestions": []}
    if request.method != "POST" or not form.is_valid():
        return render(request, "helpdesk/member/ticket_form.html", context, status=400 if form.errors else 200)
    data = form.cleaned_data
    if data["confirmed"] != "1":
        # Without the script, the suggestions come with the first submission: shown once, then sent.
        found = articles_for(data["subject"], data["language"])
        if found:
            shown = [result.slug for result in found]
            form = TicketForm(
                initial={
                    **{name: data[name] for name in ("subject", "body", "topic", "language", "priority")},
                    "suggested": ",".join(dict.fromkeys([*data["suggested"], *shown])),
                    "read": ",".join(data["read"]),
                    "confirmed": "1",
                }
            )
            context |= {"form": form, "suggestions": found, "confirming": True}
            context["files_dropped"] = bool(data["attachments"])
            return render(request, "helpdesk/member/ticket_form.html", context)
    try:
        ticket = services.ticket_open(
            actor=request.actor,
            subject=data["subject"],
            body=data["body"],
            topic=data["topic"],
            language=data["language"],
            msme=msme_for_user(user=request.user),
            priority=data["priority"],
            suggested_articles=data["suggested"],
            read_articles=data["read"],
        )
    except ValidationError as error:
        _field_errors(form, error)
        return render(request, "helpdesk/member/ticket_form.html", context, status=400)
    if data["attachments"]:
        carrier = uploads.carrier_message(ticket, request.user)
        uploads.attach_files(ticket, carrier, data["attachments"], actor=request.user)
    messages.success(
        request,
        _("Your question was sent as ticket %(reference)s. We will answer you here and by e-mail.")
        % {"reference": ticket.reference},
    )
    return redirect("helpdesk:ticket", ticket_pk=ticket.pk)


@requires("helpdesk.open_ticket")
@require_safe
def suggest(request: HttpRequest) -> HttpResponse:
    """Guidance articles matching what the MSME types (a fragment the form's script puts in place)."""
    language = request.GET.get("language", "")
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = get_language() or settings.LANGUAGE_CODE
    found = articles_for(request.GET.get("q", ""), language)
    return render(request, "helpdesk/member/_suggestions.html", {"suggestions": found})


# --- Following one's tickets --------------------------------------------------------------------


@requires("helpdesk.view_ticket")
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    if is_agent(request.actor):
        return redirect(_queue_url())
    tickets = (
        selectors.tickets_visible(request.actor)
        .select_related(None)
        .only("id", "reference", "subject", "status", "created_at", "updated_at", "tenant_id")
    )
    page = CappedPaginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = with_labels(page.object_list, Ticket, "status")
    with_urls(rows, "helpdesk:ticket")
    return render(request, "helpdesk/member/ticket_list.html", {"page": page, "query": page_query(request)})


def _public_timeline(ticket: Ticket) -> list[Message]:
    """Replies and status changes: internal notes never, and no queue or agent bookkeeping."""
    entries = []
    labels = dict(Status.choices)
    for message in selectors.timeline(ticket, internal=False):
        if message.kind == Message.Kind.CHANGE:
            if "status" not in message.changes:
                continue
            old, new = message.changes["status"]
            message.status_change = (labels.get(old, old), labels.get(new, new))
        entries.append(message)
    return entries


def _render_ticket(request: HttpRequest, ticket: Ticket, *, status: int = 200, **forms: Any) -> HttpResponse:
    actor = request.actor
    context = {
        "ticket": ticket,
        "status_label": ticket.get_status_display(),
        "priority_label": ticket.get_priority_display(),
        "timeline": _public_timeline(ticket),
        "may_reply": can(actor, "helpdesk.reply", ticket),
        "may_close": can(actor, "helpdesk.close_own", ticket),
        "may_rate": can(actor, "helpdesk.rate", ticket),
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "rating_form": forms.get("rating_form") or RatingForm(),
    }
    return render(request, "helpdesk/member/ticket_detail.html", context, status=status)


@requires("helpdesk.view_ticket", per_object=True)
@require_safe
def ticket_detail(request: HttpRequest, ticket_pk: Any) -> HttpResponse:
    ticket = _ticket_for(request, ticket_pk)
    if is_agent(request.actor):
        return redirect(_work_url(ticket))
    return _render_ticket(request, ticket)


def _members_ticket(request: HttpRequest, ticket_pk: Any) -> Ticket:
    ticket = _ticket_for(request, ticket_pk)
    if is_agent(request.actor):
        raise PermissionDenied(_("Agents answer tickets from their own pages."))
    return ticket


@requires("helpdesk.reply", per_object=True)
@require_POST
def ticket_reply(request: HttpRequest, ticket_pk: Any) -> HttpResponse:
    ticket = _members_ticket(request, ticket_pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():  # the files; the service asks the rule (a 403) and checks the text
        try:
            message = services.ticket_reply(actor=request.actor, ticket=ticket, body=form.cleaned_data["body"])
        except ValidationError as error:
            _field_errors(form, error)
        else:
            if form.cleaned_data["attachments"]:
                uploads.attach_files(ticket, message, form.cleaned_data["attachments"], actor=request.user)
            messages.success(request, _("Your reply was sent."))
            return redirect("helpdesk:ticket", ticket_pk=ticket.pk)
    return _render_ticket(request, ticket, status=400, reply_form=form)


@requires("helpdesk.close_own", per_object=True)
@require_POST
def ticket_close(request: HttpRequest, ticket_pk: Any) -> HttpResponse:
    ticket = _members_ticket(request, ticket_pk)
    services.ticket_close_own(actor=request.actor, ticket=ticket)
    messages.success(request, _("The ticket is closed. Thank you for letting us know."))
    return redirect("helpdesk:ticket", ticket_pk=ticket.pk)


@requires("helpdesk.rate", per_object=True)
@require_POST
def ticket_rate(request: HttpRequest, ticket_pk: Any) -> HttpResponse:
    ticket = _members_ticket(request, ticket_pk)
    form = RatingForm(request.POST)
    form.is_valid()
    try:
        # The service asks the rule first (a 403 with its message), then checks the values.
        services.ticket_rate(
            actor=request.actor,
            ticket=ticket,
            rating=form.cleaned_data.get("rating", ""),
            comment=form.cleaned_data.get("comment", ""),
        )
    except ValidationError as error:
        _field_errors(form, error)
        return _render_ticket(request, ticket, status=400, rating_form=form)
    messages.success(request, _("Thank you: your rating helps us answer better."))
    return redirect("helpdesk:ticket", ticket_pk=ticket.pk)


# --- Files --------------------------------------------------------------------------------------


@requires("helpdesk.download_attachment", per_object=True)
@require_safe
def attachment(request: HttpRequest, attachment_pk: Any) -> HttpResponse:
    """A ticket's file, for its MSME (never a file of an internal note) and its agents."""
    actor = request.actor
    authorize(actor, "helpdesk.download_attachment")
    attachments = selectors.attachments_visible(actor, internal=can(actor, "helpdesk.read_internal")).filter(
        ticket__in=selectors.tickets_visible(actor).values("pk")
    )
    found = get_object_or_404(attachments, pk=attachment_pk)
    if not can(actor, "helpdesk.download_attachment", found):
        raise Http404
    try:
        return serve_private_file(found.file, filename=found.name)
    except FileNotFoundError:
        raise Http404(_("The file has been deleted.")) from None


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("new/", ticket_new, name="new"),
    path("suggest/", suggest, name="suggest"),
    path("tickets/", mine, name="mine"),
    path("tickets/<uuid:ticket_pk>/", ticket_detail, name="ticket"),
    path("tickets/<uuid:ticket_pk>/reply/", ticket_reply, name="reply"),
    path("tickets/<uuid:ticket_pk>/close/", ticket_close, name="close"),
    path("tickets/<uuid:ticket_pk>/rate/", ticket_rate, name="rate"),
    path("attachments/<uuid:attachment_pk>/", attachment, name="attachment"),
]
