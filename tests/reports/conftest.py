import pytest

from tests.programs.conftest import manual_set, plan, program  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
