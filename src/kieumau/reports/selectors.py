"""Reads of report jobs, always through the scope: a job is seen by whoever sees its unit."""

from django.db.models import QuerySet

from kieumau.accounts import scope
from kieumau.reports.models import ReportJob, ReportTemplate


def recent_jobs(user, *, limit: int = 20) -> QuerySet[ReportJob]:
    return ReportJob.objects.visible_to(user).select_related("unit", "requested_by")[:limit]


def get_job(user, pk: int) -> ReportJob:
    return scope.get_visible_or_404(ReportJob.objects.select_related("unit"), user, pk=pk)


def templates_for(user) -> QuerySet[ReportTemplate]:
    return ReportTemplate.objects.visible_to(user).filter(active=True).select_related(
        "unit", "uploaded_by")


def get_template(user, pk: int) -> ReportTemplate:
    return scope.get_visible_or_404(ReportTemplate.objects.filter(active=True), user, pk=pk)
