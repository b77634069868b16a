"""The guarded opener: every upload is bounded before anything parses it.

The bombs of issue 6 are opened in a separate process, as the import opens them, and must be
refused with a Vietnamese message while that process's peak memory grows by less than
MEMORY_BOUND_MB: the process's peak resident size while it opens the file (Linux's VmHWM, reset
just before; it counts C allocations too) minus its resident size before.
"""

import io
import json
import os
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

from kieumau.core import uploads
from tests.core import bombs

MEMORY_BOUND_MB = 100
ROOT = Path(__file__).resolve().parents[2]

_OPEN_IN_A_FRESH_PROCESS = """
import json, sys
import django
django.setup()
from kieumau.core import uploads
from kieumau.indicators import xlsx

def status_mb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024

# The peak resident size of this process from now on (VmHWM, reset through clear_refs): not
# ru_maxrss, which Linux carries over from the parent that forked us.
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")
before = status_mb("VmRSS")
message, rows = None, 0
try:
    if sys.argv[1] == "--hold-200-mb":  # the control: the measurement sees memory
        held = b"x" * (200 * 1024 * 1024)
    upload = xlsx.open_upload(sys.argv[-1])
    for _row in upload.rows:  # as the import reads them
        rows += 1
    upload.close()
except uploads.UploadRefused as refused:
    message = refused.message
print(json.dumps({"message": message, "rows": rows, "growth_mb": status_mb("VmHWM") - before}))
"""


def open_in_subprocess(tmp_path, content: bytes, *options: str) -> dict:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-c", _OPEN_IN_A_FRESH_PROCESS, *options, str(path)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the bombs of issue 6 ----------------------------------------------------------------------


def test_one_row_of_three_million_cells_is_refused_within_the_memory_bound(tmp_path):
    content = bombs.wide_row(3_000_000)
    assert len(content) < 1024 * 1024
    outcome = open_in_subprocess(tmp_path, content)
    assert outcome["message"] is not None, outcome
    assert "Thành phần «xl/worksheets/sheet1.xml»" in outcome["message"]
    assert outcome["growth_mb"] < MEMORY_BOUND_MB, outcome


def test_huge_shared_strings_part_is_refused_within_the_memory_bound(tmp_path):
    content = bombs.shared_strings(3_500_000, text=b"x" * 75)  # ~314 MB once inflated
    assert len(content) < 2 * 1024 * 1024
    outcome = open_in_subprocess(tmp_path, content)
    assert outcome["message"] is not None, outcome
    assert "quá lớn khi giải nén" in outcome["message"]
    assert outcome["growth_mb"] < MEMORY_BOUND_MB, outcome


def test_many_blank_rows_are_counted_and_refused_within_the_memory_bound(tmp_path):
    content = bombs.blank_rows(1_500_000)
    outcome = open_in_subprocess(tmp_path, content)
    assert outcome["message"] is not None, outcome
    assert outcome["rows"] == 0
    assert outcome["growth_mb"] < MEMORY_BOUND_MB, outcome


def test_a_real_template_opens_in_a_fresh_process(tmp_path):
    """The measurement is not vacuous: a file within the limits is read through."""
    outcome = open_in_subprocess(tmp_path, bombs.template_bytes())
    assert outcome["message"] is None
    assert outcome["rows"] == 1  # row 2, the Vietnamese column names (row 1 is the header)
    assert outcome["growth_mb"] < MEMORY_BOUND_MB


def test_the_measurement_sees_memory_held_meanwhile(tmp_path):
    outcome = open_in_subprocess(tmp_path, bombs.template_bytes(), "--hold-200-mb")
    assert outcome["growth_mb"] > 190


# --- the scan alone (ratio checks off): it too keeps memory flat -----------------------------

NO_RATIO = uploads.Limits(max_ratio=10**9)


def refusal(content: bytes, limits: uploads.Limits) -> str:
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.open_workbook(io.BytesIO(content), limits=limits).close()
    return refused.value.message


def test_scan_refuses_the_wide_row_by_its_columns():
    message = refusal(bombs.wide_row(300_000), NO_RATIO)
    assert message == ("Trang tính có ô ở cột IW, quá 256 cột cho phép; hãy xóa các cột thừa.")


def test_scan_refuses_blank_rows_by_their_number():
    message = refusal(bombs.blank_rows(100_000), NO_RATIO)
    assert message == (
        "Trang tính có quá 60.100 dòng (kể cả dòng trống); hãy xóa các dòng thừa hoặc chia nhỏ tệp."
    )


def test_scan_refuses_too_many_shared_strings():
    message = refusal(bombs.shared_strings(200_001), NO_RATIO)
    assert message == "Tệp có quá nhiều chuỗi văn bản (hơn 200.000); hãy chia nhỏ tệp."


# --- each limit, pinned on both sides ----------------------------------------------------------


def opens(content: bytes, limits: uploads.Limits) -> bool:
    try:
        uploads.open_workbook(io.BytesIO(content), limits=limits).close()
    except uploads.UploadRefused:
        return False
    return True


def rows_xml(count: int, *, start: int = 1) -> bytes:
    return bombs.sheet_xml("".join(f'<row r="{n}"/>' for n in range(start, start + count)))


def test_rows_limit_counts_blank_rows():
    limits = uploads.Limits(max_rows=50)
    assert opens(bombs.with_parts({bombs.SHEET_PART: rows_xml(50)}), limits)
    assert not opens(bombs.with_parts({bombs.SHEET_PART: rows_xml(51)}), limits)


