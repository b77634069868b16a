"""Importing a spreadsheet of monthly values: all or nothing, in the background, with progress.

`start_import` stores the file and queues `run_import` (a django.tasks task) once the record is
committed. The task reads every row, checks every cell, resolves unit codes in bulk (as of the last
day of each row's month, within the uploader's scope), then asks `services.set_values` to check
locks; only if nothing is wrong does it write, in one transaction. Progress and the list of errors
are kept on the `IndicatorImport` the upload page polls.
"""

import datetime as dt
import logging
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from kieumau.accounts import scope
from kieumau.core import audit, jobs, uploads
from kieumau.core.dates import today
from kieumau.indicators import selectors, services, xlsx
from kieumau.indicators.models import ImportStatus, IndicatorImport, Source
from kieumau.indicators.months import first_of_month, month_end, month_label, parse_month
from kieumau.indicators.validation import BadValue, cached_cleaner, shown
from kieumau.orgunits.tree import normalise_code

logger = logging.getLogger(__name__)

MAX_BYTES = 30 * 1024 * 1024
MAX_ROWS = 60_000
MAX_ERRORS_KEPT = 500
PROGRESS_EVERY = 1000
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadRefused(Exception):
    """The file cannot even be queued (wrong type, too large); `message` is for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def start_import(*, actor, upload: UploadedFile) -> IndicatorImport:
    """Keep the uploaded file and queue its import; the import runs once this is committed."""
    scope.require_write(actor)
    if actor.home_unit_id is None:
        raise scope.NotVisible("no home unit")
    name = (upload.name or "").rsplit("/", 1)[-1][:255]
    if not name.lower().endswith(".xlsx"):
        raise UploadRefused(_("Chỉ nhận tệp Excel .xlsx (tải biểu mẫu từ hệ thống)."))
    if upload.size > MAX_BYTES:
        raise UploadRefused(_("Tệp quá lớn (tối đa %(mb)d MB).") % {"mb": MAX_BYTES // 2**20})
    if not _looks_like_xlsx(upload):
        raise UploadRefused(_("Tệp không phải là tệp Excel .xlsx."))
    try:  # the zip's directory is cheap to check at once; its parts are read in the task
        uploads.open_zip(upload, limits=xlsx.LIMITS).close()
    except uploads.UploadRefused as refused:
        raise UploadRefused(refused.message) from None
    finally:
        upload.seek(0)
    with transaction.atomic():
        record = IndicatorImport.objects.create(
            unit_id=actor.home_unit_id, uploaded_by=actor, original_name=name, file=upload
        )
        audit.record(
            actor=actor,
            action="indicators.import_started",
            target=record,
            unit=actor.home_unit,
            detail={"file": name, "bytes": upload.size},
        )
        transaction.on_commit(lambda: run_import.enqueue(import_id=record.pk))
    return record


def _looks_like_xlsx(upload: UploadedFile) -> bool:
    import filetype

    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    # Short files hide their content types past the first bytes; a zip is enough to try.
    return kind is not None and kind.mime in (XLSX_MIME, "application/zip")


@task
def run_import(*, import_id: int) -> dict:
    record = selectors.import_for_task(import_id)
    if record is None or record.is_finished:
        return {"status": "missing" if record is None else record.status}
    jobs.claim(record, status=ImportStatus.RUNNING, started_at=timezone.now())
    try:
        outcome = _import(record)
    except Exception:
        logger.exception("indicator import %s failed", import_id)
        _finish(
            record,
            errors=[
                _error(
                    None,
                    None,
                    _(
                        "Lỗi hệ thống khi nhập tệp; tệp chưa được nhận. Hãy thử lại hoặc báo quản trị."
                    ),
                )
            ],
        )
        raise
    return outcome


def _import(record: IndicatorImport) -> dict:
    actor = record.uploaded_by
    if actor is None or not actor.can_write:
        return _finish(
            record, errors=[_error(None, None, _("Người tải tệp không còn quyền nhập số liệu."))]
        )
    unreadable = [_error(None, None, _("Không đọc được tệp như một tệp Excel .xlsx."))]
    with record.file.open("rb") as handle:
        try:
            upload = xlsx.open_upload(handle)
        except xlsx.NotATemplate as refused:
            return _finish(record, errors=[_error(None, None, str(refused))])
        except uploads.UploadRefused as refused:
            return _finish(record, errors=[_error(None, None, refused.message)])
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
            return _finish(record, errors=unreadable)
        try:
            parsed = _read(record, upload, actor)
        except ParseError:
            return _finish(record, errors=unreadable)
        finally:
            upload.close()
    if parsed.errors or not parsed.rows:
        return _check_locks_then_fail(record, actor, parsed)
    _mark(record, status=ImportStatus.WRITING, rows_processed=parsed.data_rows)
    try:
        result = services.set_values(
            actor=actor,
            rows=parsed.rows,
            source=Source.XLSX,
            note=_("tệp %(name)s (lần nhập %(id)s)")
            % {"name": record.original_name, "id": record.pk},
        )
    except services.ValuesRejected as rejected:
        return _finish(record, errors=[_row_error(e) for e in rejected.errors])
    except scope.NotVisible:
        return _finish(
            record, errors=[_error(None, None, _("Tệp có đơn vị ngoài phạm vi của bạn."))]
        )
    return _finish(record, result=result, rows=parsed.data_rows)


def _check_locks_then_fail(record, actor, parsed) -> dict:
    """List locked cells together with the other errors, so one round of fixes is enough."""
    errors = list(parsed.errors)
    if parsed.rows:
        try:
            services.set_values(actor=actor, rows=parsed.rows, source=Source.XLSX, dry_run=True)
        except services.ValuesRejected as rejected:
            errors += [_row_error(e) for e in rejected.errors]
    if not errors:
        errors = [_error(None, None, _("Tệp không có giá trị nào để nhập (các ô đều trống)."))]
    return _finish(record, errors=errors)


@dataclass
class Parsed:
    rows: list[services.ValueInput]
    errors: list[dict]
    data_rows: int


def _read(record: IndicatorImport, upload: xlsx.Upload, actor) -> Parsed:
    indicators = {indicator.code: indicator for indicator in selectors.catalogue()}
    errors: list[dict] = []
    header = upload.header
    width = len(header)
    unit_at, month_at = header.index(xlsx.UNIT_COLUMN), header.index(xlsx.MONTH_COLUMN)
    columns: dict[int, object] = {}
    for index, name in enumerate(header):
        if index in (unit_at, month_at) or name in ("", xlsx.NAME_COLUMN):
            continue
        if name not in indicators:
            errors.append(
                _error(
                    1,
                    xlsx.column_letter(index),
                    _("«%(name)s» không phải mã chỉ số (xem trang Hướng dẫn)")
                    % {"name": shown(name)},
                )
            )
        elif indicators[name] in columns.values():
            errors.append(_error(1, name, _("cột chỉ số bị lặp")))
        else:
            columns[index] = indicators[name]
    for reference in upload.formulas:
        errors.append(_formula_error(reference, header))
    unit_label, _name_label, month_label_text = xlsx.labels()
    clean = cached_cleaner()
    _mark(record, rows_total=upload.rows_total or 0)

    pending = []  # (row number, code, month, [(indicator, value)])
    seen: dict[tuple[str, dt.date], int] = {}
    data_rows = 0
    for number, raw in upload.rows:
        if (
            number == 2
            and raw
            and (
                str(raw[unit_at] if unit_at < len(raw) else "").strip() == unit_label
                or str(raw[month_at] if month_at < len(raw) else "").strip() == month_label_text
            )
        ):
            continue
        if not raw or all(cell is None or str(cell).strip() == "" for cell in raw):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            errors.append(
                _error(
                    number,
                    None,
                    _("Tệp quá %(max)d dòng số liệu; hãy chia nhỏ.") % {"max": MAX_ROWS},
                )
            )
            break
        if data_rows % PROGRESS_EVERY == 0:
            _mark(record, rows_processed=data_rows)
        row = xlsx.cells(raw, width)
        for index, cell in enumerate(row):
            if (
                index not in columns
                and index not in (unit_at, month_at)
                and cell not in (None, "")
                and header[index] == ""
            ):
                errors.append(
                    _error(
                        number,
                        xlsx.column_letter(index),
                        _("ô có số liệu nhưng cột không có mã chỉ số ở dòng 1"),
                    )
                )
        code = _code(row[unit_at])
        month = _month(row[month_at], number, errors, first=upload.first, last=upload.last)
        if not code:
            errors.append(_error(number, xlsx.UNIT_COLUMN, _("thiếu mã đơn vị")))
        values = []
        for index, indicator in columns.items():
            try:
                value = clean(row[index], indicator.value_type)
            except BadValue as bad:
                errors.append(_error(number, indicator.code, bad.message))
                continue
            if value is not None:
                values.append((indicator, value))
        if not code or month is None:
            continue
        key = (normalise_code(code), month)
        if key in seen:
            errors.append(
                _error(
                    number,
                    xlsx.UNIT_COLUMN,
                    _("đơn vị %(code)s, tháng %(month)s đã có ở dòng %(row)d")
                    % {"code": code, "month": month_label(month), "row": seen[key]},
                )
            )
            continue
        seen[key] = number
        pending.append((number, code, month, values))

    _mark(record, rows_processed=data_rows, rows_total=data_rows)
    units = selectors.resolve_units(
        actor, wanted={(code, month_end(month)) for _n, code, month, _v in pending}
    )
    rows = []
    for number, code, month, values in pending:
        unit = units.get((code, month_end(month)))
        if unit is None:
            # Unknown and out of scope read alike: the file must not reveal what exists.
            errors.append(
                _error(
                    number,
                    xlsx.UNIT_COLUMN,
                    _("không có đơn vị mã «%(code)s» trong phạm vi của bạn vào ngày %(day)s")
                    % {"code": code, "day": month_end(month).strftime("%d/%m/%Y")},
                )
            )
            continue
        rows += [
            services.ValueInput(unit, indicator, month, value, ref=(number, indicator.code))
            for indicator, value in values
        ]
    return Parsed(rows, errors, data_rows)


def _formula_error(reference: str, header: list[str]) -> dict:
    """A formula is refused by name: without Excel's cached result it would read as empty."""
    letters = reference.rstrip("0123456789")
    index = uploads.column_number(letters) - 1
    name = header[index] if 0 <= index < len(header) and header[index] else letters
    return _error(
        int(reference[len(letters) :]),
        name,
        _("ô %(cell)s chứa công thức; hãy nhập giá trị, không dùng công thức")
        % {"cell": reference},
    )


