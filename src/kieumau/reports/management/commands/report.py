"""`kieumau report`: the review report or a table, written to a file, for scheduled jobs."""

import datetime as dt
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kieumau.accounts.models import Role, User
from kieumau.core.dates import today
from kieumau.orgunits import tree
from kieumau.orgunits.models import OrgUnit
from kieumau.reports import pdf, services, sheets
from kieumau.reports.models import JobStatus


class Command(BaseCommand):
    help = ("Write the review report of a unit (or a plan) or export a table: "
            "--unit CODE | --plan NUMBER [--from YYYY-MM-DD --to YYYY-MM-DD] "
            "--format docx|pdf|xlsx|csv --out PATH [--table NAME]")

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--unit", help="code of the unit (as of --to)")
        target.add_argument("--plan", help="number of the plan, e.g. 340/KH-CAT-XDPTBVANTQ")
        parser.add_argument("--from", dest="first")
        parser.add_argument("--to", dest="last")
        parser.add_argument("--format", required=True, choices=["docx", "pdf", "xlsx", "csv"])
        parser.add_argument("--table", choices=sorted(sheets.TABLES),
                            help="with xlsx/csv: which table (default: indicator_values)")
        parser.add_argument("--out", required=True)

    def handle(self, *args, unit, plan, first, last, format, table, out, **options):
        out_path = Path(out)
        if out_path.is_dir() or not os.access(out_path.parent if str(out_path.parent) else ".",
                                               os.W_OK):
            raise CommandError(f"cannot write {out}: not a writable file path")
        try:
            start, end = services.parse_period(first, last, today=today())
        except services.JobRefused as refused:
            raise CommandError(f"bad date: {refused.message}") from None
        if format == "pdf" and not pdf.available():
            raise CommandError("LibreOffice (soffice) is not installed: PDF cannot be made here; "
                               "use --format docx")
        actor = User.objects.filter(role=Role.MINISTRY_ADMIN, is_active=True).order_by("pk").first()
        if actor is None:
            raise CommandError("no active ministry admin exists to run the report as")
        if plan:
            from kieumau.reports.figures import UnknownPlan, plan_by_number

            try:
                found = plan_by_number(actor, plan)
            except UnknownPlan:
                raise CommandError(f"unknown plan {plan!r}") from None
            if not first and not last:
                start, end = found.period_start, found.period_end
            target = found.issuing_unit
        else:
            target = self._unit(unit, end)
        subject = services.REVIEW if format in ("docx", "pdf") else (table or "indicator_values")
        options_ = services.ReviewOptions(plan=plan or "")
        try:
            job = services.start_job(actor=actor, unit=target, subject=subject, format=format,
                                     first=start, last=end, options=options_)
        except services.JobRefused as refused:
            raise CommandError(refused.message) from None
        if job.status == JobStatus.QUEUED:  # a queueing backend: run it here, now
            services.run_job.call(job_id=job.pk)
        job.refresh_from_db()
        path = services.file_path(job)
        if job.status != JobStatus.DONE or path is None:
            raise CommandError(job.message or "the report could not be made")
        out_path.write_bytes(path.read_bytes())
        self.stdout.write(f"wrote {out_path} ({out_path.stat().st_size} bytes)")

    def _unit(self, code: str, day: dt.date) -> OrgUnit:
        try:
            return tree.unit_by_code(units=OrgUnit.objects.all(), code=code, as_of=day)
        except tree.UnitNotFound:
            raise CommandError(f"unknown unit {code!r} on {day:%Y-%m-%d}") from None
