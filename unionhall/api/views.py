"""The API's own endpoints: the index, the OpenAPI schema, its docs page, and a 404 for the rest."""

from typing import Any

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

ROOT_LINKS = {
    "units": "api:unit-list",
    "grants": "api:grant-list",
    "people": "api:person-list",
    "officers": "api:officer-list",
    "cards": "api:card-list",
    "schema": "api:schema",
    "docs": "api:docs",
}


class ApiRootView(APIView):
    """Links to the collections, the schema and the docs."""

    schema = None

    def get(self, request: Request) -> Response:
        return Response({name: reverse(url_name, request=request) for name, url_name in ROOT_LINKS.items()})


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 description of /api/v1/, for signed-in users."""


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI with its script served as a separate file, so the site's strict CSP holds."""

    url_name = "api:schema"
    template_name = "api/swagger_ui.html"


class UnknownEndpointView(APIView):
    """Anything else under /api/v1/: the error shape, after authentication like everything else."""

    schema = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise NotFound()
