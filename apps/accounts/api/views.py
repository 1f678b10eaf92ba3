from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.api.serializers import MeSerializer


class MeView(APIView):
    """Who the caller is: user, role and active tenant (as a token or the session sees them)."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        django_request = request._request
        data = {
            "email": request.user.email,
            "full_name": request.user.full_name,
            "role": django_request.role.value if django_request.role else None,
            "division": request.user.division,
            "tenant": django_request.tenant,
        }
        return Response(MeSerializer(data).data)
