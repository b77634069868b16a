"""The review report as a Word document: the shipped (or a province's own) docxtpl template."""

from __future__ import annotations

import io
from pathlib import Path

from docxtpl import DocxTemplate

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "docx_templates" / "bao-cao.docx"


def render_docx(context: dict, *, template: Path | None = None) -> bytes:
    document = DocxTemplate(str(template or DEFAULT_TEMPLATE))
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
