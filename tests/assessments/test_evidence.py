import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from kieumau.assessments.errors import AssessmentLocked, NotEditableNow
from kieumau.assessments.evidence import (
    DOCX,
    XLSX,
    RefusedFile,
    delete_evidence,
    detect_type,
    upload_evidence,
)
from kieumau.core.models import AuditEvent
from tests.assessments.conftest import PDF_BYTES, approved, criterion, pdf, submitted

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00"
    b"\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def office_zip(main_type: str, main_part: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/{main_part}" ContentType="{main_type}"/></Types>'
            ),
        )
        archive.writestr(main_part, "<document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "Số tin báo"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(assessment, actor, file, code="TC 1"):
    return upload_evidence(
        actor=actor,
        assessment=assessment,
        criterion_id=criterion(assessment.criteria_set, code).pk,
        upload=file,
    )


def test_real_pdf_is_accepted(assessment, users):
    item = upload(assessment, users.thaihoa, pdf())
    assert (item.content_type, item.size, item.original_name) == (
        "application/pdf",
        len(PDF_BYTES),
        "nghi-quyet.pdf",
    )


def test_text_named_pdf_is_refused(assessment, users):
    with pytest.raises(RefusedFile) as refused:
        upload(assessment, users.thaihoa, pdf("gia-mao.pdf", b"just some text, not a PDF\n"))
    assert "theo nội dung, không theo tên" in refused.value.detail
    assert not assessment.evidence.exists()


def test_png_named_pdf_is_kept_as_png(assessment, users):
    item = upload(assessment, users.thaihoa, pdf("anh.pdf", PNG_BYTES))
    assert (item.content_type, item.original_name) == ("image/png", "anh.pdf.png")


def test_minimal_docx_is_word():
    assert detect_type(office_zip(WORD_MAIN, "word/document.xml")) == DOCX


def test_xlsx_from_openpyxl_is_excel():
    assert detect_type(xlsx_bytes()) == XLSX


def test_macro_enabled_word_is_refused():
    assert detect_type(office_zip(WORD_MACRO_MAIN, "word/document.xml")) is None


def test_word_with_a_vba_project_is_refused():
    data = office_zip(WORD_MAIN, "word/document.xml", {"word/vbaProject.bin": b"\0" * 10})
    assert detect_type(data) is None


def test_plain_zip_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bao-cao.txt", "nội dung")
    assert detect_type(buffer.getvalue()) is None


def test_docx_claiming_a_main_part_it_lacks_is_refused():
    data = office_zip(WORD_MAIN, "word/other.xml")
    assert detect_type(data.replace(b"/word/other.xml", b"/word/document.xml")) is None


def test_size_limit(assessment, users, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(RefusedFile) as refused:
        upload(assessment, users.thaihoa, pdf())
    assert "quá lớn" in refused.value.detail


def test_empty_file_is_refused(assessment, users):
    with pytest.raises(RefusedFile):
        upload(assessment, users.thaihoa, SimpleUploadedFile("x.pdf", b""))


def test_stored_under_a_generated_name(assessment, users, settings):
    item = upload(assessment, users.thaihoa, pdf("../../etc/passwd.pdf"))
    assert item.original_name == "passwd.pdf"
    assert item.file.name.startswith("evidence/")
    assert "passwd" not in item.file.name
    assert (settings.MEDIA_ROOT / item.file.name).read_bytes() == PDF_BYTES


def test_locked_assessment_refuses_new_evidence(assessment, users):
    approved(assessment, users)
    with pytest.raises(AssessmentLocked):
        upload(assessment, users.nghean, pdf())


def test_locked_assessment_refuses_deletion(assessment, users):
    approved(assessment, users)
    with pytest.raises(AssessmentLocked):
        delete_evidence(actor=users.nghean, evidence=assessment.evidence.get())


def test_unit_cannot_add_evidence_once_submitted(assessment, users):
    submitted(assessment, users)
    with pytest.raises(NotEditableNow):
        upload(assessment, users.thaihoa, pdf())


def test_upload_and_delete_are_audited(
    assessment, users, settings, django_capture_on_commit_callbacks
):
    item = upload(assessment, users.thaihoa, pdf())
    path = settings.MEDIA_ROOT / item.file.name
    with django_capture_on_commit_callbacks(execute=True):
        delete_evidence(actor=users.thaihoa, evidence=item)
    actions = list(
        AuditEvent.objects.filter(action__startswith="assessment.evidence")
        .order_by("at", "id")
        .values_list("action", "detail__name")
    )
    assert actions == [
        ("assessment.evidence_uploaded", "nghi-quyet.pdf"),
        ("assessment.evidence_deleted", "nghi-quyet.pdf"),
    ]
    assert not path.exists()


@given(st.binary(max_size=600))
def test_detection_never_fails_on_arbitrary_bytes(data):
    assert detect_type(data) in (None, "application/pdf", "image/png", "image/jpeg", DOCX, XLSX)


@given(st.binary(max_size=200))
def test_a_zip_of_anything_but_office_is_refused(payload):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.bin", payload)
    assert detect_type(buffer.getvalue()) is None


# --- the guarded opener (issue 6, holes 2 and 9) -------------------------------------------------


def test_a_second_content_types_part_is_refused_with_its_reason(assessment, users):
    """The macro check read the last of two [Content_Types].xml; Office may read the other."""
    from tests.core.bombs import append_member

    macro = office_zip(WORD_MACRO_MAIN, "word/document.xml")
    harmless = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/word/document.xml" ContentType="{WORD_MAIN}"/></Types>'
    )
    disguised = append_member(macro, "[Content_Types].xml", harmless.encode())
    assert detect_type(disguised) is None
    with pytest.raises(RefusedFile) as refused:
        upload(assessment, users.thaihoa, SimpleUploadedFile("bao-cao.docx", disguised))
    assert "hai thành phần cùng tên «[Content_Types].xml»" in refused.value.detail


def test_a_vba_part_under_another_name_is_refused():
    data = office_zip(WORD_MAIN, "word/document.xml", {"word/thu-vien.bin": b"\0" * 10})
    declared = data.replace(
        b'<Default Extension="xml"',
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        b'<Default Extension="xml"',
    )
    assert detect_type(data) == DOCX
    assert detect_type(declared) is None


def test_a_spreadsheet_bomb_is_refused_as_evidence(assessment, users):
    from tests.core.bombs import wide_row

    with pytest.raises(RefusedFile) as refused:
        upload(assessment, users.thaihoa, SimpleUploadedFile("so-lieu.xlsx", wide_row()))
    assert "nén bất thường" in refused.value.detail
