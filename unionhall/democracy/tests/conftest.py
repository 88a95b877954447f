import pytest
from django.utils import translation

from unionhall.democracy.tests.fixtures import world  # noqa: F401  (the fixture, for every test module here)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; audit labels are written in the installation's language anyway."""
    with translation.override("en"):
        yield
