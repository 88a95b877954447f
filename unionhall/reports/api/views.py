"""The reports endpoints: a unit's summary report for a period, and the indicator catalogue.

`summary` answers `summary.report_json(...)`, the body the command line's `--format json` and a
submission's frozen figures share. The unit is the resource asked for: a code the actor may not
see reports of is a 404, exactly like a code that does not exist.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from unionhall.core.errors import NotFound
from unionhall.orgunits.models import Unit
from unionhall.reports import catalogue, selectors
from unionhall.reports.periods import period_clean
from unionhall.reports.summary import report_json
from unionhall.reports.tasks import refresh_if_behind

from .serializers import IndicatorSerializer, SummaryQuerySerializer, SummarySerializer

VIEW = "report.view"


def visible_unit(*, actor: Any, code: str) -> Unit:
    """The unit with this code if the actor may see its reports; otherwise a 404 naming the code."""
    code = code.strip().upper()
    unit = Unit.objects.visible_to(actor, VIEW).filter(code=code).first()
    if unit is None:
        raise NotFound(_("Unit %(code)s was not found.") % {"code": code})
    return unit


class ReportViewSet(viewsets.ViewSet):
    """Read-only reports; nothing here writes."""

    @extend_schema(
        summary=_("A unit's summary report for a period"),
        description=_(
            "Totals of the unit's subtree on the tree as it stood on the period's last day, a row per direct "
            "unit, the previous equal period, targets and the trend. An item shared by several units counts "
            "once in any subtree that holds one of them."
        ),
        parameters=[SummaryQuerySerializer],
        responses={
            200: SummarySerializer,
            404: OpenApiResponse(description=_("No unit with this code among those whose reports you see.")),
        },
    )
    @action(detail=False, methods=["get"], url_path="summary")
    def summary(self, request: Request) -> Response:
        query = SummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        today = timezone.localdate()
        period = period_clean(data["from"], data["to"], today=today)
        unit = visible_unit(actor=request.user, code=data["unit"])
        report = selectors.summary_for(actor=request.user, unit=unit, period=period, today=today, trend=data["trend"])
        refresh_if_behind(report)
        return Response(report_json(report))

    @extend_schema(
        summary=_("The indicators a summary report shows, in the request's language"),
        responses={200: IndicatorSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="indicators")
    def indicators(self, request: Request) -> Response:
        return Response(IndicatorSerializer(catalogue.INDICATORS, many=True).data)
