"""Tables as data, written to .xlsx and CSV as they stream: no Django here.

A `Table` is a title, typed columns and an iterable of rows; the writers pull rows one at a time,
so memory stays flat whatever the number of rows (xlsxwriter in constant-memory mode writes each
row to disk as it goes; CSV is yielded chunk by chunk). Every export of the product goes through
these two writers, so every export types its cells and neutralises formulas the same way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

import xlsxwriter

# Text that a spreadsheet would read as a formula (OWASP "CSV injection"): these first characters,
# and the tab / carriage return that some programs strip before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_ROW_LIMIT = 1_048_576  # Excel's own
CSV_CHUNK_ROWS = 500


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    YEAR = "year"  # a number written without a thousands separator: 2026, not 2.026
    NUMBER = "number"
    VND = "vnd"  # whole đồng, thousands separated
    PERCENT = "percent"  # a share 0..1 shown as 96,5 %
    DATE = "date"


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT
    width: int = 16


@dataclass
class Table:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    total: int | None = None  # rows, when known in advance: for progress
    note: str = ""  # shown above the header (e.g. "reconstructed criteria")


def neutralised(text: str) -> str:
    """Text that no spreadsheet will run: a leading formula character gets a quote before it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralised(str(value))


Progress = Callable[[int], None]


def write_xlsx(table: Table, path: Path, *, progress: Progress | None = None,
               every: int = 1000) -> int:
    """Write `table` to `path` (one sheet, header frozen); return the number of rows written."""
    workbook = xlsxwriter.Workbook(str(path), {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "default_date_format": "dd/mm/yyyy",
    })
    try:
        sheet = workbook.add_worksheet(_sheet_name(table.title))
        header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                      "bg_color": "#DDE5F0", "border": 1})
        formats = {
            Kind.TEXT: workbook.add_format({"text_wrap": False}),
            Kind.INTEGER: workbook.add_format({"num_format": "#,##0"}),
            Kind.YEAR: workbook.add_format({"num_format": "0"}),
            Kind.NUMBER: workbook.add_format({"num_format": "#,##0.##"}),
            Kind.VND: workbook.add_format({"num_format": '#,##0 "đ"'}),
            Kind.PERCENT: workbook.add_format({"num_format": "0.0%"}),
            Kind.DATE: workbook.add_format({"num_format": "dd/mm/yyyy"}),
        }
        first = 0
        if table.note:
            sheet.write_string(0, 0, neutralised(table.note))
            first = 1
        for index, column in enumerate(table.columns):
            sheet.set_column(index, index, column.width)
            sheet.write_string(first, index, neutralised(column.title), header)
        sheet.freeze_panes(first + 1, 0)
        writers = [_cell_writer(sheet, column.kind, formats) for column in table.columns]
        written = 0
        line = first + 1
        for row in table.rows:
            if line >= SHEET_ROW_LIMIT:
                raise TooManyRows(SHEET_ROW_LIMIT - first - 1)
            for index, value in enumerate(row):
                if value is not None and value != "":
                    writers[index](line, index, value)
            written += 1
            line += 1
            if progress is not None and written % every == 0:
                progress(written)
        if progress is not None:
            progress(written)
        return written
    finally:
        workbook.close()


class TooManyRows(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def _cell_writer(sheet, kind: Kind, formats):
    """A function writing one cell of a column of `kind`: typed numbers and dates, and any
    other value as neutralised text. Chosen once per column, not once per cell."""
    text_format = formats[Kind.TEXT]

    def text(row, col, value):
        sheet.write_string(row, col, _cell_text(value), text_format)

    if kind is Kind.DATE:
        date_format = formats[kind]

        def date(row, col, value):
            if isinstance(value, dt.date):
                if not isinstance(value, dt.datetime):
                    value = dt.datetime(value.year, value.month, value.day)
                sheet.write_datetime(row, col, value, date_format)
            else:
                text(row, col, value)
        return date
    if kind is Kind.TEXT:
        return text
    number_format = formats[kind]

    def number(row, col, value):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            sheet.write_number(row, col, value, number_format)
        elif isinstance(value, Decimal):
            sheet.write_number(row, col, float(value), number_format)
        else:
            text(row, col, value)
    return number


def _sheet_name(title: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip("'") or "Sheet1"
    return cleaned[:31]


def iter_csv(table: Table, *, progress: Progress | None = None) -> Iterator[bytes]:
    """The table as UTF-8 CSV with a BOM (so Excel reads the diacritics), in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([neutralised(column.title) for column in table.columns])
    written = 0
    for row in table.rows:
        writer.writerow([_csv_cell(value, column.kind) for value, column in zip(row, table.columns,
                                                                               strict=False)])
        written += 1
        if written % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            if progress is not None:
                progress(written)
    yield buffer.getvalue().encode("utf-8")
    if progress is not None:
        progress(written)


def _csv_cell(value, kind: Kind) -> str:
    if value is None:
        return ""
    if kind in (Kind.INTEGER, Kind.YEAR, Kind.NUMBER, Kind.VND, Kind.PERCENT) and isinstance(
            value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)  # a bare number, which Excel types itself
    return _cell_text(value)
