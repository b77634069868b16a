"""Indicator uploads go through the guarded opener: a bomb is refused with its reason, at once when
the zip's directory shows it, else by the import task; nothing is written."""

import pytest

from kieumau.indicators.models import ImportStatus, IndicatorImport, IndicatorValue
from tests.conftest import client_for
from tests.core import bombs
from tests.indicators.conftest import as_upload


def post(client, content: bytes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/indicators/import/", {"file": as_upload(content)})


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (lambda: bombs.wide_row(3_000_000), "nén bất thường"),
        (lambda: bombs.shared_strings(3_500_000, text=b"x" * 75), "quá lớn khi giải nén"),
    ],
    ids=["wide-row", "huge-shared-strings"],
)
def test_bomb_is_refused_on_upload(
    users, catalogue, django_capture_on_commit_callbacks, content, reason
):
    response = post(client_for(users.thaihoa), content(), django_capture_on_commit_callbacks)
    assert response.status_code == 422
    assert reason in response.content.decode()
    assert not IndicatorImport.objects.exists()


def test_blank_rows_bomb_is_refused_by_the_import(
    users, catalogue, django_capture_on_commit_callbacks
):
    client = client_for(users.thaihoa)
    response = post(client, bombs.blank_rows(1_500_000), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    record = IndicatorImport.objects.get()
    assert record.status == ImportStatus.FAILED
    assert [e["message"] for e in record.errors] == [
        "Trang tính có quá 60.100 dòng (kể cả dòng trống); hãy xóa các dòng thừa hoặc chia nhỏ tệp."
    ]
    assert not IndicatorValue.objects.exists()


def test_duplicate_parts_are_refused_on_upload(
    users, catalogue, django_capture_on_commit_callbacks
):
    content = bombs.template_bytes()
    with_twice = bombs.append_member(content, "[Content_Types].xml", b"<Types/>")
    response = post(client_for(users.thaihoa), with_twice, django_capture_on_commit_callbacks)
    assert response.status_code == 422
    assert "hai thành phần cùng tên" in response.content.decode()
