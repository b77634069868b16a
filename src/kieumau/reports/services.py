"""Starting, running, recovering and clearing report and export jobs.

`start_job` validates what was asked and queues `run_job` (django.tasks) once committed; with the
immediate backend (debug) it runs in the request. The task writes the file under a temporary name
and renames it when whole, keeping `done`/`total` and a heartbeat on the record so the page can
show progress and `recover_interrupted_jobs` can tell a dead job from a slow one.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from kieumau.accounts import scope
from kieumau.core import audit, jobs
from kieumau.orgunits.models import OrgUnit
from kieumau.reports import pdf, sheets, tables
from kieumau.reports.models import JobFormat, JobStatus, ReportJob

logger = logging.getLogger(__name__)

REVIEW = "review"
FORMATS_OF_REVIEW = (JobFormat.DOCX, JobFormat.PDF)
FORMATS_OF_TABLES = (JobFormat.XLSX, JobFormat.CSV)
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_SPAN_DAYS = 366 * 30
KEEP_HOURS = int(os.environ.get("KIEUMAU_REPORT_KEEP_HOURS", "72"))
MAX_TEXT = 4000


class JobRefused(ValueError):
    """What was asked cannot be done; `message` (Vietnamese) and `field` say why."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class ReviewOptions:
    """What the leader types before generating the review report (all bounded)."""

    number: str = ""
    place: str = ""
    proposals: str = ""
    recipients: str = ""
    signer_title: str = ""
    signer_name: str = ""
    plan: str = ""
    set_code: str = ""


