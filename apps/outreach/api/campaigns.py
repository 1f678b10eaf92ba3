"""The campaigns API: /api/v1/campaigns/ (the agency's staff), messages nested, `send` and `cancel` actions, and
what happened to the deliveries (`counts`) in a campaign's detail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from apps.core.api.serializers import TenantModelSerializer
from apps.core.policies import PolicyPermission
from apps.outreach import rules, selectors, services
from apps.outreach.languages import message_language
from apps.outreach.models import Campaign, CampaignMessage, Segment
from apps.outreach.sending import counts_of
from apps.registry import rules as registry_rules

RULE = "outreach.manage_campaigns"


class MessageLanguageField(serializers.ChoiceField):
    """Any language the registry accepts as an MSME's, checked by the registry's rule and named in its words."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=registry_rules.LANGUAGE_CHOICES, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        text = data if isinstance(data, str) else ""
        code = message_language(text)
        if code is None:
            raise serializers.ValidationError(
                registry_rules.language_error(text) if text else _("Pick a language from the list.")
            )
        return code


class CampaignMessageSerializer(TenantModelSerializer):
    language = MessageLanguageField()
    subject = serializers.CharField(max_length=rules.SUBJECT_MAX)
    body = serializers.CharField(max_length=rules.BODY_MAX)
    short_text = serializers.CharField(max_length=rules.SHORT_TEXT_MAX, required=False, allow_blank=True, default="")

    class Meta:
        model = CampaignMessage
        fields = ["language", "subject", "body", "short_text"]

    def get_validators(self) -> list[Any]:
        return []  # the (campaign, language) uniqueness is the campaign's rule: one message per language

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs


class SegmentField(serializers.PrimaryKeyRelatedField):
    """A segment of the request's tenant (the scoped manager is read per request, not at import)."""

    def get_queryset(self) -> Any:
        return Segment.objects.all()


class CampaignSerializer(TenantModelSerializer):
    segment = SegmentField(allow_null=True, required=False)
    messages = CampaignMessageSerializer(many=True, max_length=len(registry_rules.LANGUAGES), min_length=1)
    fallback_language = serializers.ChoiceField(choices=settings.LANGUAGES)
    link_kind = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    link_value = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "segment",
            "status",
            "fallback_language",
            "link_kind",
            "link_value",
            "scheduled_for",
            "created_at",
            "started_at",
            "finished_at",
            "messages",
        ]
        read_only_fields = ["id", "status", "created_at", "started_at", "finished_at"]


class SkippedCountsSerializer(serializers.Serializer):
    no_consent = serializers.IntegerField()
    unsubscribed = serializers.IntegerField()
    no_address = serializers.IntegerField()
    not_electronic = serializers.IntegerField()
    no_message = serializers.IntegerField()
    cancelled = serializers.IntegerField()


class CountsSerializer(serializers.Serializer):
    """What happened to a campaign's deliveries (one row per MSME and channel)."""

    total = serializers.IntegerField()
    queued = serializers.IntegerField()
    sending = serializers.IntegerField()
    sent = serializers.IntegerField()
    skipped = serializers.IntegerField()
    failed = serializers.IntegerField()
    unsubscribed = serializers.IntegerField()
    skipped_by_reason = SkippedCountsSerializer()


class CampaignDetailSerializer(CampaignSerializer):
    counts = serializers.SerializerMethodField()

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "counts"]

    @extend_schema_field(CountsSerializer)
    def get_counts(self, campaign: Campaign) -> dict[str, Any]:
        return counts_of(campaign)


class CampaignViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Outreach campaigns of the agency. A draft or scheduled campaign can be changed; `send` starts it (once:
    a second call does nothing more), `cancel` stops what is not sent yet."""

    permission_classes = [PolicyPermission]
    policy = {
        "list": RULE,
        "retrieve": RULE,
        "create": RULE,
        "update": RULE,
        "partial_update": RULE,
        "send": RULE,
        "cancel": RULE,
    }

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no tenant
            return Campaign.objects.none()
        queryset = selectors.campaigns_visible(self.request.actor)
        return queryset.prefetch_related("messages")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return CampaignSerializer if self.action == "list" else CampaignDetailSerializer

    def perform_create(self, serializer: CampaignSerializer) -> None:
        data = dict(serializer.validated_data)
        messages = [dict(m) for m in data.pop("messages")]
        serializer.instance = services.campaign_create(data=data, messages=messages, actor=self.request.user)

    def perform_update(self, serializer: CampaignSerializer) -> None:
        campaign = serializer.instance
        data = {name: getattr(campaign, name) for name in services.CAMPAIGN_FIELDS}
        data.update(serializer.validated_data)
        messages = data.pop("messages", None)
        if messages is None:
            messages = list(
                CampaignMessage.objects.filter(campaign=campaign).values("language", "subject", "body", "short_text")
            )
        serializer.instance = services.campaign_update(
            campaign=campaign, data=data, messages=[dict(m) for m in messages], actor=self.request.user
        )

    def _answer(self, campaign: Campaign) -> Response:
        campaign.refresh_from_db()
        return Response(CampaignDetailSerializer(campaign, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=CampaignDetailSerializer, summary="Send the campaign now")
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str | None = None) -> Response:
        campaign = self.get_object()
        services.campaign_send(campaign=campaign, actor=request.user)
        return self._answer(campaign)

    @extend_schema(request=None, responses=CampaignDetailSerializer, summary="Cancel what is not sent yet")
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        campaign = self.get_object()
        services.campaign_cancel(campaign=campaign, actor=request.user)
        return self._answer(campaign)


def register(router: SimpleRouter) -> None:
    """Add this module's viewsets to the outreach router."""
    router.register("campaigns", CampaignViewSet, basename="campaign")
