"""Demo data of the citizens domain, loaded by `kieumau demo` (debug only): a few months of survey
answers and some requests for phường Thái Hòa, one of them handled late, and the demo Open311
client whose key is `kieumau-demo-open311` (accepted only while debug is on)."""

import datetime as dt
import hashlib
import random

from django.db import transaction
from django.utils import timezone

from kieumau.citizens.models import CitizenRequest, Open311Client, Status, SurveyTally
from kieumau.citizens.open311.views import DEMO_KEY
from kieumau.citizens.requests import services as request_services
from kieumau.citizens.surveys.services import record_answer
from kieumau.indicators.months import add_months
from kieumau.orgunits import tree
from kieumau.orgunits.models import OrgUnit

DEMO_UNIT = "16939"  # phường Thái Hòa
MONTHS = 4


@transaction.atomic
def load_demo(*, stdout) -> None:
    """Idempotent: a unit that already has answers or requests is left as it is."""
    Open311Client.objects.get_or_create(key_digest=hashlib.sha256(DEMO_KEY.encode()).hexdigest(),
                                        defaults={"name": "Demo Open311 client"})
    today = timezone.localdate()
    unit = tree.unit_by_code(units=OrgUnit.objects.all(), code=DEMO_UNIT, as_of=today)
    if SurveyTally.objects.filter(unit=unit).exists() or \
            CitizenRequest.objects.filter(unit=unit).exists():
        stdout.write("Người dân: dữ liệu demo đã có.\n")
        return
    rng = random.Random(16939)
    this_month = today.replace(day=1)
    answers = 0
    for back in range(MONTHS, 0, -1):
        month = add_months(this_month, -back)
        for _ in range(rng.randint(25, 45)):
            good = rng.random() < 0.9
            scores = [rng.choice((4, 5) if good else (2, 3)) for _ in range(5)]
            record_answer(unit=unit, month=month, values={
                "procedure": rng.choice(("thuong_tru", "tam_tru", "tam_vang", "xac_nhan_cu_tru")),
                "access": scores[0], "procedure_score": scores[1], "officer": scores[2],
                "result": scores[3], "feedback": scores[4], "comment": ""})
            answers += 1
    now = timezone.now()
    samples = [("trat-tu-cong-cong", 40, Status.RESOLVED, 3), ("trom-cap", 30, Status.RESOLVED, 25),
               ("giao-thong", 12, Status.IN_PROGRESS, None), ("phong-chay", 2, Status.RECEIVED, None)]
    for category, days_ago, status, handled_after in samples:
        received = now - dt.timedelta(days=days_ago)
        filed = request_services.file_request(
            unit=unit, data=request_services.RequestInput(
                category_code=category, description="Phản ánh mẫu (dữ liệu demo)",
                address="phường Thái Hòa, tỉnh Nghệ An"),
            address="demo", client=None, now=received)
        if status == Status.IN_PROGRESS:
            _move(filed, Status.IN_PROGRESS, received + dt.timedelta(days=1))
        elif status == Status.RESOLVED:
            _move(filed, Status.RESOLVED, received + dt.timedelta(days=handled_after))
    stdout.write(f"Người dân: {answers} phiếu khảo sát, {len(samples)} phản ánh mẫu cho "
                 f"{unit.police_name}; khóa Open311 demo: {DEMO_KEY}\n")


def _move(filed: CitizenRequest, to: str, when: dt.datetime) -> None:
    """Demo history without an account: the same fields and trail the service writes."""
    from kieumau.citizens.models import RequestEvent

    before = filed.status
    filed.status, filed.updated_at = to, when
    if to == Status.RESOLVED:
        filed.resolved_at = when
        filed.status_note = "Đã xác minh, nhắc nhở (dữ liệu demo)"
    filed.save()
    RequestEvent.objects.create(request=filed, at=when, from_status=before, to_status=to,
                                note=filed.status_note)
