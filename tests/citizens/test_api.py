"""/api/citizens gives the same numbers as the pages, and no personal data."""

from decimal import Decimal

import pytest

from tests.citizens.conftest import THAI_HOA, answer
from tests.conftest import api_client_for


def test_the_api_and_the_selector_give_the_same_rate(thai_hoa, users):
    from django.utils import timezone

    from kieumau.citizens import selectors

    answer()
    answer(score_access="1", score_procedure="1", score_officer="1", score_result="1",
           score_feedback="1")
    month = timezone.localdate().replace(day=1)
    label = month.strftime("%Y-%m")
    body = api_client_for(users.nghean).get(
        f"/api/citizens/satisfaction?unit={THAI_HOA}&from={label}&to={label}").json()
    [row] = selectors.satisfaction_by_month(users.nghean, unit=thai_hoa, first=month, last=month)
    [got] = body
    assert (got["month"], got["answers"], got["satisfied"], got["too_few"]) == (label, 2, 1, True)
    assert Decimal(str(got["rate"])) == row.rate == Decimal("50.0")
    assert Decimal(str(got["aspects"]["access"])) == row.aspects["access"] == Decimal("3.00")


@pytest.mark.parametrize("query", ["from=2026-13&to=2026-01", "from=2026-05&to=2026-01",
                                   "from=2010-01&to=2026-01"])
def test_bad_months_answer_422(users, query):
    response = api_client_for(users.ministry).get(
        f"/api/citizens/requests/counts?unit={THAI_HOA}&{query}")
    assert response.status_code == 422


def test_request_counts_hold_no_personal_data(thai_hoa, users):
    from kieumau.citizens.requests import services

    services.file_request(unit=thai_hoa, data=services.RequestInput(
        category_code="khac", description="Nội dung riêng", contact_name="Phạm Văn D"),
        address="x")
    response = api_client_for(users.thaihoa).get(f"/api/citizens/requests/counts?unit={THAI_HOA}")
    assert response.status_code == 200
    assert response.json()[-1]["received"] == 1
    assert "Phạm" not in response.content.decode() and "riêng" not in response.content.decode()
