"""/api/v1/events/: the tenant's events for its members and staff; staff create and edit them; `register`
registers the member's MSME, or (staff) an MSME of the registry on its behalf."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.policies import PolicyPermission
from apps.events import selectors, services
from apps.events.api.serializers import EventSerializer, RegisterSerializer, RegistrationSerializer
from apps.events.models import Event
from apps.events.policies import is_agency_staff
from apps.registry.models import Msme


class EventViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = EventSerializer
    permission_classes = [PolicyPermission]
    policy = {
        "list": "events.view_event",
        "retrieve": "events.view_event",
        "create": "events.manage",
        "update": "events.manage",
        "partial_update": "events.manage",
        "register": "events.register",
    }

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no tenant
            return Event.objects.none()
        return selectors.events_visible(self.request.actor)

    def perform_create(self, serializer: EventSerializer) -> None:
        serializer.instance = services.event_create(actor=self.request.actor, data=dict(serializer.validated_data))

    def perform_update(self, serializer: EventSerializer) -> None:
        serializer.instance = services.event_update(
            actor=self.request.actor, event=serializer.instance, data=dict(serializer.validated_data)
        )

    @extend_schema(
        request=RegisterSerializer,
        responses={201: RegistrationSerializer},
        summary="Register for an event",
        description=(
            "A member registers their MSME (the body may be empty); agency staff register an MSME of the "
            "registry on its behalf (`msme`), naming who attends (default: the MSME's name and address). "
            "Confirmed while a seat is free, else on the waiting list (`status`)."
        ),
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def register(self, request: Request, pk: str | None = None) -> Response:
        event = self.get_object()
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        msme = None
        if data.get("msme") is not None:
            msme = Msme.objects.filter(pk=data["msme"]).first()
            if msme is None:
                raise ValidationError({"msme": [_("No MSME of the registry has this id.")]})
        elif is_agency_staff(request.actor):
            raise ValidationError({"msme": [_("Pick the MSME to register.")]})
        registration = services.registration_create(
            actor=request.actor, event=event, msme=msme, name=data.get("name", ""), email=data.get("email", "")
        )
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)
