"""Opening uploaded zip containers (xlsx, docx) without letting a file cost what it pleases.

Every upload path (indicator spreadsheets, evidence that is Word or Excel, imports to come) opens
its file here before anything parses it:

- `open_zip` reads only the zip's central directory and refuses duplicate member names (two
  "[Content_Types].xml" would let one checker read one and Office the other), too many members,
  members or a total that would be too large once uncompressed, and members that inflate far more
  than real documents do (a deflate bomb). The declared sizes are binding: Python's zipfile stops
  inflating a member at its declared size and then checks its CRC.
- `scan_spreadsheet` then streams every XML part of a workbook with defusedxml (no DTD, no
  entities), keeping almost nothing in memory, and refuses worksheets with too many rows (blank
  rows included: they are what costs time), cells beyond the allowed columns, and shared-string
  tables with too many strings. It notes the cells that hold formulas.
- `open_workbook` does both, then opens the file with openpyxl (read-only), which by then can only
  meet parts of bounded size. openpyxl itself parses with defusedxml when it is installed.

Messages in `UploadRefused` are for the person who uploaded the file.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

MiB = 1024 * 1024
ELEMENTS_PER_ITEM = 1000  # elements inside one shared string, or per cell of one row


class UploadRefused(Exception):
    """The file is refused before it is parsed; `message` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    """What one uploaded container may cost. Defaults fit the largest real template (a whole
    province over 24 months, or 60,000 data rows) with room to spare."""

    max_parts: int = 500
    max_part_bytes: int = 100 * MiB  # a dense 60,000-row sheet of 30 indicators is ~60 MB
    max_total_bytes: int = 160 * MiB
    # Deflate gives XML 5–30×, a sheet of repeated empty cells ~100×; bombs reach 1000×.
    max_ratio: int = 200
    ratio_from_bytes: int = 1 * MiB  # tiny parts may inflate a lot without costing anything
    # Spreadsheets
    max_rows: int = 60_100  # <row> elements and the highest row number, blank rows included
    max_columns: int = 256  # highest column of any cell, and cells in one row
    max_shared_strings: int = 200_000
    max_shared_strings_bytes: int = 32 * MiB
    max_other_part_bytes: int = 8 * MiB  # styles, workbook, properties: small in real files
    max_other_elements: int = 200_000  # elements of a part outside any sheet's cell data
    max_formulas_noted: int = 50


DEFAULT_LIMITS = Limits()


def _mb(size: int) -> str:
    return f"{size / MiB:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _refuse_unreadable() -> UploadRefused:
    return UploadRefused(_("Không đọc được tệp: tệp nén bị hỏng hoặc không phải tệp Office."))


# --- the zip container -----------------------------------------------------------------------


