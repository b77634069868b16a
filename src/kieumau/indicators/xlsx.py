"""The spreadsheet format for monthly indicator values (openpyxl): writing templates, opening uploads.

Sheet "Chỉ số": row 1 holds machine names (ma_don_vi, ten_don_vi, thang, then one indicator code
per column), row 2 their Vietnamese names, then one row per unit and month. Sheet "Hướng dẫn"
explains the rules. The period (first and last month) is kept in the workbook's custom properties
and shown on "Hướng dẫn"; an upload outside it is refused.
"""

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kieumau.core import uploads
from kieumau.core.sheets import safe_cell, safe_row
from kieumau.indicators.months import month_end, month_label, months_between, parse_month

SHEET = "Chỉ số"
GUIDE = "Hướng dẫn"
UNIT_COLUMN, NAME_COLUMN, MONTH_COLUMN = "ma_don_vi", "ten_don_vi", "thang"
FIRST_DATA_ROW = 3
PROP_FROM, PROP_TO = "kieumau_tu_thang", "kieumau_den_thang"

_HEADER = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_LOCKED_FILL = PatternFill("solid", fgColor="D9D9D9")
_WRAP = Alignment(wrap_text=True, vertical="top")
# Room for the 60,000 data rows an import accepts, the two header rows and a few blank ones.
LIMITS = uploads.Limits(max_rows=60_100, max_columns=256)


class NotATemplate(Exception):
    """The workbook is not one of ours (no "Chỉ số" sheet, no period, no header)."""


def labels() -> tuple[str, str, str]:
    return _("Mã đơn vị"), _("Tên đơn vị"), _("Tháng (YYYY-MM)")


