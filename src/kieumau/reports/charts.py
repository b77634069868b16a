"""Charts for the Word report, drawn as PNG with Pillow (a reader would rather look)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
COLOURS = ("#1b7837", "#5aae61", "#f1a340", "#bdbdbd")


def _font(size: int):
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def bar_chart(rows: list[tuple[str, int]], *, width: int = 1200) -> bytes:
    """Horizontal bars, one per (label, count), the count written at the end of each."""
    font = _font(30)
    bar_height, gap, label_width = 48, 18, 520
    height = len(rows) * (bar_height + gap) + gap
    image = Image.new("RGB", (width, max(height, 80)), "white")
    draw = ImageDraw.Draw(image)
    largest = max((count for _, count in rows), default=0) or 1
    room = width - label_width - 120
    for index, (label, count) in enumerate(rows):
        top = gap + index * (bar_height + gap)
        draw.text((10, top + 8), label, fill="black", font=font)
        length = int(room * count / largest)
        colour = COLOURS[index % len(COLOURS)]
        draw.rectangle([label_width, top, label_width + max(length, 2), top + bar_height],
                       fill=colour)
        draw.text((label_width + length + 12, top + 8), str(count), fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