def test_rows_limit_reads_the_highest_row_number():
    limits = uploads.Limits(max_rows=50)
    assert opens(bombs.with_parts({bombs.SHEET_PART: rows_xml(1, start=50)}), limits)
    assert not opens(bombs.with_parts({bombs.SHEET_PART: rows_xml(1, start=51)}), limits)


def test_columns_limit_reads_cell_references():
    limits = uploads.Limits(max_columns=26)
    ok = bombs.sheet_xml('<row r="1"><c r="Z1"><v>1</v></c></row>')
    wide = bombs.sheet_xml('<row r="1"><c r="AA1"><v>1</v></c></row>')
    assert opens(bombs.with_parts({bombs.SHEET_PART: ok}), limits)
    assert not opens(bombs.with_parts({bombs.SHEET_PART: wide}), limits)


def test_columns_limit_counts_cells_without_references():
    limits = uploads.Limits(max_columns=3)
    three = bombs.sheet_xml('<row r="1">' + "<c><v>1</v></c>" * 3 + "</row>")
    four = bombs.sheet_xml('<row r="1">' + "<c><v>1</v></c>" * 4 + "</row>")
    assert opens(bombs.with_parts({bombs.SHEET_PART: three}), limits)
    assert not opens(bombs.with_parts({bombs.SHEET_PART: four}), limits)


def test_shared_strings_limit():
    limits = uploads.Limits(max_shared_strings=10)
    assert opens(bombs.shared_strings(10), limits)
    assert not opens(bombs.shared_strings(11), limits)


def test_shared_strings_part_size_limit():
    content = bombs.shared_strings(1000)  # 16 bytes each, plus the header
    size = zipfile.ZipFile(io.BytesIO(content)).getinfo(bombs.STRINGS_PART).file_size
    assert opens(content, uploads.Limits(max_shared_strings_bytes=size))
    assert not opens(content, uploads.Limits(max_shared_strings_bytes=size - 1))


def test_part_size_limit():
    content = bombs.with_parts({"xl/media/image1.png": b"\0" * 50_000})  # the largest part
    assert opens(content, uploads.Limits(max_part_bytes=50_000))
    assert not opens(content, uploads.Limits(max_part_bytes=49_999))


def test_total_size_limit():
    content = bombs.template_bytes()
    total = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(content)).infolist())
    assert opens(content, uploads.Limits(max_total_bytes=total))
    assert not opens(content, uploads.Limits(max_total_bytes=total - 1))


def test_parts_limit():
    content = bombs.template_bytes()
    count = len(zipfile.ZipFile(io.BytesIO(content)).infolist())
    assert opens(content, uploads.Limits(max_parts=count))
    assert not opens(content, uploads.Limits(max_parts=count - 1))


def test_ratio_limit_applies_to_large_parts():
    content = bombs.with_parts({"xl/media/image1.png": b"\0" * 100_000})
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo("xl/media/image1.png")
    ratio = info.file_size / info.compress_size  # deflate makes zeros ~1000× smaller
    assert opens(content, uploads.Limits(max_ratio=int(ratio) + 1, ratio_from_bytes=50_000))
    assert not opens(content, uploads.Limits(max_ratio=int(ratio), ratio_from_bytes=50_000))
    # a part of ratio_from_bytes or less may inflate as it likes
    assert opens(content, uploads.Limits(max_ratio=1, ratio_from_bytes=100_000))
    assert not opens(content, uploads.Limits(max_ratio=1, ratio_from_bytes=99_999))


def test_a_worksheet_renamed_as_an_image_is_still_scanned():
    content = bombs.with_parts(
        {"xl/media/sheet.png": rows_xml(60)}, stored=frozenset({"xl/media/sheet.png"})
    )
    assert not opens(content, uploads.Limits(max_rows=50))


def test_a_dtd_is_refused():
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet xmlns="'
        + bombs.MAIN_NS.encode()
        + b'"><sheetData/></worksheet>'
    )
    message = refusal(bombs.with_parts({bombs.SHEET_PART: evil}), uploads.DEFAULT_LIMITS)
    assert message == "Thành phần «xl/worksheets/sheet1.xml» của tệp không phải XML hợp lệ."


def test_formula_cells_are_noted():
    sheet = bombs.sheet_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="7"><c r="D7"><f>SUM(A1:A2)</f></c><c r="E7"><f>A1</f><v>1</v></c></row>'
    )
    opened = uploads.open_workbook(io.BytesIO(bombs.with_parts({bombs.SHEET_PART: sheet})))
    assert opened.sheet_scan("Chỉ số").formulas == ["D7", "E7"]
    opened.close()


# --- the container: duplicate names (hole 9) ---------------------------------------------------


def zip_with(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicates we want
        for name in names:
            archive.writestr(name, b"<x/>")
    return buffer.getvalue()


def test_duplicate_member_names_are_refused():
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.open_zip(io.BytesIO(zip_with(["[Content_Types].xml", "[Content_Types].xml"])))
    assert refused.value.message == (
        "Tệp có hai thành phần cùng tên «[Content_Types].xml»; tệp như vậy bị từ chối."
    )


def test_names_differing_only_in_case_or_slash_are_duplicates():
    for names in (["a/B.xml", "a/b.xml"], ["a/b.xml", "/a/b.xml"], ["a/b.xml", "a\\b.xml"]):
        with pytest.raises(uploads.UploadRefused):
            uploads.open_zip(io.BytesIO(zip_with(names)))
    uploads.open_zip(io.BytesIO(zip_with(["a/b.xml", "a/c.xml"]))).close()


def test_not_a_zip_is_refused_with_a_message():
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.open_zip(io.BytesIO(b"PK\x03\x04 but nothing else"))
    assert refused.value.message.startswith("Không đọc được tệp")
