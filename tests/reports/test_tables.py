"""Tables to .xlsx and CSV: typed cells, frozen header, formulas neutralised, BOM, streaming."""

import datetime as dt
import tracemalloc
from decimal import Decimal

import openpyxl
import pytest

from kieumau.reports.tables import Column, Kind, Table, iter_csv, neutralised, write_xlsx


def sample(rows):
    return Table(
        title="Thử",
        columns=[Column("Đơn vị"), Column("Ngày", Kind.DATE), Column("Số", Kind.INTEGER),
                 Column("Tiền", Kind.VND), Column("Tỉ lệ", Kind.PERCENT)],
        rows=rows,
    )


@pytest.mark.parametrize("text", ["=1+1", "+84 912", "-5", "@SUM(A1)", "\tx", "\r=x"])
def test_text_that_starts_like_a_formula_is_neutralised(text):
    assert neutralised(text) == "'" + text


@pytest.mark.parametrize("text", ["Phường Đức Xuân", "1+1", "a=b", ""])
def test_other_text_is_left_alone(text):
    assert neutralised(text) == text


def test_xlsx_has_typed_cells_and_a_frozen_header(tmp_path):
    path = tmp_path / "t.xlsx"
    rows = [("=HYPERLINK(\"x\")", dt.date(2024, 3, 1), 21, 750_000_000, Decimal("0.965"))]
    assert write_xlsx(sample(rows), path) == 1
    sheet = openpyxl.load_workbook(path).active
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Đơn vị", "Ngày", "Số", "Tiền", "Tỉ lệ"]
    name, day, count, money, share = (c.value for c in sheet[2])
    assert name == "'=HYPERLINK(\"x\")"
    assert sheet["A2"].data_type == "s"
    assert day == dt.datetime(2024, 3, 1)
    assert count == 21 and money == 750_000_000 and share == pytest.approx(0.965)
    assert sheet["D2"].number_format == '#,##0 "đ"'


def test_csv_starts_with_a_bom_and_neutralises(tmp_path):
    data = b"".join(iter_csv(sample([("@x", dt.date(2024, 3, 1), 3, 1000, 0.5)])))
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "Đơn vị,Ngày,Số,Tiền,Tỉ lệ"
    assert text.splitlines()[1] == "'@x,2024-03-01,3,1000,0.5"


def test_progress_reaches_the_row_count(tmp_path):
    seen = []
    write_xlsx(sample(("x", None, i, i, 0) for i in range(2500)), tmp_path / "p.xlsx",
               progress=seen.append)
    assert seen[-1] == 2500 and seen[:2] == [1000, 2000]


def _peak_bytes(rows: int, tmp_path) -> int:
    tracemalloc.start()
    write_xlsx(sample(("Công an phường", dt.date(2024, 1, 1), i, i * 1000, 0.5)
                      for i in range(rows)), tmp_path / f"{rows}.xlsx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def test_xlsx_memory_does_not_grow_with_the_rows(tmp_path):
    small, large = _peak_bytes(2_000, tmp_path), _peak_bytes(40_000, tmp_path)
    # Twenty times the rows, nearly the same peak: rows go to disk as they come.
    assert large < small * 2 + 512 * 1024
