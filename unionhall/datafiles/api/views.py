"""The data-job endpoints: record types and their templates, uploads, exports, and the jobs an actor started.

A job, its error report and its exported file are visible only to the person who started it (and to
superusers); anyone else gets 404. Jobs run in the background: creating one answers 202.
"""

import io
from collections.abc import Mapping
from typing import Any

from django.http import FileResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from unionhall.core.api import ScopedViewSet
from unionhall.core.errors import NotFound

from .. import selectors, services, tasks
from ..kinds import kind_get, kind_list
from ..models import DataJob
from ..writing import template_write
from .serializers import (
    ExportSerializer,
    ImportSerializer,
    JobDetailSerializer,
    JobSerializer,
    KindSerializer,
    TemplateQuerySerializer,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv"
KIND_PARAMETER = OpenApiParameter("code", str, OpenApiParameter.PATH, description=_("The record type's code."))
JOB_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("The job's id."))
# The record types' own actions are applied, kind by kind, by the selectors (`datajob_list` → `visible_to`).
OWN_JOBS = "datajob.own"


def _parse(serializer_class: type, data: Any, context: Mapping[str, Any]) -> dict[str, Any]:
    serializer = serializer_class(data=data, context=context)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema_view(list=extend_schema(summary=_("Record types that files can import")))
class KindViewSet(viewsets.ViewSet):
    """Record types (members, ...): their columns, and an empty template to fill in."""

    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}"
    serializer_class = KindSerializer

    def list(self, request: Request) -> Response:
        return Response(KindSerializer(kind_list(), many=True).data)

    @extend_schema(
        summary=_("An empty template of a record type (XLSX)"),
        parameters=[KIND_PARAMETER, TemplateQuerySerializer],
        responses={(200, XLSX_TYPE): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def template(self, request: Request, code: str) -> FileResponse:
        try:
            kind = kind_get(code)
        except NotFound as missing:
            raise NotFound(missing.message) from None  # the resource of the URL, not a field of the request
        lang = _parse(TemplateQuerySerializer, request.query_params, {}).get("lang") or translation.get_language()
        out = io.BytesIO()
        template_write(out, kind=kind, language=lang)
        out.seek(0)
        return FileResponse(out, as_attachment=True, filename=f"{kind.code}-{lang}.xlsx", content_type=XLSX_TYPE)


@extend_schema_view(
    list=extend_schema(summary=_("The data jobs I started, newest first")),
    retrieve=extend_schema(summary=_("One data job"), parameters=[JOB_PARAMETER], responses=JobDetailSerializer),
    create=extend_schema(
        summary=_("Upload a file to import (a dry run unless dry_run is false)"),
        request={"multipart/form-data": ImportSerializer},
        responses={202: JobSerializer},
    ),
)
class DataJobViewSet(ScopedViewSet):
    """Imports and exports, run in the background; each is visible to whoever started it."""

    model = DataJob
    serializer_class = JobSerializer
    lookup_value_regex = r"[0-9]{1,18}"
    pagination_ordering = "-id"
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    scope_actions = {
        "list": OWN_JOBS,
        "retrieve": OWN_JOBS,
        "create": OWN_JOBS,
        "export": OWN_JOBS,
        "confirm": OWN_JOBS,
        "report": OWN_JOBS,
        "download": OWN_JOBS,
    }
    domain_error_fields = {"file_format": "format"}

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no signed-in user
            return DataJob.objects.none()
        actor = self.request.user
        if self.action == "list":
            return selectors.datajob_own_list(actor=actor)
        return selectors.datajob_openable(actor=actor)

    def _job(self, pk: str) -> DataJob:
        return selectors.datajob_own_get(actor=self.request.user, job_id=int(pk))

    def _accepted(self, job: DataJob) -> Response:
        location = self.reverse_action("detail", kwargs={"pk": job.pk})
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(JobSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        job = self._job(pk)
        context = {"errors": selectors.datajob_first_errors(job=job)}
        return Response(JobDetailSerializer(job, context=context).data)

    def create(self, request: Request) -> Response:
        data = _parse(ImportSerializer, request.data, self.get_serializer_context())
        job = tasks.datajob_submit(
            actor=request.user, kind=data["kind"], unit=data["unit"], file=data["file"], dry_run=data["dry_run"]
        )
        return self._accepted(job)

    @extend_schema(
        summary=_("Export a record type of a unit's subtree"), request=ExportSerializer, responses={202: JobSerializer}
    )
    @action(detail=False, methods=["post"])
    def export(self, request: Request) -> Response:
        data = _parse(ExportSerializer, request.data, self.get_serializer_context())
        job = tasks.datajob_export_submit(
            actor=request.user, kind=data["kind"], unit=data["unit"], file_format=data["format"]
        )
        return self._accepted(job)

    @extend_schema(
        summary=_("Import for real the file of a dry run that passed"),
        request=None,
        parameters=[JOB_PARAMETER],
        responses={202: JobSerializer},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        return self._accepted(tasks.datajob_confirm_submit(actor=request.user, job=self._job(pk)))

    @extend_schema(
        summary=_("The error report of an import (XLSX)"),
        parameters=[JOB_PARAMETER],
        responses={(200, XLSX_TYPE): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def report(self, request: Request, pk: str) -> FileResponse:
        job, opened = selectors.datajob_own_report_open(actor=request.user, job_id=int(pk))
        return FileResponse(opened, as_attachment=True, filename=f"errors-{job.pk}.xlsx", content_type=XLSX_TYPE)

    @extend_schema(
        summary=_("The file an export wrote (audited)"),
        parameters=[JOB_PARAMETER],
        responses={(200, XLSX_TYPE): OpenApiTypes.BINARY, (200, CSV_TYPE): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> FileResponse:
        job = self._job(pk)
        opened = services.datajob_download(actor=request.user, job=job)
        content_type = CSV_TYPE if job.file_name.endswith(".csv") else XLSX_TYPE
        return FileResponse(opened, as_attachment=True, filename=job.file_name, content_type=content_type)
