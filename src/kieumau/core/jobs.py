"""Records of long work (imports, reports, exports) that a crash can interrupt.

A model that records such work subclasses `JobRecord`: it gets `worker` (which process runs it:
host, pid and the process's start time, so a reused pid is not mistaken for it) and
`heartbeat_at` (when it last showed progress), and says which of its statuses mean "running"
and how it reads once interrupted. The work calls `claim(record)` when it starts and `beat(record)`
as it progresses.

`recover_interrupted_jobs()` finds running records whose process is gone (same host) or that
gave no sign of life for `JOB_STALE_MINUTES` (any host) and marks them failed with a message a
person understands. It runs when the server or the worker starts (`kieumau serve`,
`kieumau worker`) and from the watchdog `kieumau manage recover_jobs [--every SECONDS]`.
What the work wrote stays all or nothing: it writes in one transaction, which the database
rolls back when the process dies.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from typing import ClassVar

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from kieumau.core import audit

logger = logging.getLogger(__name__)


class JobRecord(models.Model):
    worker = models.CharField(max_length=200, blank=True)  # "host:pid:start", see this_worker
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    RUNNING_STATUSES: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def interrupted_fields(self, *, message: str, now: dt.datetime) -> dict:
        """The fields to set on a record whose work was interrupted (a failed status and the
        message, where this kind of record shows it)."""
        raise NotImplementedError


def _process_start(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), "" where unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            # The command name (field 2) may hold spaces: count fields after its ")".
            return stat.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return ""


def this_worker() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_process_start(pid)}"


def is_alive(worker: str) -> bool | None:
    """Whether the process named by `worker` still runs; None when it ran on another host."""
    try:
        host, pid_text, started = worker.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return None
    if host != socket.gethostname():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, owned by another user
    return started == "" or _process_start(pid) == started


def claim(record: JobRecord, **fields) -> None:
    """The work on `record` starts in this process (with `fields`, e.g. a running status)."""
    now = timezone.now()
    _update(record, worker=this_worker(), heartbeat_at=now, **fields)


def beat(record: JobRecord, **fields) -> None:
    """Progress on `record` (with `fields`, e.g. rows processed); outside any transaction."""
    _update(record, heartbeat_at=timezone.now(), **fields)


def _update(record: JobRecord, **fields) -> None:
    for name, value in fields.items():
        setattr(record, name, value)
    type(record)._default_manager.filter(pk=record.pk).update(**fields)


def interrupted_message() -> str:
    return _(
        "Việc bị gián đoạn vì máy chủ dừng giữa chừng; không có dữ liệu nào được ghi. "
        "Hãy làm lại."
    )


def job_models() -> list[type[JobRecord]]:
    return [model for model in apps.get_models() if issubclass(model, JobRecord)]


def recover_interrupted_jobs(*, stale_after: dt.timedelta | None = None) -> int:
    """Mark failed every running job whose process is gone or silent; returns how many."""
    if stale_after is None:
        stale_after = dt.timedelta(minutes=settings.JOB_STALE_MINUTES)
    now = timezone.now()
    recovered = 0
    for model in job_models():
        running = model._default_manager.filter(status__in=model.RUNNING_STATUSES)
        for record in running.only("pk", "status", "worker", "heartbeat_at"):
            alive = is_alive(record.worker) if record.worker else None
            silent = record.heartbeat_at is None or now - record.heartbeat_at > stale_after
            if alive is False or (alive is None and silent):
                fields = record.interrupted_fields(message=interrupted_message(), now=now)
                # Only if nothing moved meanwhile (the work may have just finished).
                changed = model._default_manager.filter(
                    pk=record.pk,
                    status=record.status,
                    worker=record.worker,
                    heartbeat_at=record.heartbeat_at,
                ).update(**fields)
                if changed:
                    recovered += 1
                    audit.record(
                        actor=None,
                        action="jobs.interrupted",
                        target=record,
                        detail={"worker": record.worker, "status": record.status},
                    )
                    logger.warning(
                        "%s %s interrupted (worker %r, last heartbeat %s): marked failed",
                        model._meta.label,
                        record.pk,
                        record.worker,
                        record.heartbeat_at,
                    )
    return recovered
