from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django_filters import utils as filter_utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.policies import PolicyPermission, can
from apps.helpdesk import selectors, services
from apps.helpdesk.api.serializers import (
    PUBLIC_CHANGES,
    AssignSerializer,
    MessageCreateSerializer,
    MessageSerializer,
    RateSerializer,
    StatusSerializer,
    TicketCreateSerializer,
    TicketSerializer,
    TransferSerializer,
)
from apps.helpdesk.filters import TicketFilterSet
from apps.helpdesk.models import Message, Ticket
from apps.registry import selectors as registry_selectors

# What an MSME may filter its own tickets by: the rest (tier, queue, assignment, SLA) is the agents' business.
MEMBER_FILTERS = ("status", "priority", "topic", "q")


class TicketFilterBackend(DjangoFilterBackend):
    """The agents' queue filters (TicketFilterSet, as on the queue page). Bad values are a 400 naming the
    parameter for every caller; an MSME's list applies only the filters about what it may see."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        filterset = TicketFilterSet(request.query_params, queryset=queryset, request=request)
        if not filterset.is_valid():
            raise filter_utils.translate_validation(filterset.errors)
        if can(request.actor, "helpdesk.work_tickets"):
            return filterset.qs
        for name in MEMBER_FILTERS:
            queryset = filterset.filters[name].filter(queryset, filterset.form.cleaned_data.get(name))
        return queryset


def _language(request: Request) -> str:
    """The request's language, as one of the portal's."""
    language = (getattr(request, "LANGUAGE_CODE", "") or translation.get_language() or "").lower()
    codes = {code for code, _name in settings.LANGUAGES}
    if language in codes:
        return language
    base = language.split("-")[0]
    return base if base in codes else settings.LANGUAGE_CODE.split("-")[0]


class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Helpdesk tickets. MSME members open tickets and follow, reply to, close and rate their own; agents
    work their queue (a division's agents: the tickets routed to their division) and see its internals."""

    serializer_class = TicketSerializer
    permission_classes = [PolicyPermission]
    policy = {
        "list": "helpdesk.view_ticket",
        "retrieve": "helpdesk.view_ticket",
        "create": "helpdesk.open_ticket",
        "messages": "helpdesk.view_ticket",
        "add_message": "helpdesk.reply",
        "assign": "helpdesk.work_tickets",
        "transfer": "helpdesk.work_tickets",
        "set_status": "helpdesk.work_tickets",
        "close": "helpdesk.close_own",
        "rate": "helpdesk.rate",
    }
    filter_backends = [TicketFilterBackend]
    filterset_class = TicketFilterSet

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no tenant
            return Ticket.objects.none()
        actor = self.request.actor
        if self.action == "list" and can(actor, "helpdesk.work_tickets"):
            _filterset, queue = selectors.ticket_queue(actor)
            return queue
        return selectors.tickets_visible(actor)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Only the list filters; a ticket's own routes look it up by id alone.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["internal"] = can(self.request.actor, "helpdesk.work_tickets")
        return context

    def _ticket_answer(self, ticket: Ticket, *, code: int = status.HTTP_200_OK) -> Response:
        internal = can(self.request.actor, "helpdesk.read_internal", ticket)
        context = {**self.get_serializer_context(), "internal": internal}
        return Response(TicketSerializer(ticket, context=context).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._ticket_answer(self.get_object())

    @extend_schema(
        request=TicketCreateSerializer,
        responses={201: TicketSerializer},
        summary="Open a ticket",
        description=(
            "An MSME member asks its agency's helpdesk. The ticket is routed by topic, language and service tier, "
            "and answers with its reference, status and due times (first answer, resolution)."
        ),
    )
    def create(self, request: Request) -> Response:
        serializer = TicketCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ticket = services.ticket_open(
            actor=request.actor,
            subject=data["subject"],
            body=data["body"],
            topic=data["topic"],
            language=data.get("language") or _language(request),
            priority=data["priority"],
            msme=registry_selectors.msme_for_user(user=request.user),
            via=Message.Via.API,
        )
        return self._ticket_answer(ticket, code=status.HTTP_201_CREATED)

    @extend_schema(
        responses=MessageSerializer(many=True),
        summary="A ticket's timeline",
        description=(
            "Replies and changes, oldest first. Internal notes are listed for the ticket's agents only; an MSME "
            "sees the changes of status and priority only."
        ),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def messages(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        internal = can(request.actor, "helpdesk.read_internal", ticket)
        timeline = selectors.timeline(ticket, internal=internal)
        if not internal:
            public = Q(changes__has_key=PUBLIC_CHANGES[0])
            for name in PUBLIC_CHANGES[1:]:
                public |= Q(changes__has_key=name)
            timeline = timeline.exclude(Q(kind=Message.Kind.CHANGE) & ~public)
        page = self.paginate_queryset(timeline)
        data = MessageSerializer(page, many=True, context={"internal": internal}).data
        return self.get_paginated_response(data)

    @extend_schema(
        request=MessageCreateSerializer,
        responses={201: MessageSerializer},
        summary="Reply, or write an internal note",
        description=(
            "A public reply (the MSME on its open tickets, an agent on the tickets it works) or, with "
            "`internal: true`, an internal note: only the ticket's agents may write one; anyone else is "
            "refused with a 403 and nothing is posted."
        ),
    )
    @messages.mapping.post
    def add_message(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        serializer = MessageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.ticket_reply(
            actor=request.actor,
            ticket=ticket,
            body=serializer.validated_data["body"],
            internal=serializer.validated_data["internal"],
            via=Message.Via.API,
        )
        internal = can(request.actor, "helpdesk.read_internal", ticket)
        return Response(MessageSerializer(message, context={"internal": internal}).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AssignSerializer,
        responses=TicketSerializer,
        summary="Assign the ticket",
        description="To one of its queue's agents (`assignee`), to nobody (`assignee: null`), or `auto: true`.",
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("auto"):
            ticket = services.ticket_auto_assign(actor=request.actor, ticket=ticket, via=Message.Via.API)
        else:
            assignee = None
            if data["assignee"] is not None:
                assignee = get_user_model().objects.filter(pk=data["assignee"], is_active=True).first()
                if assignee is None:
                    raise ValidationError({"assignee": [_("Pick an agent of the ticket's queue.")]})
            ticket = services.ticket_assign(actor=request.actor, ticket=ticket, assignee=assignee, via=Message.Via.API)
        return self._ticket_answer(ticket)

    @extend_schema(
        request=TransferSerializer,
        responses=TicketSerializer,
        summary="Transfer the ticket to another queue",
        description=(
            "To another of its agency's queues or to a WIPO division's, and back. The ticket keeps its agency; "
            "a division's agents who transfer it away no longer see it."
        ),
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        serializer = TransferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        queue_id = serializer.validated_data["queue"]
        if queue_id != ticket.queue_id:
            queue = selectors.transfer_targets(ticket).filter(pk=queue_id).first()
            if queue is None:
                raise ValidationError({"queue": [_("Pick one of the agency's queues or a WIPO division's.")]})
            ticket = services.ticket_transfer(actor=request.actor, ticket=ticket, queue=queue, via=Message.Via.API)
        return self._ticket_answer(ticket)

    @extend_schema(
        request=StatusSerializer,
        responses=TicketSerializer,
        summary="Change the ticket's status",
        description="Waiting on the customer pauses the SLA clock; resolved and closed stop it.",
    )
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def set_status(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket = services.ticket_set_status(
            actor=request.actor, ticket=ticket, status=serializer.validated_data["status"], via=Message.Via.API
        )
        return self._ticket_answer(ticket)

    @extend_schema(
        request=None,
        responses=TicketSerializer,
        summary="Close one's own ticket",
        description="The MSME has its answer. A closed ticket cannot be closed again (403).",
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        ticket = services.ticket_close_own(actor=request.actor, ticket=self.get_object(), via=Message.Via.API)
        return self._ticket_answer(ticket)

    @extend_schema(
        request=RateSerializer,
        responses=TicketSerializer,
        summary="Rate the answer",
        description="Once, after the ticket is resolved: good or bad, and a comment. Otherwise a 403.",
    )
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        serializer = RateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket = services.ticket_rate(
            actor=request.actor,
            ticket=ticket,
            rating=serializer.validated_data["rating"],
            comment=serializer.validated_data["comment"],
        )
        return self._ticket_answer(ticket)
