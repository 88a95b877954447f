import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; audit labels are written in the installation's language anyway."""
    with translation.override("en"):
        yield
