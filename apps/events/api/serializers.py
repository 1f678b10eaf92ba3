"""The events API's serializers: they parse and show; apps.events.rules and the services say what is valid."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from apps.core.api.serializers import NulFreeInputMixin, TenantModelSerializer
from apps.events import rules
from apps.events.models import Event, Registration


class EventSerializer(TenantModelSerializer):
    row_plan = True
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    topics = serializers.ListField(
        child=serializers.CharField(max_length=60), max_length=rules.TOPICS_MAX, required=False
    )
    capacity = serializers.IntegerField(min_value=1, max_value=rules.CAPACITY_MAX, allow_null=True, required=False)

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "online_url",
            "venue",
            "city",
            "language",
            "time_zone",
            "starts_at",
            "ends_at",
            "capacity",
            "registration_open",
            "topics",
            "status",
            "sequence",
        ]
        read_only_fields = ["id", "status", "sequence"]


class RegisterSerializer(NulFreeInputMixin, serializers.Serializer):
    """A member sends nothing (their MSME is registered); staff name the MSME and, optionally, who attends."""

    msme = serializers.UUIDField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=rules.NAME_MAX)
    email = serializers.EmailField(required=False, allow_blank=True)


class RegistrationSerializer(TenantModelSerializer):
    row_plan = True

    class Meta:
        model = Registration
        fields = ["id", "event", "msme", "name", "status", "attended", "created_at"]
        read_only_fields = fields
