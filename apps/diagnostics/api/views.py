from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import CSRFCheck
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.policies import PUBLIC, PolicyPermission, PublicAccess, can
from apps.diagnostics import plan, selectors, services
from apps.diagnostics.api.serializers import (
    AssessmentRequestSerializer,
    AssessmentResultSerializer,
    AssessmentSerializer,
    QuestionnaireQuerySerializer,
    QuestionnaireSerializer,
)
from apps.diagnostics.api.throttling import VisitorAssessmentThrottle
from apps.diagnostics.models import Assessment
from apps.diagnostics.questionnaire import UnknownVersion, get_questionnaire, questionnaire_as_dict
from apps.diagnostics.session import remember_visitor_assessment
from apps.registry import selectors as registry_selectors


def _named_errors(error: DjangoValidationError) -> dict[str, Any]:
    """The scoring's errors, with the questions' ones under "answers" (each named by its question id)."""
    errors = error.message_dict if hasattr(error, "error_dict") else {"answers": error.messages}
    top = {key: value for key, value in errors.items() if key in {"answers", "version"}}
    questions = {key: value for key, value in errors.items() if key not in top}
    return {**top, **({"answers": questions} if questions else {})}


def _same_site(request: Request) -> bool:
    """Whether an anonymous request passes Django's CSRF check. Only then may it put a result in the
    session: a cross-site form could otherwise plant answers that a later sign-in saves to an MSME.
    Programs without a session still get their 201 and the id."""
    check = CSRFCheck(lambda _request: None)
    check.process_request(request._request)
    return check.process_view(request._request, None, (), {}) is None


class QuestionnaireView(APIView):
    """The questionnaire, in the request's language; public."""

    permission_classes = [PublicAccess]

    @extend_schema(
        parameters=[QuestionnaireQuerySerializer],
        responses=QuestionnaireSerializer,
        summary="The IP-maturity questionnaire",
        description=(
            "Questions by area. A single-choice question lists its options from the least to the most mature "
            "answer. `show_if`: the question is asked only when every condition holds; answers to questions "
            "that are not shown are ignored."
        ),
    )
    def get(self, request: Request) -> Response:
        query = QuestionnaireQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            questionnaire = get_questionnaire(query.validated_data.get("version"))
        except UnknownVersion:
            raise ValidationError({"version": ["Unknown questionnaire version."]}) from None
        return Response(QuestionnaireSerializer(questionnaire_as_dict(questionnaire)).data)


class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Take the diagnostic (POST) and read stored assessments."""

    serializer_class = AssessmentSerializer
    # Anyone may take the diagnostic; stored assessments are for MSME members and agency staff.
    permission_classes = [PolicyPermission]
    policy = {"create": PUBLIC, "list": "diagnostics.view_assessment", "retrieve": "diagnostics.view_assessment"}
    filter_backends: list[Any] = []

    def get_throttles(self) -> list[Any]:
        return [VisitorAssessmentThrottle()] if self.action == "create" else super().get_throttles()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no tenant
            return Assessment.objects.none()
        msme_id = self.request.query_params.get("msme") if self.action == "list" else None
        if msme_id:
            # Checked for every caller (a member's is ignored): the schema promises a UUID.
            try:
                msme_id = str(uuid.UUID(msme_id))
            except ValueError:
                raise ValidationError({"msme": ["Not a valid UUID."]}) from None
        # Only who reads every assessment of the tenant picks an MSME; a member's `msme` is ignored.
        browse = can(self.request.actor, "diagnostics.browse_assessments")
        return selectors.assessments_visible(self.request.actor, msme_id=msme_id if browse else None)

    @extend_schema(
        parameters=[OpenApiParameter("msme", OpenApiTypes.UUID, description="Agency staff: one MSME's (its id).")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=AssessmentResultSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assessment = self.get_object()
        return Response(
            AssessmentResultSerializer(assessment, context={"actions": plan.actions_for_assessment(assessment)}).data
        )

    @extend_schema(
        request=AssessmentRequestSerializer,
        responses={201: AssessmentResultSerializer},
        summary="Take the diagnostic",
        description=(
            "Scores the answers and answers the level, the score per area, the reasons and the action plan. "
            "A visitor's assessment is kept in their session until they register their business; an MSME "
            "member's is saved to their MSME; agency staff record one for an MSME of their agency (`msme`). "
            "An unknown question or answer is a 400 naming the question."
        ),
    )
    def create(self, request: Request) -> Response:
        payload = AssessmentRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        answers, version = payload.validated_data["answers"], payload.validated_data.get("version")
        msme_id = payload.validated_data.get("msme")
        msme, source = self._target_msme(request, msme_id)
        try:
            if msme is None:
                visitor_assessment = services.visitor_assessment_create(answers, version)
            else:
                assessment = services.assessment_record(
                    msme=msme, answers=answers, version=version, actor=request.user, source=source
                )
        except DjangoValidationError as error:
            raise ValidationError(_named_errors(error)) from None
        if msme is None:
            if _same_site(request):
                remember_visitor_assessment(request._request, visitor_assessment)
            data = AssessmentResultSerializer(
                visitor_assessment, context={"actions": plan.actions_for_visitor(visitor_assessment)}
            ).data
        else:
            data = AssessmentResultSerializer(
                assessment, context={"actions": plan.actions_for_assessment(assessment)}
            ).data
        return Response(data, status=status.HTTP_201_CREATED)

    def _target_msme(self, request: Request, msme_id: Any) -> tuple[Any, str]:
        if can(request.actor, "diagnostics.record_assessment"):
            if not msme_id:
                raise ValidationError({"msme": ["Agency staff record an assessment for an MSME: give its id."]})
            visible = registry_selectors.msmes_visible(request.actor, rule="diagnostics.record_assessment")
            msme = visible.filter(pk=msme_id).first()
            if msme is None:
                raise ValidationError({"msme": ["No MSME of your agency has this id."]})
            return msme, Assessment.Source.AGENCY
        if can(request.actor, "diagnostics.self_assess"):
            own = registry_selectors.msme_for_user(user=request.user)
            if msme_id and (own is None or own.pk != msme_id):
                raise ValidationError({"msme": ["You can only assess your own MSME."]})
            if own is not None:
                return own, Assessment.Source.SELF
        elif msme_id:
            raise ValidationError({"msme": ["Only MSME members and agency staff can assess an MSME."]})
        return None, Assessment.Source.VISITOR