def _code(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _month(cell, number: int, errors: list, *, first: dt.date, last: dt.date) -> dt.date | None:
    if cell is None or str(cell).strip() == "":
        errors.append(_error(number, xlsx.MONTH_COLUMN, _("thiếu tháng")))
        return None
    if isinstance(cell, dt.datetime | dt.date):
        month = dt.date(cell.year, cell.month, 1)
    else:
        try:
            month = parse_month(str(cell))
        except ValueError:
            errors.append(
                _error(
                    number,
                    xlsx.MONTH_COLUMN,
                    _("«%(raw)s» không phải là tháng (cần dạng YYYY-MM)") % {"raw": shown(cell)},
                )
            )
            return None
    if not first <= month <= last:
        errors.append(
            _error(
                number,
                xlsx.MONTH_COLUMN,
                _("tháng %(month)s nằm ngoài kỳ của biểu mẫu (%(first)s – %(last)s)")
                % {
                    "month": month_label(month),
                    "first": month_label(first),
                    "last": month_label(last),
                },
            )
        )
        return None
    if month > first_of_month(today()):
        # The period in the file's properties is the uploader's word: check it against the date.
        errors.append(_error(number, xlsx.MONTH_COLUMN, services.not_yet_message(month)))
        return None
    return month


def _error(row: int | None, column: str | None, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


def _row_error(error: services.RowError) -> dict:
    row, column = error.ref if isinstance(error.ref, tuple) else (None, None)
    return _error(row, column if error.field != "unit" else xlsx.UNIT_COLUMN, error.message)


def describe(error: dict) -> str:
    """ "Dòng 7, cột tin_bao_tiep_nhan: «mười» không phải là số"."""
    row, column, message = error.get("row"), error.get("column"), error.get("message", "")
    if row and column:
        return _("Dòng %(row)s, cột %(column)s: %(message)s") % {
            "row": row,
            "column": column,
            "message": message,
        }
    if row:
        return _("Dòng %(row)s: %(message)s") % {"row": row, "message": message}
    if column:
        return _("Cột %(column)s: %(message)s") % {"column": column, "message": message}
    return message


def _mark(record: IndicatorImport, **fields) -> None:
    """Save progress outside any transaction, so the polling page sees it at once (and the
    watchdog sees the import is alive)."""
    jobs.beat(record, **fields)


def _finish(
    record: IndicatorImport, *, errors: list[dict] | None = None, result=None, rows: int = 0
) -> dict:
    now = timezone.now()
    if errors:
        unique = {(e["row"], e["column"], e["message"]): e for e in errors}
        errors = sorted(unique.values(), key=lambda e: (e["row"] or 0, e["column"] or ""))
        _mark(
            record,
            status=ImportStatus.FAILED,
            errors=errors[:MAX_ERRORS_KEPT],
            error_count=len(errors),
            finished_at=now,
        )
        audit.record(
            actor=record.uploaded_by,
            action="indicators.import_rejected",
            target=record,
            unit=record.unit,
            detail={"errors": len(errors)},
        )
        return {"status": ImportStatus.FAILED, "errors": len(errors)}
    _mark(
        record,
        status=ImportStatus.DONE,
        values_created=result.created,
        values_updated=result.updated,
        values_unchanged=result.unchanged,
        rows_processed=rows,
        finished_at=now,
    )
    return {"status": ImportStatus.DONE, "created": result.created, "updated": result.updated}
