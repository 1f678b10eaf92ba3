from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.lists import StoredValuesListMixin
from apps.core.policies import PolicyPermission
from apps.surveys import selectors, services
from apps.surveys.api.serializers import SurveyListSerializer, SurveyResultsSerializer, SurveySerializer
from apps.surveys.forms import version_number
from apps.surveys.models import Survey, SurveyVersion


def _field_errors(error: DjangoValidationError) -> ValidationError:
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages})


class SurveyViewSet(
    StoredValuesListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [PolicyPermission]
    policy = "surveys.manage_surveys"
    serializer_class = SurveySerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no tenant
            return Survey.objects.none()
        return selectors.surveys_visible(self.request.actor)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return SurveyListSerializer if self.action == "list" else SurveySerializer

    def perform_create(self, serializer: SurveySerializer) -> None:
        data = dict(serializer.validated_data)
        questions = data.pop("questions", [])
        status = data.pop("status", None)
        try:
            survey = services.survey_create(data=data, questions=questions, actor=self.request.user)
            if status:
                self._set_status(survey, status)
        except DjangoValidationError as error:
            raise _field_errors(error) from error
        serializer.instance = survey

    def perform_update(self, serializer: SurveySerializer) -> None:
        data = dict(serializer.validated_data)
        questions = data.pop("questions", None)
        status = data.pop("status", None)
        survey = serializer.instance
        try:
            services.survey_update(survey=survey, data=data, actor=self.request.user)
            if questions is not None:
                services.survey_set_questions(survey=survey, questions=questions, actor=self.request.user)
            if status:
                self._set_status(survey, status)
        except DjangoValidationError as error:
            raise _field_errors(error) from error
        survey.refresh_from_db()
        serializer.instance = survey

    def _set_status(self, survey: Survey, status: str) -> None:
        if status == Survey.Status.OPEN:
            services.survey_open(survey=survey, actor=self.request.user)
        elif status == Survey.Status.CLOSED:
            services.survey_close(survey=survey, actor=self.request.user)
        elif survey.status != status:
            raise ValidationError({"status": [_("An opened survey does not go back to draft.")]})

    @extend_schema(
        responses=SurveyResultsSerializer,
        parameters=[OpenApiParameter("version", int, description="A version number; the current one if omitted.")],
    )
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: Any = None) -> Response:
        """The answers counted per question, for one version of the survey."""
        survey = self.get_object()
        try:
            number = version_number(request.query_params.get("version"), last=survey.version)
        except DjangoValidationError as error:
            raise ValidationError({"version": error.messages}) from error
        try:
            version = selectors.version_of(survey, number)
        except SurveyVersion.DoesNotExist as missing:
            raise Http404 from missing
        return Response(SurveyResultsSerializer(selectors.results(version)).data)
