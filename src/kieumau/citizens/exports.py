"""Streaming exports of survey answers: CSV (UTF-8 with BOM, for Excel) row by row, and xlsx
written by xlsxwriter in constant-memory mode to a temporary file that is then streamed.

Memory stays flat whatever the row count: rows come from the database in chunks
(`selectors.answers_for_export` uses `.iterator`), CSV lines are yielded one by one, and
xlsxwriter flushes each row to disk. Cells that a spreadsheet would read as a formula
(= + - @, tab, carriage return at the start) are prefixed with an apostrophe.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

import xlsxwriter

HEADER = ("ma_don_vi", "don_vi", "thang", "thu_tuc", "tiep_can", "thu_tuc_hanh_chinh",
          "can_bo", "ket_qua", "tiep_nhan_gop_y", "gop_y")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cells(row) -> list:
    unit_code, unit_name, month, *rest = row
    return [neutralise(unit_code), neutralise(f"Công an {unit_name[:1].lower()}{unit_name[1:]}"),
            month.strftime("%Y-%m"), *(neutralise(v) for v in rest)]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield "\ufeff".encode() + writer.writerow(HEADER).encode()
    buffer = []
    for row in rows:
        buffer.append(writer.writerow(_cells(row)))
        if len(buffer) >= 500:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def xlsx_file(rows: Iterable) -> IO[bytes]:
    """The workbook in an anonymous temporary file, rewound; the caller streams and closes it."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "in_memory": False,
                                            "strings_to_formulas": False,
                                            "strings_to_urls": False})
    sheet = workbook.add_worksheet("khao_sat")
    bold = workbook.add_format({"bold": True})
    for column, name in enumerate(HEADER):
        sheet.write_string(0, column, name, bold)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(_cells(row)):
            if isinstance(value, int):
                sheet.write_number(number, column, value)
            else:
                sheet.write_string(number, column, str(value))
    workbook.close()
    handle.seek(0)
    return handle
