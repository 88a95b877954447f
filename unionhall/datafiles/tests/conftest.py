import pytest

from unionhall.datafiles import kinds

from .renames import KIND


@pytest.fixture(autouse=True)
def renames_kind():
    kinds.register(KIND)
    yield KIND
    kinds.unregister(KIND.code)


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
