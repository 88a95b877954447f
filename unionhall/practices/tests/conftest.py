import pytest
from django.utils import translation

from unionhall.movements.tests.fixtures import world  # noqa: F401  (the fixture, for every test module here)
from unionhall.practices.tests.fixtures import models_world  # noqa: F401


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; audit labels are written in the installation's language anyway."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
