from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.guidance.api.serializers import PctDeadlinesQuerySerializer, PctDeadlinesSerializer
from apps.guidance.calculators import pct

LIMIT_KEYS = ("priority_deadline", "international_publication", "chapter_ii_demand", "national_phase")


class PctDeadlinesView(APIView):
    """PCT time limits from a priority date; public, no tenant needed."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[PctDeadlinesQuerySerializer],
        responses=PctDeadlinesSerializer,
        summary="PCT time limits from a priority date",
        description=(
            "Months counted as PCT Rule 80.2 says. A limit ending on a day the Office is closed moves to the next "
            "working day (PCT Rule 80.5): the dates returned are not moved. Each limit carries its source and the "
            "date that source applies from."
        ),
    )
    def get(self, request: Request) -> Response:
        query = PctDeadlinesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        priority_date = query.validated_data["priority_date"]
        search_report_date = query.validated_data.get("search_report_date")
        deadlines = pct.pct_deadlines(priority_date=priority_date, search_report_date=search_report_date)
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
