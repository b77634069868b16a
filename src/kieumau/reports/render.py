"""The review report as a Word document: the shipped (or a province's own) docxtpl template."""

from __future__ import annotations

import io
from pathlib import Path

from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "docx_templates" / "bao-cao.docx"


def render_docx(context: dict, *, images: dict[str, bytes] | None = None,
                template: Path | io.BytesIO | None = None) -> bytes:
    """`images` maps a context key to PNG bytes placed 16 cm wide where `{{ key }}` stands."""
    source = template if template is not None else DEFAULT_TEMPLATE
    document = DocxTemplate(str(source) if isinstance(source, Path) else source)
    context = dict(context)
    for key, png in (images or {}).items():
        context[key] = InlineImage(document, io.BytesIO(png), width=Cm(16))
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