def build_template(
    *,
    units,
    indicators,
    first: dt.date,
    last: dt.date,
    stored: dict[tuple[int, int, dt.date], tuple[Decimal | None, bool]],
    title: str,
) -> bytes:
    """A workbook with one row per unit and month (months the unit existed), pre-filled with the
    stored values; locked values are shaded grey."""
    workbook = Workbook(write_only=True)
    workbook.custom_doc_props.append(StringProperty(name=PROP_FROM, value=month_label(first)))
    workbook.custom_doc_props.append(StringProperty(name=PROP_TO, value=month_label(last)))
    sheet = workbook.create_sheet(SHEET)
    sheet.freeze_panes = "D3"
    for index, width in enumerate([12, 28, 14] + [16] * len(indicators), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    def header(value, *, wrap=False):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # names are text, never formulas
        cell.font, cell.fill = _HEADER, _HEADER_FILL
        if wrap:
            cell.alignment = _WRAP
        return cell

    sheet.append(
        [header(UNIT_COLUMN), header(NAME_COLUMN), header(MONTH_COLUMN)]
        + [header(indicator.code) for indicator in indicators]
    )
    sheet.append(
        [header(text) for text in labels()]
        + [
            header(f"{indicator.name} ({indicator.unit_of_measure})", wrap=True)
            for indicator in indicators
        ]
    )
    months = list(months_between(first, last))
    # An approved assessment locks a whole month: shade its row, not only the stored values.
    closed = {(unit_id, month) for (unit_id, _i, month), (_v, locked) in stored.items() if locked}
    for unit in units:
        for month in months:
            if not unit.exists_on(month_end(month)):
                continue
            code_cell = WriteOnlyCell(sheet, value=unit.code)
            code_cell.number_format = "@"
            month_cell = WriteOnlyCell(sheet, value=month_label(month))
            month_cell.number_format = "@"
            row = [code_cell, safe_cell(sheet, unit.name), month_cell]
            for indicator in indicators:
                value, _locked = stored.get((unit.pk, indicator.pk, month), (None, False))
                cell = WriteOnlyCell(sheet, value=_number(value))
                if (unit.pk, month) in closed:
                    cell.fill = _LOCKED_FILL
                row.append(cell)
            sheet.append(row)
    _write_guide(
        workbook.create_sheet(GUIDE), indicators=indicators, first=first, last=last, title=title
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _write_guide(sheet, *, indicators, first: dt.date, last: dt.date, title: str) -> None:
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 70
    lines = [
        (_("Biểu nhập chỉ số hằng tháng"), title),
        (_("Từ tháng"), month_label(first)),
        (_("Đến tháng"), month_label(last)),
        ("", ""),
        (
            _("Cách điền"),
            _(
                "Mỗi dòng của trang «Chỉ số» là một đơn vị trong một tháng; mỗi cột là "
                "một chỉ số (mã ở dòng 1, tên ở dòng 2). Không sửa dòng 1."
            ),
        ),
        (
            "",
            _(
                "Mã đơn vị là mã của đơn vị tại ngày cuối tháng của dòng đó (mã có thể được dùng "
                "lại cho đơn vị khác sau sắp xếp)."
            ),
        ),
        ("", _("Tháng ghi dạng YYYY-MM và phải nằm trong kỳ trên.")),
        (
            "",
            _(
                "Ô để trống: giữ nguyên giá trị đang có. Muốn xóa một giá trị, dùng trang nhập "
                "theo tháng."
            ),
        ),
        ("", _("Số đếm: số nguyên không âm; tỉ lệ: từ 0 đến 100; có/không: 1 hoặc 0.")),
        ("", _("Ô tô xám: tháng đã khóa vì đánh giá đã được duyệt; không sửa, không thêm được.")),
        (
            "",
            _(
                "Tệp được nhận cả hoặc không: một ô sai thì cả tệp bị từ chối, kèm danh sách "
                "các ô cần sửa (số dòng và mã cột)."
            ),
        ),
        ("", ""),
        (_("Mã chỉ số"), _("Tên, đơn vị tính, kiểu giá trị, cách gộp các tháng")),
    ]
    for label, text in lines:
        sheet.append(safe_row(sheet, [label, text]))
    for indicator in indicators:
        sheet.append(
            safe_row(
                sheet,
                [
                    indicator.code,
                    f"{indicator.name} ({indicator.unit_of_measure}); "
                    f"{indicator.get_value_type_display()}; {indicator.get_aggregation_display()}",
                ],
            )
        )


# --- reading ---------------------------------------------------------------------------------


@dataclass
class Upload:
    first: dt.date
    last: dt.date
    header: list[str]  # row 1, lower-cased, "" where empty
    rows_total: int | None  # data rows, when the file says how many
    rows: Iterator[tuple[int, tuple]]  # (Excel row number, cell values) from row 2 on
    workbook: object
    formulas: list[str]  # cells of the sheet holding a formula ("D7"), the first few

    def close(self) -> None:
        self.workbook.close()


def open_upload(path_or_file) -> Upload:
    """Open an uploaded workbook read-only through the guarded opener; `uploads.UploadRefused`
    for a file over the limits or unreadable, NotATemplate with a Vietnamese message if it is
    not ours."""
    opened = uploads.open_workbook(path_or_file, limits=LIMITS)
    workbook = opened.workbook
    try:
        if SHEET not in workbook.sheetnames:
            raise NotATemplate(
                _("Tệp không có trang «%(sheet)s». Hãy tải biểu mẫu từ hệ thống và nhập vào đó.")
                % {"sheet": SHEET}
            )
        props = {prop.name: prop.value for prop in workbook.custom_doc_props.props}
        try:
            first, last = parse_month(str(props[PROP_FROM])), parse_month(str(props[PROP_TO]))
        except (KeyError, ValueError):
            raise NotATemplate(
                _(
                    "Tệp không ghi kỳ (từ tháng, đến tháng) của biểu mẫu. Hãy tải "
                    "biểu mẫu từ hệ thống và nhập vào đó."
                )
            ) from None
        scan = opened.sheet_scan(SHEET)
        # The bounds come from the scan, never from the dimension the file declares.
        rows = enumerate(
            workbook[SHEET].iter_rows(
                max_row=max(1, scan.max_row), max_col=max(1, scan.max_column), values_only=True
            ),
            start=1,
        )
        first_row = next(rows, (1, ()))[1]
        header = [str(cell).strip().lower() if cell is not None else "" for cell in first_row]
        if UNIT_COLUMN not in header or MONTH_COLUMN not in header:
            raise NotATemplate(
                _("Dòng 1 của trang «%(sheet)s» phải có các cột %(unit)s và %(month)s.")
                % {"sheet": SHEET, "unit": UNIT_COLUMN, "month": MONTH_COLUMN}
            )
        total = max(0, scan.max_row - FIRST_DATA_ROW + 1)
        return Upload(first, last, header, total, rows, workbook, scan.formulas)
    except Exception:
        workbook.close()
        raise


def column_letter(index: int) -> str:
    return get_column_letter(index + 1)


def cells(values: Iterable, width: int) -> list:
    """Pad a row of cell values to the header's width."""
    row = list(values)[:width]
    return row + [None] * (width - len(row))
