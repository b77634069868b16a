"""PDF from the very .docx the product wrote, by LibreOffice headless: one document, one look.

LibreOffice may be absent (a bare server): `available()` says so and callers tell the person in
plain words; the .docx still works. Each conversion gets its own profile folder, so two workers
converting at once do not trip over LibreOffice's lock on a shared profile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("soffice", "libreoffice")
TIMEOUT_SECONDS = int(os.environ.get("KIEUMAU_PDF_TIMEOUT", "120"))


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed here."""


class PdfFailed(RuntimeError):
    """LibreOffice ran but gave no PDF (timeout, crash); the message says which."""


def office_binary() -> str | None:
    override = os.environ.get("KIEUMAU_SOFFICE")
    if override:
        return override if shutil.which(override) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def available() -> bool:
    return office_binary() is not None


def docx_to_pdf(docx: Path, out_dir: Path) -> Path:
    """Convert `docx` into `out_dir`; return the PDF's path."""
    binary = office_binary()
    if binary is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="kieumau-lo-") as profile:
        try:
            result = subprocess.run(
                [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                 "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out_dir), str(docx)],
                capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                env={**os.environ, "HOME": profile},
            )
        except subprocess.TimeoutExpired:
            raise PdfFailed(f"LibreOffice did not finish within {TIMEOUT_SECONDS} s") from None
    pdf = out_dir / (docx.stem + ".pdf")
    if result.returncode != 0 or not pdf.exists():
        raise PdfFailed((result.stderr or result.stdout or "no output").strip()[:300])
    return pdf
