from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.policies import PublicAccess
from apps.guidance.api.serializers import (
    FeeResultSerializer,
    HagueFeesQuerySerializer,
    MadridFeesQuerySerializer,
    PctDeadlinesQuerySerializer,
    PctDeadlinesSerializer,
    PctFeeResultSerializer,
    PctFeesQuerySerializer,
    RouteComparisonQuerySerializer,
    RouteComparisonSerializer,
)
from apps.guidance.calculators import fees, pct, routes

LIMIT_KEYS = ("priority_deadline", "international_publication", "chapter_ii_demand", "national_phase")


class PctDeadlinesView(APIView):
    """PCT time limits from a priority date; public, no tenant needed."""

    permission_classes = [PublicAccess]

    @extend_schema(
        parameters=[PctDeadlinesQuerySerializer],
        responses=PctDeadlinesSerializer,
        summary="PCT time limits from a priority date",
        description=(
            "Months counted as PCT Rule 80.2 says. A limit ending on a day the Office is closed moves to the next "
            "working day (PCT Rule 80.5): the dates returned are as counted, and with `office` each limit also "
            "gives `office_date`, the day it ends at that office (its weekend and public holidays skipped). Each "
            "limit carries its source and the date that source applies from."
        ),
    )
    def get(self, request: Request) -> Response:
        query = PctDeadlinesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        priority_date = query.validated_data["priority_date"]
        search_report_date = query.validated_data.get("search_report_date")
        deadlines = pct.pct_deadlines(
            priority_date=priority_date,
            search_report_date=search_report_date,
            office=query.validated_data["office"] or None,
        )
        by_id = {deadline.id: deadline.date for deadline in deadlines}
        counting, working_day = pct.counting_rule(), pct.working_day_rule()
        data = {
            "priority_date": priority_date,
            "search_report_date": search_report_date,
            **{key: by_id[key] for key in LIMIT_KEYS},
            "national_phase_31_month_offices": pct.national_phase_31_month_offices(priority_date=priority_date),
            "national_phase_31_month_offices_note": pct.offices_note(),
            "limits": deadlines,
            "rule_80_2": f"{counting.text} ({counting.source})",
            "rule_80_5": f"{working_day.text} ({working_day.source})",
        }
        return Response(PctDeadlinesSerializer(data).data)


class _FeeView(APIView):
    """A fee calculator: validate the query, answer the lines and the total in CHF."""

    permission_classes = [PublicAccess]
    query_serializer: type[serializers.Serializer]

    def calculate(self, data: dict[str, Any]) -> fees.FeeResult:
        raise NotImplementedError

    def get(self, request: Request) -> Response:
        query = self.query_serializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = self.calculate(query.validated_data)
        return Response(FeeResultSerializer(result).data)


FEES_DESCRIPTION = (
    "Totals in Swiss francs with a line-by-line breakdown; each line names its fee schedule, the date it applies "
    "from (null where no dated source was found) and what was found when the figure was checked. Bad input answers "
    "400 naming the field."
)


class PctFeesView(_FeeView):
    """PCT international filing fee; public, no tenant needed."""

    query_serializer = PctFeesQuerySerializer

    def calculate(self, data: dict[str, Any]) -> fees.FeeResult:
        return fees.pct_fees(
            sheets=data["sheets"],
            efiling=data["efiling"],
            reduction=data["reduction"],
            receiving_office=data["receiving_office"],
            isa=data["isa"] or None,
        )

    @extend_schema(
        parameters=[PctFeesQuerySerializer],
        responses=PctFeeResultSerializer,
        summary="PCT fees paid to the receiving Office",
        description=FEES_DESCRIPTION
        + " The total is what is paid to the receiving Office (default: the International Bureau, IB): the "
        "international filing fee, the Office's transmittal fee and, with `isa`, the Authority's search fee, in "
        "CHF. An amount in another currency is converted at the WIPO PCT Applicant's Guide's own equivalents of "
        "the international filing fee (the line's note says so); an amount not known has `amount` null, and "
        "`complete` false with `left_out` naming it. Office and search fees are from the Guide's Annexes C and D "
        "as applicable from late 2023 to May 2024.",
    )
    def get(self, request: Request) -> Response:
        query = self.query_serializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(PctFeeResultSerializer(self.calculate(query.validated_data)).data)


class MadridFeesView(_FeeView):
    """Madrid international trademark application fees; public, no tenant needed."""

    query_serializer = MadridFeesQuerySerializer

    def calculate(self, data: dict[str, Any]) -> fees.FeeResult:
        return fees.madrid_fees(
            colour=data["colour"],
            classes=data["classes"],
            designations=data["designations"],
            ldc=data["ldc"],
            complementary_designations=data["complementary_designations"],
        )

    @extend_schema(
        parameters=[MadridFeesQuerySerializer],
        responses=FeeResultSerializer,
        summary="Madrid international application fees",
        description=FEES_DESCRIPTION + " Unknown office codes are an error, not a zero.",
    )
    def get(self, request: Request) -> Response:
        return super().get(request)


class HagueFeesView(_FeeView):
    """Hague international design application fees; public, no tenant needed."""

    query_serializer = HagueFeesQuerySerializer

    def calculate(self, data: dict[str, Any]) -> fees.FeeResult:
        return fees.hague_fees(
            designs=data["designs"],
            reproductions=data["reproductions"],
            extra_pages=data["extra_pages"],
            standard_level_designations={level: data[f"level_{level}"] for level in fees.HAGUE_LEVELS},
        )

    @extend_schema(
        parameters=[HagueFeesQuerySerializer],
        responses=FeeResultSerializer,
        summary="Hague international design application fees",
        description=FEES_DESCRIPTION,
    )
    def get(self, request: Request) -> Response:
        return super().get(request)


class RouteComparisonView(APIView):
    """National filings against the international route for the chosen countries; public, no tenant needed."""

    permission_classes = [PublicAccess]

    @extend_schema(
        parameters=[RouteComparisonQuerySerializer],
        responses=RouteComparisonSerializer,
        summary="Route comparison: national filings against Madrid, Hague or PCT",
        description=(
            "For a mark, a design or an invention and a list of countries (ISO codes): each country's national "
            "filing fee in the office's own currency (not converted; totals per currency; has_data false where no "
            "figure is documented) and the international route (Madrid, Hague or PCT) in Swiss francs with its "
            "lines and the countries it could not count. For PCT only the international filing fee is given: the "
            "national phase costs come at month 30. Bad input (unknown right, unknown or undocumented country, "
            "negative count) answers 400 naming the field."
        ),
    )
    def get(self, request: Request) -> Response:
        query = RouteComparisonQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        comparison = routes.compare_routes(**query.validated_data)
        return Response(RouteComparisonSerializer(comparison).data)
