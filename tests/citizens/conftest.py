import re

import pytest
from django.test import Client

from tests.conftest import unit

THAI_HOA = "16939"  # phường Thái Hòa, Nghệ An
DUC_XUAN = "01840"  # phường Đức Xuân, Thái Nguyên
GOOD = {"procedure": "tam_tru", "score_access": "5", "score_procedure": "4", "score_officer": "5",
        "score_result": "4", "score_feedback": "4", "comment": "Cán bộ nhiệt tình"}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def thai_hoa(db):
    return unit(THAI_HOA)


@pytest.fixture
def duc_xuan(db):
    return unit(DUC_XUAN)


def form_token(client: Client, code: str = THAI_HOA) -> str:
    page = client.get(f"/s/{code}/")
    assert page.status_code == 200, page.status_code
    return re.search(r'name="token" value="([^"]+)"', page.content.decode())[1]


def answer(client: Client | None = None, unit_code: str = THAI_HOA, **changes):
    """Open the form as a resident would, then post it (with `changes` to the good answer)."""
    client = client or Client()
    data = {**GOOD, "token": form_token(client, unit_code), **changes}
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(f"/s/{unit_code}/", data, REMOTE_ADDR="203.0.113.7")


def stored_answers() -> int:
    from kieumau.citizens.models import SurveyAnswer

    return SurveyAnswer.objects.count()
from tests.committed import committed  # noqa: E402, F401  (fixture: data committed for real)
