"""GET /api/v1/msmes/<uuid>/plan/: an MSME's tailored action plan (same access as its page)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.policies import PolicyPermission
from apps.plan.pages import plan_for_msme
from apps.registry import selectors


class PlanActionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    why = serializers.CharField(help_text="Why it was chosen: the fact about the business that triggered it.")
    topic = serializers.CharField(allow_blank=True, help_text="A guidance topic slug, or empty for the guidance index.")
    topic_url = serializers.CharField()
    cost = serializers.CharField(help_text="An estimate with its basis, or where to ask when no figure is sourced.")
    deadline = serializers.DateField(allow_null=True)
    deadline_label = serializers.CharField(allow_blank=True)


class PlanMsmeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class MsmePlanSerializer(serializers.Serializer):
    msme = PlanMsmeSerializer()
    generated_on = serializers.DateField()
    level = serializers.IntegerField(allow_null=True, help_text="IP maturity level 1-5; null when not assessed.")
    actions = PlanActionSerializer(many=True)


class MsmePlanView(APIView):
    """An MSME's action plan: members their own MSME's, agency staff any of their tenant's (404 otherwise)."""

    permission_classes = [PolicyPermission]
    policy = "registry.view_msme"

    @extend_schema(responses=MsmePlanSerializer, summary="An MSME's tailored action plan")
    def get(self, request: Request, pk: str) -> Response:
        msme = get_object_or_404(selectors.msmes_visible(request.actor), pk=pk)
        plan = plan_for_msme(msme)
        data = {
            "msme": {"id": msme.pk, "name": msme.name},
            "generated_on": plan.generated_on,
            "level": plan.level,
            "actions": plan.action_dicts(),
        }
        return Response(MsmePlanSerializer(data).data)
