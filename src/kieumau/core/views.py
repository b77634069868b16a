"""`/healthz`: for the proxy in front of the app servers and for monitoring; no sign-in."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the task queue's backlog when the database answers, 503 when it does not.

    A backlog that keeps ageing means no `kieumau manage db_worker` is running (or it is stuck);
    the proxy should only act on the status code, monitoring on the age."""
    from django_tasks_db.models import DBTaskResult

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        waiting = DBTaskResult.objects.ready()
        count = waiting.count()
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    except DatabaseError:
        # The reason goes to the log, not to whoever asks.
        logger.exception("healthz: the database did not answer")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    age = None if oldest is None else max(0, round((timezone.now() - oldest).total_seconds()))
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "tasks_waiting": count,
            "oldest_waiting_task_seconds": age,
        }
    )
