"""OpenAPI generation: every operation documents the error shape it may answer with."""

from typing import Any

from drf_spectacular import openapi

from .errors import ErrorSerializer

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class AutoSchema(openapi.AutoSchema):
    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403"]
        if "{" in self.path:
            codes.append("404")
        if self.method in WRITE_METHODS:
            codes.append("409")
        return codes

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        return responses
