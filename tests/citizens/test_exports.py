"""Exports of answers: streamed CSV with a BOM, xlsx from a temporary file, formulas defused,
memory flat whatever the row count, scope applied."""

import csv
import io
import tracemalloc

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from kieumau.citizens import exports, selectors
from kieumau.citizens.models import SurveyAnswer
from tests.citizens.conftest import THAI_HOA
from tests.conftest import client_for


def many_answers(unit, count: int, comment: str = "tốt") -> None:
    month = timezone.localdate().replace(day=1)
    SurveyAnswer.objects.bulk_create(
        [SurveyAnswer(unit=unit, month=month, procedure="tam_tru", access=5, procedure_score=4,
                      officer=5, result=4, feedback=3, comment=comment)
         for _ in range(count)], batch_size=2000)


@pytest.mark.parametrize("text, expected", [
    ("=1+1", "'=1+1"), ("+84", "'+84"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("bình thường", "bình thường"), ("a=b", "a=b"), (5, 5)])
def test_formula_starts_are_neutralised(text, expected):
    assert exports.neutralise(text) == expected


def test_csv_streams_with_a_bom(thai_hoa, users):
    many_answers(thai_hoa, 3, comment="=HYPERLINK(\"http://x\")")
    response = client_for(users.thaihoa).get(f"/citizens/{THAI_HOA}/export.csv")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "ma_don_vi" and len(rows) == 4
    assert rows[1][1] == "Công an phường Thái Hòa"
    assert rows[1][-1].startswith("'=HYPERLINK")


def test_xlsx_opens_and_holds_every_row(thai_hoa, users):
    many_answers(thai_hoa, 5, comment="@cmd")
    response = client_for(users.nghean).get(f"/citizens/{THAI_HOA}/export.xlsx")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    rows = list(sheet.values)
    assert len(rows) == 6 and rows[1][-1] == "'@cmd"
    assert rows[1][4] == 5  # numbers stay numbers


def test_exports_check_scope(thai_hoa, users):
    assert client_for(users.thainguyen).get(f"/citizens/{THAI_HOA}/export.csv").status_code == 404
    assert client_for(users.viewer).get(f"/citizens/{THAI_HOA}/export.xlsx").status_code == 404


def test_a_province_export_holds_its_communes(thai_hoa, users):
    many_answers(thai_hoa, 2)
    response = client_for(users.nghean).get("/citizens/40/export.csv")
    assert len(b"".join(response.streaming_content).splitlines()) == 3


def test_memory_stays_flat_as_rows_grow(thai_hoa, users):
    """Peak Python memory for 20,000 rows stays near that of 2,000: rows are never all held."""
    month = timezone.localdate().replace(day=1)

    def peak(count: int) -> tuple[int, int]:
        SurveyAnswer.objects.filter(unit=thai_hoa).delete()
        many_answers(thai_hoa, count, comment="góp ý " * 20)
        results = []
        for write in (lambda rows: sum(len(chunk) for chunk in exports.csv_lines(rows)),
                      lambda rows: exports.xlsx_file(rows).close()):
            rows = selectors.answers_for_export(users.ministry, unit=thai_hoa, first=month,
                                                last=month)
            tracemalloc.start()
            write(rows)
            results.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
        return results[0], results[1]

    small_csv, small_xlsx = peak(2_000)
    big_csv, big_xlsx = peak(20_000)
    assert big_csv < small_csv * 2 + 2_000_000, (small_csv, big_csv)
    assert big_xlsx < small_xlsx * 2 + 2_000_000, (small_xlsx, big_xlsx)
