"""A printable A4 poster (SVG) with the QR code of a unit's survey, for the reception desk."""

import io
from xml.sax.saxutils import escape

import segno

A4_WIDTH_MM, A4_HEIGHT_MM = 210, 297
QR_SIDE_MM = 130


def qr_svg_fragment(url: str) -> tuple[str, int]:
    """The QR code's path as an SVG fragment and its size in modules (quiet zone included)."""
    qr = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    qr.save(out, kind="svg", xmldecl=False, svgns=False, svgclass=None, lineclass=None,
            omitsize=True, border=4)
    width, _height = qr.symbol_size(border=4)
    return out.getvalue().decode(), width


def poster_svg(*, url: str, unit_name: str, title: str, lines: list[str]) -> str:
    """An A4 page in millimetres: title, unit name, the QR code, the URL spelled out, a few lines."""
    fragment, modules = qr_svg_fragment(url)
    # segno's <svg> holds a viewBox in modules; nest it sized in millimetres.
    inner = fragment.replace("<svg ", f'<svg x="{(A4_WIDTH_MM - QR_SIDE_MM) / 2}" y="70" '
                             f'width="{QR_SIDE_MM}" height="{QR_SIDE_MM}" ', 1)
    text = []
    y = 215
    for line in lines:
        text.append(f'<text x="105" y="{y}" font-size="7" text-anchor="middle">'
                    f"{escape(line)}</text>")
        y += 10
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{A4_WIDTH_MM}mm" '
        f'height="{A4_HEIGHT_MM}mm" viewBox="0 0 {A4_WIDTH_MM} {A4_HEIGHT_MM}" '
        'font-family="Times New Roman, serif">'
        '<rect width="100%" height="100%" fill="#fff"/>'
        f'<text x="105" y="35" font-size="11" font-weight="bold" text-anchor="middle">'
        f"{escape(title)}</text>"
        f'<text x="105" y="52" font-size="9" text-anchor="middle">{escape(unit_name)}</text>'
        f"{inner}"
        f'<text x="105" y="{205}" font-size="6" text-anchor="middle" '
        f'font-family="monospace">{escape(url)}</text>'
        f"{''.join(text)}</svg>"
    )
