"""The helpdesk's agent pages: the queue (filters, quick links, bulk actions) and the work page of one
ticket (timeline with internal notes, reply box, canned replies, guidance, the MSME at a glance, actions).

A tenant's agents work their tenant's tickets; a division's agents the tickets routed to their division
(the scoped manager gives them nothing else, and the registry is closed to them: they read the names the
ticket keeps, never the MSME's row).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.lists import choice_labels, list_filters_html, list_page, offers_saved_filters, with_labels, with_urls
from apps.core.policies import authorize, can, requires
from apps.guidance import topics as guidance_topics
from apps.helpdesk import canned, followers, routing, selectors, services, uploads
from apps.helpdesk.member_forms import ReplyForm
from apps.helpdesk.models import Message, Queue, QueueAgent, Ticket
from apps.helpdesk.suggestions import articles_for
from apps.registry.models import Msme

WORK = "helpdesk.work_tickets"
PAGE_SIZE = 25
BULK_LIMIT = 100
SUGGESTED_ARTICLES = 5
AUTO_ASSIGN = "auto"


# --- helpers -----------------------------------------------------------------------------------


def _due_soon_after(now: Any) -> Any:
    # The same horizon as the queue's "due soon" filter (apps.helpdesk.filters).
    return now + timedelta(minutes=settings.HELPDESK_SLA_WARNING_MINUTES * 4)


def _due_state(due: Any, now: Any) -> str:
    if due is None:
        return ""
    if due <= now:
        return "breached"
    return "soon" if due <= _due_soon_after(now) else ""


def _with_due(rows: Any, now: Any) -> Any:
    for row in rows:
        row.due = row.next_due_at
        row.due_state = _due_state(row.due, now)
    return rows


def _ticket_for(request: HttpRequest, ticket_pk: Any) -> Ticket:
    """The ticket, if this agent works it: someone who is not an agent is refused (403); another tenant's
    ticket, or one not routed to the agent's division, is not found (404)."""
    authorize(request.actor, WORK)
    ticket = get_object_or_404(selectors.tickets_visible(request.actor, rule=WORK), pk=ticket_pk)
    if not can(request.actor, WORK, ticket):
        raise Http404
    return ticket


def _work_ticket_by_reference(request: HttpRequest, ticket: Ticket, reference: str) -> Ticket | None:
    reference = reference.strip().upper()
    if not reference or len(reference) > Ticket._meta.get_field("reference").max_length:
        return None
    # A division's agents see several tenants' tickets, whose references may repeat: the same tenant's only.
    return (
        selectors.tickets_visible(request.actor, rule=WORK)
        .filter(reference=reference, tenant_id=ticket.tenant_id)
        .first()
    )


def _error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this.")


def _agent_name(user: Any) -> str:
    return (getattr(user, "full_name", "") or user.get_username()).strip()


# --- the queue ---------------------------------------------------------------------------------


@requires(WORK)
@offers_saved_filters
def queue(request: HttpRequest) -> HttpResponse:
    def filtered(filters: Any) -> tuple[Any, QuerySet[Ticket]]:
        return selectors.ticket_queue(request.actor, filters=filters, request=request)

    context = list_page(request, filtered, per_page=PAGE_SIZE)
    rows = with_labels(context["page"].object_list, Ticket, "status", "priority", "tier")
    with_urls(rows, "helpdesk:work")
    _with_due(rows, timezone.now())
    context["filters_html"] = list_filters_html(request, "helpdesk/agent/_filters.html", context)
    context["bulk_agents"] = _bulk_agents(request)
    context["bulk_limit"] = BULK_LIMIT
    context["quick_links"] = _quick_links(request)
    return render(request, "helpdesk/agent/queue.html", context, status=400 if context["filterset"].errors else 200)


