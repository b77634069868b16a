"""Reads of report jobs, always through the scope: a job is seen by whoever sees its unit."""

from django.db.models import QuerySet

from kieumau.accounts import scope
from kieumau.reports.models import ReportJob


def recent_jobs(user, *, limit: int = 20) -> QuerySet[ReportJob]:
    return ReportJob.objects.visible_to(user).select_related("unit", "requested_by")[:limit]


def get_job(user, pk: int) -> ReportJob:
    return scope.get_visible_or_404(ReportJob.objects.select_related("unit"), user, pk=pk)
