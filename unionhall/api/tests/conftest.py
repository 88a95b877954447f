"""API test helpers: clients that sign in with real tokens, as the cast members."""

from collections.abc import Callable, Iterator

import pytest
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from unionhall.core.formatting import Preferences, use_preferences

ACTORS = ["officer", "parent", "sibling", "outsider", "admin"]
EVERYONE = [None, *ACTORS]  # None: anonymous


def token_client(user) -> APIClient:
    """A client that sends `Authorization: Token ...`: a fresh user object on every request."""
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api(cast) -> Callable[[str | None], APIClient]:
    """`api("officer")` signs in as cast.officer; `api(None)` is anonymous.

    The cast reads English, so messages can be compared exactly whatever the catalogues hold.
    """
    type(cast.admin).objects.update(language="en")

    def client(who: str | None) -> APIClient:
        return APIClient() if who is None else token_client(getattr(cast, who))

    return client


@pytest.fixture(autouse=True)
def _forget_the_request_language() -> Iterator[None]:
    """A token request activates its user's language in this thread; later tests start from the default."""
    yield
    translation.deactivate()
    use_preferences(Preferences())
