"""Evidence files: type read from the content (never from the name), size limit, generated storage
names under MEDIA_ROOT/evidence/<yyyy>/, downloads only through a scope check.

Accepted: PDF, PNG, JPEG, Word (.docx) and Excel (.xlsx). The last two are zip containers, as are
many things we refuse (.docm/.xlsm with macros, .odt, plain zips), so their
[Content_Types].xml is read to find the main part.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from typing import Final

import filetype
from defusedxml import DefusedXmlException, ElementTree
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _

from kieumau.accounts import scope
from kieumau.assessments.errors import AssessmentInputError, AssessmentLocked, NotEditableNow
from kieumau.assessments.models import Assessment, CriterionJudgement, Evidence
from kieumau.assessments.workflow import capacities, may_edit
from kieumau.core import audit, uploads

PDF: Final = "application/pdf"
PNG: Final = "image/png"
JPEG: Final = "image/jpeg"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS: Final = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", XLSX: ".xlsx"}
# Main-part content types in [Content_Types].xml, and the part each must name.
_OFFICE_MAIN: Final = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        DOCX,
        "word/document.xml",
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        XLSX,
        "xl/workbook.xml",
    ),
}
_MAX_CONTENT_TYPES_BYTES: Final = 256 * 1024
# Macros ride in a vbaProject part (any name, declared by content type) or a macroEnabled main part.
_MACRO: Final = re.compile(r"macroenabled|vbaproject|vbadata", re.IGNORECASE)
# Evidence is stored, never parsed beyond [Content_Types].xml: only the container is bounded.
EVIDENCE_LIMITS: Final = uploads.Limits()
_HEAD_BYTES: Final = 8192
ACCEPTED_LABEL: Final = "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx)"


class RefusedFile(AssessmentInputError):
    def __init__(self, message: str) -> None:
        super().__init__(message, [{"field": "file", "message": message}])


def _office_type(data: bytes) -> str | None:
    """DOCX or XLSX from a zip's [Content_Types].xml, or None for any other zip (or a broken one).

    The zip goes through the guarded opener first (UploadRefused: duplicate names, bombs).
    Macro-enabled documents declare macroEnabled main parts or a vbaProject part: refused."""
    with uploads.open_zip(io.BytesIO(data), limits=EVIDENCE_LIMITS) as archive:
        names = {uploads.member_key(name) for name in archive.namelist()}
        manifest = uploads.read_member(
            archive, "[Content_Types].xml", max_bytes=_MAX_CONTENT_TYPES_BYTES
        )
    if manifest is None:
        return None
    try:
        types = ElementTree.fromstring(manifest, forbid_dtd=True)
    except (DefusedXmlException, SyntaxError):
        return None
    declared = {
        (element.get("PartName") or "", element.get("ContentType") or "")
        for element in types
        if element.tag.rsplit("}", 1)[-1] in ("Default", "Override")
    }
    if any(_MACRO.search(content_type) for _part, content_type in declared):
        return None
    if any(_MACRO.search(name) for name in names):
        return None
    found = {_OFFICE_MAIN[t] for _part, t in declared if t in _OFFICE_MAIN}
    if len(found) != 1:
        return None
    kind, main_part = found.pop()
    return kind if uploads.member_key(main_part) in names else None


def _detect(data: bytes) -> str | None:
    kind = filetype.guess_mime(data[:_HEAD_BYTES])
    if kind in (PDF, PNG, JPEG):
        return kind
    if data[:4] == b"PK\x03\x04":
        return _office_type(data)
    return None


def detect_type(data: bytes) -> str | None:
    """The content type of an accepted file read from its bytes, or None when refused."""
    try:
        return _detect(data)
    except uploads.UploadRefused:
        return None


@dataclass(frozen=True, slots=True)
class CheckedFile:
    data: bytes
    content_type: str
    sha256: str


def check_file(upload: UploadedFile) -> CheckedFile:
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise RefusedFile(_("Tệp rỗng."))
    if upload.size > limit:
        raise RefusedFile(
            _("Tệp “%(name)s” quá lớn (%(size)s MB); tối đa %(max)s MB.")
            % {"name": upload.name, "size": _megabytes(upload.size), "max": _megabytes(limit)}
        )
    data = b"".join(upload.chunks())
    if len(data) > limit:  # the declared size is the client's word
        raise RefusedFile(_("Tệp quá lớn; tối đa %(max)s MB.") % {"max": _megabytes(limit)})
    try:
        content_type = _detect(data)
    except uploads.UploadRefused as refused:
        raise RefusedFile(refused.message) from None
    if content_type is None:
        raise RefusedFile(
            _(
                "Tệp “%(name)s” không phải loại được nhận (%(accepted)s); loại tệp "
                "được xác định theo nội dung, không theo tên."
            )
            % {"name": upload.name, "accepted": ACCEPTED_LABEL}
        )
    return CheckedFile(
        data=data, content_type=content_type, sha256=hashlib.sha256(data).hexdigest()
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def clean_name(name: str, content_type: str) -> str:
    """The uploaded name as shown and offered on download: no path, no control characters, and
    an extension that says what the content is (a PNG named "x.pdf" is offered as "x.pdf.png")."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "minh-chung"
    extension = EXTENSIONS[content_type]
    if not name.lower().endswith((extension, ".jpeg") if content_type == JPEG else extension):
        name = f"{name}{extension}"
    return name[-255:]