def open_zip(source: IO[bytes] | str, *, limits: Limits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """The archive, once its directory is within `limits`; the caller closes it.

    Raises UploadRefused (never zipfile's own errors) for anything wrong."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _refuse_unreadable() from None
    try:
        check_zip(archive, limits=limits)
    except BaseException:
        archive.close()
        raise
    return archive


def member_key(name: str) -> str:
    """How Office compares part names: case-insensitive, either slash, no leading slash."""
    return name.replace("\\", "/").lstrip("/").casefold()


def check_zip(archive: zipfile.ZipFile, *, limits: Limits = DEFAULT_LIMITS) -> None:
    members = archive.infolist()
    if len(members) > limits.max_parts:
        raise UploadRefused(
            _("Tệp có quá nhiều thành phần (%(count)d; tối đa %(max)d).")
            % {"count": len(members), "max": limits.max_parts}
        )
    seen: set[str] = set()
    total = 0
    for member in members:
        key = member_key(member.filename)
        if key in seen:
            raise UploadRefused(
                _("Tệp có hai thành phần cùng tên «%(name)s»; tệp như vậy bị từ chối.")
                % {"name": member.filename[:80]}
            )
        seen.add(key)
        if member.flag_bits & 0x1:
            raise UploadRefused(_("Tệp được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại."))
        if member.file_size > limits.max_part_bytes:
            raise UploadRefused(
                _(
                    "Thành phần «%(name)s» của tệp quá lớn khi giải nén (%(size)s MB; tối đa "
                    "%(max)s MB)."
                )
                % {
                    "name": member.filename[:80],
                    "size": _mb(member.file_size),
                    "max": _mb(limits.max_part_bytes),
                }
            )
        if member.file_size > limits.ratio_from_bytes and (
            member.compress_size == 0 or member.file_size > limits.max_ratio * member.compress_size
        ):
            raise UploadRefused(
                _(
                    "Thành phần «%(name)s» của tệp nén bất thường (giãn ra hơn %(max)d lần khi "
                    "giải nén); tệp bị từ chối."
                )
                % {"name": member.filename[:80], "max": limits.max_ratio}
            )
        total += member.file_size
        if total > limits.max_total_bytes:
            raise UploadRefused(
                _("Tệp quá lớn khi giải nén (hơn %(max)s MB).")
                % {"max": _mb(limits.max_total_bytes)}
            )


def read_member(archive: zipfile.ZipFile, name: str, *, max_bytes: int) -> bytes | None:
    """A member's bytes (None when absent), refusing one larger than `max_bytes`."""
    wanted = member_key(name)
    for member in archive.infolist():
        if member_key(member.filename) == wanted:
            if member.file_size > max_bytes:
                raise UploadRefused(
                    _("Thành phần «%(name)s» của tệp quá lớn.") % {"name": member.filename[:80]}
                )
            try:
                return archive.read(member)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
                raise _refuse_unreadable() from None
    return None


# --- spreadsheets ----------------------------------------------------------------------------

_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class SheetScan:
    """What the streaming pass found in one worksheet part."""

    rows: int = 0  # <row> elements, blank ones included
    max_row: int = 0
    max_column: int = 0
    formulas: list[str] = field(default_factory=list)  # cell references, first few only


@dataclass
class WorkbookScan:
    sheets: dict[str, SheetScan] = field(default_factory=dict)  # by member name
    shared_strings: int = 0


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def scan_spreadsheet(archive: zipfile.ZipFile, *, limits: Limits = DEFAULT_LIMITS) -> WorkbookScan:
    """Stream every XML part once, refusing what is over `limits`; see the module docstring.

    Every part that holds XML is read, and judged by its root element, not by its name: renaming
    a part does not let it escape."""
    result = WorkbookScan()
    for member in archive.infolist():
        if member.is_dir():
            continue
        try:
            with archive.open(member) as handle:
                # By content, not by name: a worksheet stored as "x.png" is still parsed.
                if not handle.read(64).lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").startswith(b"<"):
                    continue
            with archive.open(member) as handle:
                _scan_part(handle, member, result, limits)
        except UploadRefused:
            raise
        except (DefusedXmlException, SyntaxError):  # ParseError is a SyntaxError
            raise UploadRefused(
                _("Thành phần «%(name)s» của tệp không phải XML hợp lệ.")
                % {"name": member.filename[:80]}
            ) from None
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
            raise _refuse_unreadable() from None
    return result


def _scan_part(handle, member: zipfile.ZipInfo, result: WorkbookScan, limits: Limits) -> None:
    events = iterparse(handle, events=("start", "end"), forbid_dtd=True)
    _event, root = next(events)
    kind = _local(root.tag)
    if kind == "worksheet":
        result.sheets[member.filename] = _scan_sheet(events, root, member, limits)
    elif kind == "sst":
        if member.file_size > limits.max_shared_strings_bytes:
            raise UploadRefused(
                _("Bảng chuỗi văn bản của tệp quá lớn (%(size)s MB; tối đa %(max)s MB).")
                % {"size": _mb(member.file_size), "max": _mb(limits.max_shared_strings_bytes)}
            )
        result.shared_strings = _scan_strings(events, root, member, limits)
    else:
        if member.file_size > limits.max_other_part_bytes:
            raise UploadRefused(
                _("Thành phần «%(name)s» của tệp quá lớn (%(size)s MB; tối đa %(max)s MB).")
                % {
                    "name": member.filename[:80],
                    "size": _mb(member.file_size),
                    "max": _mb(limits.max_other_part_bytes),
                }
            )
        _scan_other(events, root, member, limits)


def _too_many_elements(member: zipfile.ZipInfo) -> UploadRefused:
    return UploadRefused(
        _("Thành phần «%(name)s» của tệp có quá nhiều phần tử.") % {"name": member.filename[:80]}
    )


def _scan_other(events, root, member: zipfile.ZipInfo, limits: Limits) -> None:
    count, depth = 0, 0
    for event, _element in events:
        if event == "start":
            count += 1
            depth += 1
            if count > limits.max_other_elements:
                raise _too_many_elements(member)
        else:
            depth -= 1
            if depth == 0:
                root.clear()  # a finished child of the root: nothing is kept


def _scan_strings(events, root, member: zipfile.ZipInfo, limits: Limits) -> int:
    count, depth, inside = 0, 0, 0
    for event, element in events:
        if event == "start":
            depth += 1
            inside += 1
            if inside > ELEMENTS_PER_ITEM:
                raise _too_many_elements(member)
            continue
        depth -= 1
        if depth:
            continue
        if _local(element.tag) == "si":
            count += 1
            if count > limits.max_shared_strings:
                raise UploadRefused(
                    _("Tệp có quá nhiều chuỗi văn bản (hơn %(max)s); hãy chia nhỏ tệp.")
                    % {"max": _thousands(limits.max_shared_strings)}
                )
        root.clear()  # drop the finished string: nothing is kept
        inside = 0
    return count


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _too_many_rows(limits: Limits) -> UploadRefused:
    return UploadRefused(
        _(
            "Trang tính có quá %(max)s dòng (kể cả dòng trống); hãy xóa các dòng thừa hoặc "
            "chia nhỏ tệp."
        )
        % {"max": _thousands(limits.max_rows)}
    )


def _too_many_columns(limits: Limits, column: int) -> UploadRefused:
    shown = column_letters(column) if column <= 16384 else str(column)
    return UploadRefused(
        _("Trang tính có ô ở cột %(column)s, quá %(max)d cột cho phép; hãy xóa các cột thừa.")
        % {"column": shown, "max": limits.max_columns}
    )


def _scan_sheet(events, root, member: zipfile.ZipInfo, limits: Limits) -> SheetScan:
    scan = SheetScan()
    row_number = column = cells_in_row = 0
    cell_ref = ""
    depth = 1  # <worksheet> is open
    outside = inside_row = 0
    data = None  # <sheetData>, while it is open
    for event, element in events:
        if event == "end":
            depth -= 1
            if data is not None and depth == 2:  # a finished <row>
                data.clear()
                inside_row = 0
            elif depth == 1:  # a finished child of <worksheet>, <sheetData> included
                root.clear()
                data = None
            continue
        depth += 1
        tag = _local(element.tag)
        if depth == 2 and tag == "sheetData":
            data = element
        elif data is None:
            outside += 1
            if outside > limits.max_other_elements:
                raise _too_many_elements(member)
        elif depth == 3:
            if tag != "row":
                raise UploadRefused(_("Trang tính có phần tử lạ trong vùng dữ liệu."))
            scan.rows += 1
            declared = element.get("r")
            row_number = int(declared) if declared and declared.isdigit() else row_number + 1
            scan.max_row = max(scan.max_row, row_number)
            if scan.rows > limits.max_rows or row_number > limits.max_rows:
                raise _too_many_rows(limits)
            column = cells_in_row = 0
        else:
            inside_row += 1
            if inside_row > ELEMENTS_PER_ITEM * limits.max_columns:
                raise _too_many_elements(member)
            if depth == 4 and tag == "c":
                cells_in_row += 1
                match = _CELL_REF.match(element.get("r") or "")
                column = column_number(match[1]) if match else column + 1
                if cells_in_row > limits.max_columns or column > limits.max_columns:
                    raise _too_many_columns(limits, max(column, cells_in_row))
                scan.max_column = max(scan.max_column, column)
                cell_ref = f"{column_letters(column)}{row_number}"
            elif (
                depth == 5
                and tag == "f"
                and len(scan.formulas) < limits.max_formulas_noted
                and (not scan.formulas or scan.formulas[-1] != cell_ref)
            ):
                scan.formulas.append(cell_ref)
    return scan


# What openpyxl raises for a zip that is no workbook (a missing part is a KeyError).
OPENPYXL_ERRORS = (
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    SyntaxError,
    DefusedXmlException,
)


@dataclass
class OpenedWorkbook:
    workbook: object  # openpyxl's read-only Workbook
    scan: WorkbookScan

    def sheet_scan(self, title: str) -> SheetScan:
        """What the scan found in the worksheet named `title` (an empty scan if it has no cells)."""
        sheet = self.workbook[title]
        path = getattr(sheet, "_worksheet_path", "")
        return self.scan.sheets.get(path.lstrip("/"), SheetScan())

    def close(self) -> None:
        self.workbook.close()


def open_workbook(
    source: IO[bytes] | str, *, data_only: bool = True, limits: Limits = DEFAULT_LIMITS
) -> OpenedWorkbook:
    """An uploaded .xlsx opened read-only by openpyxl once its container and parts are within
    `limits`. Iterate its sheets with explicit `max_row`/`max_col` from the scan: the
    dimension a file declares is its author's word."""
    from openpyxl import load_workbook

    with open_zip(source, limits=limits) as archive:
        scan = scan_spreadsheet(archive, limits=limits)
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        workbook = load_workbook(source, read_only=True, data_only=data_only)
    except OPENPYXL_ERRORS:
        # The file has passed the size checks: this only means "not a workbook".
        raise UploadRefused(_("Không đọc được tệp như một tệp Excel .xlsx.")) from None
    return OpenedWorkbook(workbook, scan)
