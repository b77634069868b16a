"""A province's own Word template: checked on upload, used for its reports, scoped."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from kieumau.reports import services, templates_docx
from kieumau.reports.models import JobStatus
from kieumau.reports.render import DEFAULT_TEMPLATE
from tests.conftest import client_for, unit


def own_template(marker: str = "MẪU RIÊNG NGHỆ AN") -> bytes:
    document = Document(str(DEFAULT_TEMPLATE))
    document.paragraphs[0].insert_paragraph_before(marker)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def broken_template() -> bytes:
    document = Document(str(DEFAULT_TEMPLATE))
    document.add_paragraph("{{ units_summary ")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_province_template_is_used_for_reports_under_it(users, django_capture_on_commit_callbacks):
    templates_docx.upload_template(actor=users.nghean, unit=unit("40"), name="mau.docx",
                                   data=own_template())
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(actor=users.thaihoa, unit=unit("16939"), subject="review",
                                 format="docx", first=dt.date(2026, 1, 1),
                                 last=dt.date(2026, 6, 30))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    assert "MẪU RIÊNG NGHỆ AN" in Document(services.file_path(job)).paragraphs[0].text


def test_other_provinces_keep_the_shipped_template(users, django_capture_on_commit_callbacks):
    templates_docx.upload_template(actor=users.nghean, unit=unit("40"), name="mau.docx",
                                   data=own_template())
    assert templates_docx.template_for(unit("01840")) == DEFAULT_TEMPLATE


def test_an_upload_that_fails_after_its_file_was_written_leaves_no_file(users, settings,
                                                                       monkeypatch):
    from kieumau.core import audit

    def broken(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        templates_docx.upload_template(actor=users.nghean, unit=unit("40"), name="mau.docx",
                                       data=own_template())
    assert settings.MEDIA_ROOT.exists()  # the file was written before the failure
    assert not any(settings.MEDIA_ROOT.rglob("*.docx"))


def test_a_template_with_a_broken_tag_is_refused_with_the_reason(users):
    with pytest.raises(templates_docx.TemplateRefused) as refused:
        templates_docx.upload_template(actor=users.nghean, unit=unit("40"), name="x.docx",
                                       data=broken_template())
    assert "thẻ không hợp lệ" in refused.value.message


def test_a_template_with_macros_is_refused(users):
    data = io.BytesIO(own_template())
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("word/vbaProject.bin", b"\x00" * 10)
    with pytest.raises(templates_docx.TemplateRefused) as refused:
        templates_docx.check_template(data.getvalue())
    assert "macro" in refused.value.message


def test_a_commune_cannot_have_its_own_template(users):
    with pytest.raises(templates_docx.TemplateRefused):
        templates_docx.upload_template(actor=users.thaihoa, unit=unit("16939"), name="x.docx",
                                       data=own_template())


def test_the_upload_page_names_the_problem_and_keeps_nothing(users):
    response = client_for(users.nghean).post("/reports/templates/", {
        "file": SimpleUploadedFile("mau.docx", b"not a zip at all")})
    assert response.status_code == 200
    assert "Tệp" in response.content.decode() and 'role="alert"' in response.content.decode()
    assert not templates_docx.ReportTemplate.objects.exists()


def test_it_checks_scope(users):
    template = templates_docx.upload_template(actor=users.nghean, unit=unit("40"), name="m.docx",
                                              data=own_template())
    url = f"/reports/templates/{template.pk}/retire/"
    assert client_for(users.thainguyen).post(url).status_code == 404
    assert client_for(users.inspector).post(url).status_code == 403
    template.refresh_from_db()
    assert template.active
    assert client_for(users.nghean).post(url).status_code == 302
    template.refresh_from_db()
    assert not template.active
