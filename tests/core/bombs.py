"""Hostile spreadsheets, built small: each is a real template of ours whose worksheet or shared
strings part is replaced by a stream written straight into the zip (never held whole in memory)."""

import io
import zipfile
from collections.abc import Iterable

SHEET_PART = "xl/worksheets/sheet1.xml"
STRINGS_PART = "xl/sharedStrings.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def template_bytes() -> bytes:
    """A genuine template of ours (period 2026-10 … 2026-10) with an empty "Chỉ số" sheet."""
    import datetime as dt

    from kieumau.indicators import xlsx

    return xlsx.build_template(
        units=[],
        indicators=[],
        first=dt.date(2026, 10, 1),
        last=dt.date(2026, 10, 1),
        stored={},
        title="thử",
    )


def _replace(
    base: bytes, parts: dict[str, Iterable[bytes]], *, stored: frozenset[str] = frozenset()
) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            if info.filename in parts:
                continue
            data = source.read(info)
            if info.filename == "[Content_Types].xml" and STRINGS_PART in parts:
                data = data.replace(
                    b"</Types>",
                    f'<Override PartName="/{STRINGS_PART}" ContentType="{STRINGS_TYPE}"/>'
                    "</Types>".encode(),
                )
            target.writestr(info.filename, data)
        for name, chunks in parts.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            with target.open(info, "w", force_zip64=True) as handle:
                for chunk in chunks:
                    handle.write(chunk)
    return out.getvalue()


def _sheet(rows: Iterable[bytes]) -> Iterable[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
    yield from rows
    yield b"</sheetData></worksheet>"


def wide_row(cells: int = 3_000_000) -> bytes:
    """One row of `cells` cells (the issue's 168 KB file that cost 2 GB)."""

    def rows():
        yield b'<row r="1">'
        for _start in range(0, cells, 100_000):
            yield b'<c t="n"><v>1</v></c>' * 100_000
        yield b"</row>"

    return _replace(template_bytes(), {SHEET_PART: _sheet(rows())})


def blank_rows(rows: int = 1_500_000) -> bytes:
    """`rows` empty rows, numbered: about 24 MB of XML (47 s of CPU before the guard)."""

    def chunks():
        for start in range(1, rows + 1, 50_000):
            yield "".join(
                f'<row r="{n}"/>' for n in range(start, min(rows, start + 49_999) + 1)
            ).encode()

    return _replace(template_bytes(), {SHEET_PART: _sheet(chunks())})


def shared_strings(strings: int, text: bytes = b"x") -> bytes:
    """A shared-strings part of `strings` strings (3.3 M of 90 bytes: the issue's 314 MB part)."""

    def chunks():
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">'.encode()
        item = b"<si><t>" + text + b"</t></si>"
        for start in range(0, strings, 50_000):
            yield item * min(50_000, strings - start)
        yield b"</sst>"

    return _replace(template_bytes(), {STRINGS_PART: chunks()})


def with_parts(parts: dict[str, bytes], *, stored: frozenset[str] = frozenset()) -> bytes:
    """Our template with some parts replaced or added (small tests of one limit)."""
    return _replace(template_bytes(), {name: [data] for name, data in parts.items()}, stored=stored)


def sheet_xml(rows: str) -> bytes:
    return b"".join(_sheet([rows.encode()]))


def append_member(content: bytes, name: str, data: bytes) -> bytes:
    """The zip with one more member named `name` (zipfile warns, and writes it anyway)."""
    import warnings

    out = io.BytesIO(content)
    with warnings.catch_warnings(), zipfile.ZipFile(out, "a") as archive:
        warnings.simplefilter("ignore")
        archive.writestr(name, data)
    return out.getvalue()
