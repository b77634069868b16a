import hashlib
import io

from kieumau.citizens.demo import load_demo
from kieumau.citizens.models import CitizenRequest, Open311Client, SurveyTally
from kieumau.citizens.open311.views import DEMO_KEY


def test_demo_loads_once(thai_hoa):
    load_demo(stdout=io.StringIO())
    tallies = SurveyTally.objects.filter(unit=thai_hoa).count()
    load_demo(stdout=io.StringIO())
    assert SurveyTally.objects.filter(unit=thai_hoa).count() == tallies == 4
    assert CitizenRequest.objects.filter(unit=thai_hoa).count() == 4
    assert Open311Client.objects.filter(
        key_digest=hashlib.sha256(DEMO_KEY.encode()).hexdigest()).count() == 1


def test_demo_has_a_late_request(thai_hoa, users):
    from django.utils import timezone

    from kieumau.citizens import selectors
    from kieumau.indicators.months import add_months

    load_demo(stdout=io.StringIO())
    last = timezone.localdate().replace(day=1)
    rows = selectors.request_counts_by_month(users.thaihoa, unit=thai_hoa,
                                             first=add_months(last, -3), last=last)
    assert sum(row.late for row in rows) == 1 and sum(row.on_time for row in rows) == 1
