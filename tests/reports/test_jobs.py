"""Report and export jobs: run, progress, download within scope, expiry, crash recovery."""

import datetime as dt
import io

import openpyxl
import pytest
from django.conf import settings
from django.utils import timezone

from kieumau.indicators.services import load_indicators
from kieumau.reports import pdf, services
from kieumau.reports.models import JobStatus, ReportJob
from tests.conftest import client_for, unit
from tests.indicators.conftest import save

FIRST, LAST = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


@pytest.fixture(autouse=True)
def _run_on_commit(django_capture_on_commit_callbacks):
    global _commit
    _commit = django_capture_on_commit_callbacks


def _job(users, *, subject="indicator_values", format="xlsx", who="nghean", code="40"):
    """Start a job and run what it queued on commit (the immediate backend runs the task)."""
    with _commit(execute=True):
        return services.start_job(actor=getattr(users, who), unit=unit(code), subject=subject,
                                  format=format, first=FIRST, last=LAST)


def test_an_export_runs_and_its_file_downloads_for_someone_in_scope(users):
    job = _job(users)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    response = client_for(users.inspector).get(f"/reports/{job.pk}/download/")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active["A1"].value == "Mã đơn vị"


def test_the_indicator_export_carries_the_stored_values(users):
    load_indicators()
    save(users.thaihoa, unit("16939"), dt.date(2025, 9, 1), toi_pham_ttxh=4)
    job = _job(users)
    job.refresh_from_db()
    assert job.total == 1 and job.done == 1
    sheet = openpyxl.load_workbook(services.file_path(job)).active
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[:3] == ["16939", unit("16939").name, dt.datetime(2025, 9, 1)]
    column = next(i for i, title in enumerate(header) if title.endswith("(toi_pham_ttxh)"))
    assert row[column] == 4
    assert [value for value in row[3:] if value is not None] == [4]


def test_it_checks_scope(users):
    job = _job(users)
    for path in (f"/reports/{job.pk}/", f"/reports/{job.pk}/download/"):
        assert client_for(users.thainguyen).get(path).status_code == 404
        assert client_for(users.viewer).get(path).status_code == 404


def test_a_job_outside_scope_cannot_be_started(users):
    with pytest.raises(services.scope.NotVisible):
        _job(users, who="thaihoa", code="19")


def test_the_review_report_refuses_a_spreadsheet_format(users):
    with pytest.raises(services.JobRefused) as refused:
        _job(users, subject="review", format="xlsx")
    assert refused.value.field == "format"


@pytest.mark.parametrize(("first", "last", "field"), [
    ("2025-13-01", None, "from"), ("1999-12-31", None, "from"), ("2025-01-01", "2024-12-31", "to"),
    ("0", None, "from"), ("2025-01-01x", None, "from"), ("2000-01-01", "2030-12-31", "to"),
])
def test_bad_periods_are_refused_naming_the_field(first, last, field):
    with pytest.raises(services.JobRefused) as refused:
        services.parse_period(first, last, today=dt.date(2026, 11, 30))
    assert refused.value.field == field


def test_a_thirty_year_period_is_accepted():
    assert services.parse_period("2001-01-01", "2030-12-31", today=dt.date(2026, 1, 1)) == (
        dt.date(2001, 1, 1), dt.date(2030, 12, 31))


def test_progress_page_polls_until_finished(users):
    job = _job(users)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=40, total=100)
    html = client_for(users.nghean).get(f"/reports/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html and "40/100" in html
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    html = client_for(users.nghean).get(f"/reports/{job.pk}/", HTTP_HX_REQUEST="true").content
    assert b"every 1s" not in html and b"/download/" in html


def test_a_crashed_job_is_marked_failed_by_recovery(users):
    job = _job(users)
    long_ago = timezone.now() - dt.timedelta(minutes=settings.JOB_STALE_MINUTES + 1)
    # Claimed by a process on another machine that has since gone silent.
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=long_ago,
                                               worker="other-host:4242:1")
    assert services.recover_interrupted_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "gián đoạn" in job.message


def test_a_running_job_with_a_fresh_heartbeat_is_left_alone(users):
    job = _job(users)
    recent = timezone.now() - dt.timedelta(minutes=settings.JOB_STALE_MINUTES - 1)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=recent,
                                               worker="other-host:4242:1")
    assert services.recover_interrupted_jobs() == 0


def test_expired_jobs_and_their_files_are_removed(users):
    job = _job(users)
    job.refresh_from_db()
    path = services.file_path(job)
    assert path is not None and path.exists()
    assert services.remove_expired(now=job.expires_at - dt.timedelta(seconds=1)) == 0
    assert services.remove_expired(now=job.expires_at + dt.timedelta(seconds=1)) == 1
    assert not path.exists()
    assert not ReportJob.objects.filter(pk=job.pk).exists()


def test_the_review_report_is_a_word_document(users):
    job = _job(users, subject="review", format="docx", who="thainguyen", code="19")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    from docx import Document
    text = "\n".join(p.text for p in Document(services.file_path(job)).paragraphs)
    assert "BÁO CÁO" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text or "Độc lập" in _all_text(services.file_path(job))


def _all_text(path) -> str:
    from docx import Document
    document = Document(path)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_pdf_carries_the_motto_with_its_diacritics(users):
    import shutil
    import subprocess

    if not pdf.available() or not shutil.which("pdftotext"):
        from tests.e2e.conftest import missing
        missing("LibreOffice and pdftotext are needed (apt-get install libreoffice-writer-nogui "
                "poppler-utils)")
    job = _job(users, subject="review", format="pdf", who="thainguyen", code="19")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    text = subprocess.run(["pdftotext", str(services.file_path(job)), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text


def test_without_libreoffice_the_pdf_job_says_so_plainly(users, monkeypatch):
    monkeypatch.setenv("KIEUMAU_SOFFICE", "/nonexistent/soffice")
    job = _job(users, subject="review", format="pdf", who="thainguyen", code="19")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "LibreOffice" in job.message and ".docx" in job.message


def test_the_export_buttons_start_a_job_and_lead_to_its_page(users):
    response = client_for(users.nghean).post("/reports/", {
        "subject": "indicator_values", "unit": "40", "format": "csv",
        "date_from": "2025-01-01", "date_to": "2025-12-31"})
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert response["Location"] == f"/reports/{job.pk}/"
    assert job.params["from"] == "2025-01-01" and job.unit.code == "40"


def test_the_cleanup_command_reports_what_it_did(users):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("reports_cleanup", stdout=out)
    assert out.getvalue().startswith("interrupted jobs marked failed: 0; expired jobs removed: 0")