def _quick_links(request: HttpRequest) -> list[dict[str, Any]]:
    base = reverse("helpdesk:queue")
    links = [
        (_("All tickets"), {}),
        (_("My tickets"), {"assigned": "me"}),
        (_("Unassigned"), {"assigned": "none"}),
        (_("Due soon"), {"due": "soon"}),
        (_("Breached"), {"due": "breached"}),
    ]
    current = {key: value for key, value in request.GET.items() if key != "page"}
    return [
        {
            "label": label,
            "url": base + ("?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else ""),
            "current": current == params,
        }
        for label, params in links
    ]


def _bulk_agents(request: HttpRequest) -> list[Any]:
    """The agents of the queues this agent sees: whom "Assign to…" offers."""
    memberships = (
        QueueAgent.objects.serving()
        .filter(queue__in=selectors.queues_for(request.actor))
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    agents: dict[Any, Any] = {}
    for membership in memberships:
        agents.setdefault(membership.user_id, membership.user)
    return list(agents.values())


@requires(WORK)
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    back = reverse("helpdesk:queue") + _back_query(request)
    ids = request.POST.getlist("ids")
    action = request.POST.get("action", "")
    if not ids:
        messages.error(request, _("Tick at least one ticket."))
        return redirect(back)
    if len(ids) > BULK_LIMIT:
        messages.error(request, _("Pick at most %(limit)s tickets at a time.") % {"limit": BULK_LIMIT})
        return redirect(back)
    try:
        wanted = {uuid.UUID(value) for value in ids}
    except ValueError:
        messages.error(request, _("Some of the tickets picked were not found."))
        return redirect(back)
    tickets = list(selectors.tickets_visible(request.actor, rule=WORK).filter(pk__in=wanted))
    if len(tickets) != len(wanted):
        messages.error(request, _("Some of the tickets picked were not found."))
        return redirect(back)
    assignee = None
    close = False
    if action == "assign_me":
        assignee = request.user
    elif action == "assign":
        wanted_agent = request.POST.get("assignee", "")
        assignee = next((agent for agent in _bulk_agents(request) if str(agent.pk) == wanted_agent), None)
        if assignee is None:
            messages.error(request, _("Pick an agent to assign the tickets to."))
            return redirect(back)
    elif action == "close":
        close = True
    else:
        messages.error(request, _("Pick an action."))
        return redirect(back)
    try:
        done = services.tickets_bulk(actor=request.actor, tickets=tickets, assignee=assignee, close=close)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _("Nothing was changed: %(reason)s") % {"reason": _error_text(error)})
        return redirect(back)
    if close:
        messages.success(
            request, ngettext("%(count)s ticket closed.", "%(count)s tickets closed.", done) % {"count": done}
        )
    else:
        messages.success(
            request,
            ngettext("%(count)s ticket assigned to %(name)s.", "%(count)s tickets assigned to %(name)s.", done)
            % {"count": done, "name": _agent_name(assignee)},
        )
    return redirect(back)


def _back_query(request: HttpRequest) -> str:
    """The queue's filters the bulk form came from (a query string the form carries back), or none."""
    query = request.POST.get("back", "")
    if not query or len(query) > 1000 or any(char in query for char in "\r\n#/\\"):
        return ""
    return "?" + query.lstrip("?")


# --- the work page -----------------------------------------------------------------------------


def _change_rows(entries: list[Message]) -> None:
    """Sets `change_rows` on each change entry: (field label, old, new) in words, not ids. One query per
    kind of id named, however many entries."""
    user_ids: set[Any] = set()
    queue_ids: set[Any] = set()
    ticket_ids: set[Any] = set()
    for entry in entries:
        for name, pair in entry.changes.items():
            target = {"assignee": user_ids, "queue": queue_ids, "merged_into": ticket_ids}.get(name)
            if target is not None:
                target.update(value for value in pair if value)
    names: dict[str, dict[str, str]] = {
        "status": choice_labels(Ticket, "status"),
        "priority": choice_labels(Ticket, "priority"),
        "tier": choice_labels(Ticket, "tier"),
        "assignee": {},
        "queue": {},
        "merged_into": {},
    }
    if user_ids:
        users = get_user_model().objects.filter(pk__in=user_ids).only("pk", "full_name", "email")
        names["assignee"] = {str(user.pk): _agent_name(user) for user in users}
    if queue_ids:
        queues = Queue.objects.filter(pk__in=queue_ids).values_list("pk", "name")
        names["queue"] = {str(pk): name for pk, name in queues}
    if ticket_ids:
        names["merged_into"] = {
            str(pk): ref for pk, ref in Ticket.objects.filter(pk__in=ticket_ids).values_list("pk", "reference")
        }
    labels = {
        "status": _("status"),
        "priority": _("priority"),
        "tier": _("service tier"),
        "assignee": _("assigned to"),
        "queue": _("queue"),
        "merged_into": _("merged into"),
        "merged": _("merged here"),
    }
    for entry in entries:
        rows = []
        for name, (old, new) in entry.changes.items():
            lookup = names.get(name, {})
            rows.append(
                (
                    labels.get(name, name),
                    lookup.get(str(old), old) if old not in (None, "") else "",
                    lookup.get(str(new), new) if new not in (None, "") else "",
                )
            )
        entry.change_rows = rows


def _guidance(ticket: Ticket) -> list[dict[str, str]]:
    """The ticket's topic article first, then what a search on its subject finds."""
    language = get_language() or ticket.language
    found: dict[str, str] = {}
    topic = guidance_topics.get_topic(ticket.topic) if ticket.topic else None
    if topic is not None:
        found[topic.slug] = guidance_topics.localized(topic.title, language)[0]
    # What the MSME was offered while typing, from the subject: the same search (apps.helpdesk.suggestions).
    for result in articles_for(ticket.subject, language, limit=SUGGESTED_ARTICLES):
        if len(found) >= SUGGESTED_ARTICLES:
            break
        found.setdefault(result.slug, result.title)
    return [
        {"slug": slug, "title": title, "url": reverse("guidance:topic", kwargs={"slug": slug})}
        for slug, title in found.items()
    ]


def _msme_at_a_glance(request: HttpRequest, ticket: Ticket) -> dict[str, Any] | None:
    """The MSME's profile and earlier tickets for the tenant's agents; None in a division's scope, where
    the registry is closed (the page shows the names the ticket keeps)."""
    if request.actor.tenant is None:
        return None
    msme = Msme.objects.filter(pk=ticket.msme_id).first() if ticket.msme_id else None
    earlier = selectors.earlier_tickets(ticket)
    with_labels(earlier, Ticket, "status")
    with_urls(earlier, "helpdesk:work")
    return {"msme": msme, "earlier": earlier}


def _work_context(request: HttpRequest, ticket: Ticket, **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    entries = list(selectors.timeline(ticket, internal=True))
    _change_rows([entry for entry in entries if entry.kind == Message.Kind.CHANGE])
    agent_name = _agent_name(request.user)
    replies = canned.filled_replies(selectors.canned_replies(ticket), ticket=ticket, agent_name=agent_name)
    with_labels([ticket], Ticket, "status", "priority", "tier")
    in_division = request.actor.tenant is None
    # Links between tickets are the agency's own rows, not routed to divisions: a division has none.
    linked = [] if in_division else selectors.linked_tickets(ticket)
    with_labels(linked, Ticket, "status")
    with_urls(linked, "helpdesk:work")
    context = {
        "ticket": ticket,
        "entries": entries,
        "canned_replies": replies,
        "canned_texts": {str(reply["id"]): reply["body"] for reply in replies},
        "guidance": _guidance(ticket),
        "glance": _msme_at_a_glance(request, ticket),
        "in_division": in_division,
        "statuses": Ticket._meta.get_field("status").choices,
        "queue_agents": routing.agents_of(ticket.queue),
        "transfer_targets": list(selectors.transfer_targets(ticket)),
        "linked": linked,
        "followers": followers.links_for(ticket),
        "merged_into": (
            Ticket.objects.filter(pk=ticket.merged_into_id).only("id", "reference").first()
            if ticket.merged_into_id
            else None
        ),
        "response_state": _due_state(ticket.first_response_due if ticket.first_responded_at is None else None, now),
        "resolution_state": _due_state(ticket.resolution_due if not ticket.is_done else None, now),
        "reply_body": "",
        "reply_internal": False,
        "reply_errors": [],
    }
    context.update(extra)
    return context


@requires(WORK, per_object=True)
def work(request: HttpRequest, ticket_pk: uuid.UUID) -> HttpResponse:
    ticket = _ticket_for(request, ticket_pk)
    return render(request, "helpdesk/agent/work.html", _work_context(request, ticket))


def _back_to_work(ticket: Ticket) -> HttpResponse:
    return redirect("helpdesk:work", ticket_pk=ticket.pk)


@requires(WORK, per_object=True)
@require_POST
def reply(request: HttpRequest, ticket_pk: uuid.UUID) -> HttpResponse:
    ticket = _ticket_for(request, ticket_pk)
    body = request.POST.get("body", "")
    internal = request.POST.get("kind") == "note"
    # The files (a TISC's report): checked by the members' form's rules (count, size, type) before the reply.
    files = ReplyForm(data={"body": body}, files=request.FILES)
    try:
        if not files.is_valid():
            raise ValidationError(files.errors.get("attachments", []))
        with transaction.atomic():  # no reply without the files it was sent with
            message = services.ticket_reply(actor=request.actor, ticket=ticket, body=body, internal=internal)
            if files.cleaned_data["attachments"]:
                uploads.attach_files(ticket, message, files.cleaned_data["attachments"], actor=request.user)
    except ValidationError as error:
        context = _work_context(request, ticket, reply_body=body, reply_internal=internal, reply_errors=error.messages)
        return render(request, "helpdesk/agent/work.html", context, status=400)
    messages.success(request, _("Your internal note was added.") if internal else _("Your reply was sent."))
    return redirect(reverse("helpdesk:work", kwargs={"ticket_pk": ticket.pk}) + "#timeline-end")


@requires(WORK, per_object=True)
@require_POST
def status(request: HttpRequest, ticket_pk: uuid.UUID) -> HttpResponse:
    ticket = _ticket_for(request, ticket_pk)
    try:
        services.ticket_set_status(actor=request.actor, ticket=ticket, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The status is now %(status)s.") % {"status": ticket.get_status_display()})
    return _back_to_work(ticket)


@requires(WORK, per_object=True)
@require_POST
def assign(request: HttpRequest, ticket_pk: uuid.UUID) -> HttpResponse:
    ticket = _ticket_for(request, ticket_pk)
    choice = request.POST.get("assignee", "")
    try:
        if choice == AUTO_ASSIGN:
            services.ticket_auto_assign(actor=request.actor, ticket=ticket)
        elif choice == "":
            services.ticket_assign(actor=request.actor, ticket=ticket, assignee=None)
        else:
            assignee = next((agent for agent in routing.agents_of(ticket.queue) if str(agent.pk) == choice), None)
            if assignee is None:
                raise ValidationError({"assignee": [_("Pick an agent of the ticket's queue.")]})
            services.ticket_assign(actor=request.actor, ticket=ticket, assignee=assignee)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _back_to_work(ticket)
    if ticket.assignee is None:
        messages.success(request, _("The ticket is unassigned."))
    else:
        messages.success(request, _("The ticket is assigned to %(name)s.") % {"name": _agent_name(ticket.assignee)})
    return _back_to_work(ticket)


@requires(WORK, per_object=True)
@require_POST
def transfer(request: HttpRequest, ticket_pk: uuid.UUID) -> HttpResponse:
    ticket = _ticket_for(request, ticket_pk)
    target = next(
        (queue for queue in selectors.transfer_targets(ticket) if str(queue.pk) == request.POST.get("queue", "")),
        None,
    )
    if target is None:
        messages.error(request, _("Pick one of the agency's queues or a WIPO division's."))
        return _back_to_work(ticket)
    try:
        services.ticket_transfer(actor=request.actor, ticket=ticket, queue=target)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _back_to_work(ticket)
    still_ours = selectors.tickets_visible(request.actor, rule=WORK).filter(pk=ticket.pk).exists()
    if target.division or not still_ours:
        # To a division: its agents work it now (the agency still sees it). Back from a division: the
        # division's agents no longer see it at all. Either way the ticket has left this agent's queue.
        messages.success(
            request,
            _("%(reference)s was transferred to %(queue)s.") % {"reference": ticket.reference, "queue": target.name},
        )
        return redirect("helpdesk:queue")
    messages.success(request, _("The ticket was transferred to %(queue)s.") % {"queue": target.name})
    return _back_to_work(ticket)


@requires(WORK, per_object=True)
@require_POST
def merge(request: HttpRequest, ticket_pk: uuid.UUID) -> HttpResponse:
    ticket = _ticket_for(request, ticket_pk)
    into = _work_ticket_by_reference(request, ticket, request.POST.get("reference", ""))
    if into is None:
        messages.error(request, _("No ticket of yours has that reference."))
        return _back_to_work(ticket)
    try:
        services.ticket_merge(actor=request.actor, ticket=ticket, into=into)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _back_to_work(ticket)
    messages.success(
        request, _("%(reference)s was merged into this ticket and closed.") % {"reference": ticket.reference}
    )
    return _back_to_work(into)


@requires(WORK, per_object=True)
@require_POST
def link(request: HttpRequest, ticket_pk: uuid.UUID) -> HttpResponse:
    ticket = _ticket_for(request, ticket_pk)
    if request.actor.tenant is None:
        messages.error(request, _("Only the agency's agents link tickets."))
        return _back_to_work(ticket)
    other = _work_ticket_by_reference(request, ticket, request.POST.get("reference", ""))
    if other is None:
        messages.error(request, _("No ticket of yours has that reference."))
        return _back_to_work(ticket)
    try:
        services.ticket_link(actor=request.actor, ticket=ticket, other=other)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _back_to_work(ticket)
    messages.success(request, _("Linked to %(reference)s.") % {"reference": other.reference})
    return _back_to_work(ticket)


urlpatterns: list[URLPattern] = [
    path("queue/", queue, name="queue"),
    path("queue/bulk/", bulk, name="bulk"),
    path("work/<uuid:ticket_pk>/", work, name="work"),
    path("work/<uuid:ticket_pk>/reply/", reply, name="work-reply"),
    path("work/<uuid:ticket_pk>/status/", status, name="status"),
    path("work/<uuid:ticket_pk>/assign/", assign, name="assign"),
    path("work/<uuid:ticket_pk>/transfer/", transfer, name="transfer"),
    path("work/<uuid:ticket_pk>/merge/", merge, name="merge"),
    path("work/<uuid:ticket_pk>/link/", link, name="link"),
]