def reports_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def parse_period(first: str | None, last: str | None, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """Bounded dates from text; defaults to the calendar year so far."""
    start = _date(first, field="from") if first else dt.date(today.year, 1, 1)
    end = _date(last, field="to") if last else today
    if end < start:
        raise JobRefused(_("Ngày kết thúc phải sau ngày bắt đầu."), field="to")
    if (end - start).days > MAX_SPAN_DAYS:
        raise JobRefused(_("Khoảng thời gian dài nhất là 30 năm."), field="to")
    return start, end


def plan_period(*, actor, number: str, default: tuple[dt.date, dt.date]):
    """The period of the plan numbered `number` (the default when there is no such plan)."""
    from kieumau.reports.figures import UnknownPlan, plan_by_number

    try:
        plan = plan_by_number(actor, number)
    except UnknownPlan:
        return default
    return plan.period_start, plan.period_end


def _date(text: str, *, field: str) -> dt.date:
    try:
        value = dt.date.fromisoformat(text.strip()) if len(text) <= 10 else None
    except ValueError:
        value = None
    if value is None or not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise JobRefused(_("Ngày không hợp lệ (cần dạng YYYY-MM-DD, từ năm 2000 đến 2100)."),
                         field=field)
    return value


def start_job(*, actor, unit: OrgUnit, subject: str, format: str, first: dt.date, last: dt.date,
              options: ReviewOptions | None = None) -> ReportJob:
    """Queue a report (subject "review") or a table export of `unit`'s subtree."""
    if not scope.can_see_unit(actor, unit):
        raise scope.NotVisible("not found")
    if subject == REVIEW:
        if format not in FORMATS_OF_REVIEW:
            raise JobRefused(_("Báo cáo chỉ xuất ra Word (.docx) hoặc PDF."), field="format")
        title = _("Báo cáo sơ kết, tổng kết — %(unit)s") % {"unit": unit.police_name}
    elif subject in sheets.TABLES:
        if format not in FORMATS_OF_TABLES:
            raise JobRefused(_("Bảng chỉ xuất ra Excel (.xlsx) hoặc CSV."), field="format")
        title = f"{sheets.TABLES[subject].title} — {unit.police_name}"
    else:
        raise JobRefused(_("Không có loại báo cáo này."), field="subject")
    if options is not None and options.plan:
        from kieumau.reports.figures import UnknownPlan, plan_by_number

        try:
            plan = plan_by_number(actor, options.plan)
        except UnknownPlan:
            raise JobRefused(_("Không có kế hoạch số này trong phạm vi của bạn."),
                             field="plan") from None
        unit = plan.issuing_unit
        if subject == REVIEW:
            title = _("Báo cáo sơ kết, tổng kết Kế hoạch %(number)s") % {"number": plan.number}
        else:
            title = f"{sheets.TABLES[subject].title} — {plan.number}"
    params = {"from": first.isoformat(), "to": last.isoformat()}
    if options is not None:
        params |= {key: _bounded(value) for key, value in vars(options).items() if value}
    with transaction.atomic():
        job = ReportJob.objects.create(
            unit=unit, subject=subject, format=format, params=params, title=title[:300],
            requested_by=actor, expires_at=timezone.now() + dt.timedelta(hours=KEEP_HOURS),
        )
        audit.record(actor=actor, action="report.requested", target=job, unit=unit,
                     detail={"subject": subject, "format": format})
        transaction.on_commit(lambda: run_job.enqueue(job_id=job.pk))
    return job


def _bounded(text: str) -> str:
    return str(text).replace("\x00", "")[:MAX_TEXT]


@task
def run_job(*, job_id: int) -> str:
    remove_expired()  # cheap, and keeps the folder from growing without a scheduler
    job = ReportJob.objects.filter(pk=job_id).select_related("unit", "requested_by").first()
    if job is None or job.status != JobStatus.QUEUED:
        return "missing" if job is None else job.status
    jobs.claim(job, status=JobStatus.RUNNING, started_at=timezone.now())
    temporary = None
    try:
        temporary = _produce(job)
        final = reports_dir() / f"{job.pk}-{os.urandom(8).hex()}.{job.format}"
        os.replace(temporary, final)  # whole or not at all
        temporary = None
        _update(job, status=JobStatus.DONE, file_name=final.name, file_size=final.stat().st_size,
                finished_at=timezone.now(), done=max(job.done, job.total), message="")
    except JobRefused as refused:
        _update(job, status=JobStatus.FAILED, message=refused.message[:500],
                finished_at=timezone.now())
    except pdf.PdfUnavailable:
        _update(job, status=JobStatus.FAILED, finished_at=timezone.now(), message=_(
            "Máy chủ chưa cài LibreOffice nên không tạo được PDF; hãy tải bản Word (.docx)."))
    except tables.TooManyRows as error:
        _update(job, status=JobStatus.FAILED, finished_at=timezone.now(), message=_(
            "Quá %(limit)s dòng, vượt giới hạn của Excel; hãy chọn CSV hoặc thu hẹp phạm vi.")
            % {"limit": f"{error.limit:,}".replace(",", ".")})
    except Exception:
        logger.exception("report job %s failed", job_id)
        _update(job, status=JobStatus.FAILED, finished_at=timezone.now(),
                message=_("Lỗi hệ thống khi tạo tệp; hãy thử lại hoặc báo quản trị."))
        raise
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    return job.status


def _update(job: ReportJob, **fields) -> None:
    for key, value in fields.items():
        setattr(job, key, value)
    ReportJob.objects.filter(pk=job.pk).update(**fields)


def _progress(job: ReportJob):
    def report(done: int) -> None:
        jobs.beat(job, done=done)
    return report


def _produce(job: ReportJob) -> Path:
    """Write the job's file under a temporary name in the reports folder; return its path."""
    user = job.requested_by
    if user is None or not user.is_active or not scope.can_see_unit(user, job.unit):
        raise JobRefused(_("Người yêu cầu không còn quyền xem phạm vi này."))
    first = dt.date.fromisoformat(job.params["from"])
    last = dt.date.fromisoformat(job.params["to"])
    handle, name = tempfile.mkstemp(dir=reports_dir(), prefix=".partial-", suffix=f".{job.format}")
    os.close(handle)
    path = Path(name)
    try:
        if job.subject == REVIEW:
            _write_review(job, user=user, first=first, last=last, path=path)
        else:
            params = sheets.Params(first, last, set_code=job.params.get("set_code", ""),
                                   plan=job.params.get("plan", ""))
            table = sheets.TABLES[job.subject].build(user, job.unit, params)
            _update(job, total=table.total or 0)
            if job.format == JobFormat.XLSX:
                tables.write_xlsx(table, path, progress=_progress(job))
            else:
                with path.open("wb") as out:
                    for chunk in tables.iter_csv(table, progress=_progress(job)):
                        out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _write_review(job: ReportJob, *, user, first: dt.date, last: dt.date, path: Path) -> None:
    from kieumau.reports import content, render

    options = ReviewOptions(**{k: v for k, v in job.params.items()
                               if k in ReviewOptions.__dataclass_fields__})
    _update(job, total=3)
    context = content.review_context(user=user, unit=job.unit, first=first, last=last,
                                     options=options)
    jobs.beat(job, done=1)
    from kieumau.reports.templates_docx import template_for

    data = render.render_docx(context, images=context.pop("_images", {}),
                              template=template_for(job.unit))
    jobs.beat(job, done=2)
    if job.format == JobFormat.DOCX:
        path.write_bytes(data)
        return
    with tempfile.TemporaryDirectory(dir=reports_dir(), prefix=".pdf-") as work:
        docx = Path(work) / "bao-cao.docx"
        docx.write_bytes(data)
        made = pdf.docx_to_pdf(docx, Path(work))
        shutil.move(made, path)


def file_path(job: ReportJob) -> Path | None:
    if job.status != JobStatus.DONE or not job.file_name:
        return None
    path = reports_dir() / job.file_name
    return path if path.is_file() else None


def recover_interrupted_jobs(*, now: dt.datetime | None = None) -> int:
    """Mark failed the jobs a crash left running (the product-wide `core.jobs` rule: process gone,
    or silent for JOB_STALE_MINUTES) and remove partial files older than that. Runs at server and
    worker start, from the watchdog and from `kieumau manage reports_cleanup`."""
    now = now or timezone.now()
    count = jobs.recover_interrupted_jobs()
    stale = now - dt.timedelta(minutes=settings.JOB_STALE_MINUTES)
    for partial in reports_dir().glob(".partial-*"):
        if dt.datetime.fromtimestamp(partial.stat().st_mtime, tz=dt.UTC) < stale:
            partial.unlink(missing_ok=True)
    return count


def remove_expired(*, now: dt.datetime | None = None) -> int:
    """Delete finished jobs past `expires_at` and their files."""
    now = now or timezone.now()
    expired = list(ReportJob.objects.filter(expires_at__lt=now).exclude(
        status__in=(JobStatus.QUEUED, JobStatus.RUNNING)))
    for job in expired:
        if job.file_name:
            (reports_dir() / job.file_name).unlink(missing_ok=True)
    ReportJob.objects.filter(pk__in=[job.pk for job in expired]).delete()
    return len(expired)
