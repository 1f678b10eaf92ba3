from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.api.serializers import MeSerializer
from apps.core.policies import SIGNED_IN, PolicyPermission


class MeView(APIView):
    """Who the caller is: user, role and active tenant (as a token or the session sees them)."""

    permission_classes = [PolicyPermission]
    policy = SIGNED_IN

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        actor = request.actor
        data = {
            "email": request.user.email,
            "full_name": request.user.full_name,
            "role": actor.role.value if actor.role else None,
            "division": request.user.division,
            "tenant": actor.tenant,
        }
        return Response(MeSerializer(data).data)