def file_response(evidence: Evidence) -> FileResponse:
    """Stream the stored file as an attachment with the type found at upload."""
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


def _require_editable(*, actor, assessment: Assessment) -> None:
    scope.require_write(actor, assessment.unit)
    stage = assessment.stage_info
    if stage.locked or assessment.is_locked:
        raise AssessmentLocked()
    if may_edit(stage, capacities(actor, assessment)) is None:
        raise NotEditableNow(stage.name)


def _locked_row(assessment: Assessment) -> Assessment:
    """Re-read the assessment with its row locked, so a concurrent approval cannot slip between
    the lock check and the write (PostgreSQL; SQLite writes are serialised anyway)."""
    return (
        Assessment.objects.select_for_update()
        .select_related("unit", "workflow")
        .get(pk=assessment.pk)
    )


@transaction.atomic
def upload_evidence(
    *, actor, assessment: Assessment, criterion_id: int, upload: UploadedFile
) -> Evidence:
    """Store one evidence file for one criterion. Does not bump the assessment's revision: files
    are added side by side, never overwriting each other."""
    assessment = _locked_row(assessment)
    _require_editable(actor=actor, assessment=assessment)
    judgement = (
        CriterionJudgement.objects.filter(assessment=assessment, criterion_id=criterion_id)
        .select_related("criterion")
        .first()
    )
    if judgement is None:
        message = _("Chọn một tiêu chí của hồ sơ này.")
        raise AssessmentInputError(message, [{"field": "criterion", "message": message}])
    checked = check_file(upload)
    evidence = Evidence(
        assessment=assessment,
        criterion=judgement.criterion,
        original_name=clean_name(upload.name, checked.content_type),
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save("evidence", ContentFile(checked.data), save=False)
    try:  # a file whose row is not written is removed at once
        evidence.save()
        audit.record(
            actor=actor,
            action="assessment.evidence_uploaded",
            target=assessment,
            unit=assessment.unit,
            detail={
                "evidence": evidence.pk,
                "criterion": judgement.criterion.code,
                "name": evidence.original_name,
                "size": evidence.size,
                "content_type": evidence.content_type,
                "sha256": evidence.sha256,
            },
        )
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def delete_evidence(*, actor, evidence: Evidence) -> None:
    assessment = _locked_row(evidence.assessment)
    _require_editable(actor=actor, assessment=assessment)
    storage, name = evidence.file.storage, evidence.file.name
    audit.record(
        actor=actor,
        action="assessment.evidence_deleted",
        target=assessment,
        unit=assessment.unit,
        detail={
            "evidence": evidence.pk,
            "criterion": evidence.criterion.code,
            "name": evidence.original_name,
            "sha256": evidence.sha256,
        },
    )
    evidence.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))
