"""API authentication: DRF tokens, in the user's own language."""

from typing import Any

from rest_framework import authentication
from rest_framework.request import Request

from unionhall.accounts.middleware import activate_user_preferences


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`; then the user's language and formats, as a session would have."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            # The preferences middleware ran before DRF knew who this is.
            activate_user_preferences(request._request, result[0])
        return result
