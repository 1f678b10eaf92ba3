"""/api/v1/: the TISC directory (public), the programmes' requests (members send and follow them; the agents
who work their tickets move their stage) and the ADR fee estimate (public)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.policies import PUBLIC, PolicyPermission, PublicAccess
from apps.programmes import adr_fees, green, selectors, services
from apps.programmes.api.serializers import (
    AdrFeeResultSerializer,
    AdrFeesQuerySerializer,
    GreenNeedSerializer,
    GreenQuerySerializer,
    GreenTechnologySerializer,
    ProgrammeRequestSerializer,
    StageSerializer,
    TiscQuerySerializer,
    TiscSerializer,
    request_create_serializer,
)
from apps.programmes.catalogue import ADR, IAP, PROGRAMMES, RESEARCH, TISC, Programme
from apps.programmes.models import GreenNeed, GreenTechnology, ProgrammeRequest, Tisc
from apps.registry.selectors import msme_for_user


class TiscViewSet(viewsets.ReadOnlyModelViewSet):
    """The listed TISCs, filtered by `country` (ISO code) and `service`."""

    serializer_class = TiscSerializer
    permission_classes = [PublicAccess]
    queryset = Tisc.objects.none()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Tisc.objects.none()
        query = TiscQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return selectors.tiscs(country=data.get("country", ""), service=data.get("service", ""))

    @extend_schema(parameters=[TiscQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class _RequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A programme's requests: a member's own (and its MSME's), or those the agent works."""

    programme: Programme
    serializer_class = ProgrammeRequestSerializer
    permission_classes = [PolicyPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    policy = {
        "list": "programmes.view_request",
        "retrieve": "programmes.view_request",
        "create": "programmes.send_request",
        "partial_update": "programmes.work_request",
    }

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return ProgrammeRequest.objects.none()
        rule = "programmes.work_request" if self.action == "partial_update" else "programmes.view_request"
        return selectors.requests_visible(self.request.actor, rule=rule, programme=self.programme.slug)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer_class = request_create_serializer(self.programme.slug)
        form_kwargs = {"country": request.tenant.country} if self.programme is TISC else {}
        serializer = serializer_class(data=request.data, form_kwargs=form_kwargs)
        serializer.is_valid(raise_exception=True)
        form = serializer.validated_data["form"]
        msme = msme_for_user(user=request.user)
        tisc = form.cleaned_data.get("tisc") if self.programme is TISC else None
        if self.programme is TISC and tisc is None:
            tisc = selectors.nearest_tisc(country=request.tenant.country, region=getattr(msme, "region", "") or "")
        try:
            sent = services.request_send(
                actor=request.actor,
                programme=self.programme,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                details=form.details(),
                detail_lines=form.detail_lines(),
                language=services.active_language(),
                msme=msme,
                tisc=tisc,
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(ProgrammeRequestSerializer(sent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StageSerializer, responses=ProgrammeRequestSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        sent = self.get_object()
        serializer = StageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.request_set_stage(actor=request.actor, request=sent, **serializer.validated_data)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(ProgrammeRequestSerializer(sent).data)


def _request_viewset(programme: Programme) -> type[_RequestViewSet]:
    name = f"{programme.slug.title()}RequestViewSet"
    create_schema = extend_schema(
        request=request_create_serializer(programme.slug),
        responses={201: ProgrammeRequestSerializer},
        summary=f"Send a request: {programme.title}",
    )
    return extend_schema_view(create=create_schema)(type(name, (_RequestViewSet,), {"programme": programme}))


TiscRequestViewSet = _request_viewset(TISC)
AdrRequestViewSet = _request_viewset(ADR)
ResearchRequestViewSet = _request_viewset(RESEARCH)
IapRequestViewSet = _request_viewset(IAP)
assert set(PROGRAMMES) == {"tisc", "adr", "research", "iap"}


class AdrFeesView(APIView):
    """A fee estimate of the WIPO Arbitration and Mediation Center; public, no tenant needed."""

    permission_classes = [PublicAccess]

    @extend_schema(
        parameters=[AdrFeesQuerySerializer],
        responses=AdrFeeResultSerializer,
        summary="WIPO mediation, arbitration and domain name dispute fees",
        description=(
            "Totals in US dollars with a line-by-line breakdown; each line names its fee schedule, the date it "
            "applies from (null where no dated source was found) and what was found when the figure was checked. "
            "What the Center sets case by case (arbitrator and mediator fees, expert determination, more than 10 "
            "domain names) is in `notes`, outside the total. Bad input answers 400 naming the field."
        ),
    )
    def get(self, request: Request) -> Response:
        query = AdrFeesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        result = adr_fees.adr_fees(
            procedure=data["procedure"],
            amount=data.get("amount"),
            domains=data["domains"],
            panelists=int(data["panelists"]),
            reduction=data["reduction"],
        )
        return Response(AdrFeeResultSerializer(result).data)


class _GreenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The exchange's published listings of every agency (public), filtered by `category`, `country` (ISO code) and
    `q`; a member lists one for its MSME. Who lists it is never shown: an introduction shares that."""

    permission_classes = [PolicyPermission]
    policy = {"list": PUBLIC, "retrieve": PUBLIC, "create": "programmes.use_green"}
    model: type

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        query = GreenQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        filters = {"category": data.get("category", ""), "country": data.get("country", ""), "text": data.get("q", "")}
        if self.model is GreenTechnology:
            return green.published_technologies(**filters)
        return green.published_needs(**filters)

    @extend_schema(parameters=[GreenQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.get_queryset()
        with green.reading_the_exchange():
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        listing = green.public_listing(self.model, kwargs["pk"], actor=request.actor)
        if listing is None:
            raise NotFound()
        return Response(self.get_serializer(listing).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        msme = msme_for_user(user=request.user)
        if msme is None:
            raise PermissionDenied(_("Your account is not linked to an MSME yet."))
        data = dict(serializer.validated_data)
        try:
            if self.model is GreenTechnology:
                listing = green.technology_create(actor=request.actor, msme=msme, data=data)
            else:
                listing = green.need_create(actor=request.actor, msme=msme, data=data)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(self.get_serializer(listing).data, status=status.HTTP_201_CREATED)


class GreenTechnologyViewSet(_GreenViewSet):
    model = GreenTechnology
    serializer_class = GreenTechnologySerializer


class GreenNeedViewSet(_GreenViewSet):
    model = GreenNeed
    serializer_class = GreenNeedSerializer
