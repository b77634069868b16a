"""The anonymous survey: stored once, in the month's tally, with nothing that points at a person;
every bad input refused with a message and nothing stored."""

import datetime as dt

import pytest
from django.test import Client

from kieumau.citizens import selectors
from kieumau.citizens.models import SurveyAnswer, SurveyCode, SurveyTally
from kieumau.citizens.surveys import services
from tests.citizens.conftest import DUC_XUAN, THAI_HOA, answer, form_token, stored_answers


def test_the_form_needs_no_sign_in(db):
    page = Client().get(f"/s/{THAI_HOA}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Công an phường Thái Hòa" in text
    assert "Đăng ký tạm trú" in text
    assert text.count('type="radio"') == 25
    assert "<script" not in text


def test_an_answer_is_stored_with_the_month_only(thai_hoa):
    response = answer()
    assert response.status_code == 302
    assert response["Location"] == f"/s/{THAI_HOA}/cam-on/"
    stored = SurveyAnswer.objects.filter(unit=thai_hoa).get()
    assert stored.month.day == 1
    assert (stored.access, stored.procedure_score, stored.officer, stored.result,
            stored.feedback) == (5, 4, 5, 4, 4)
    fields = {field.name for field in SurveyAnswer._meta.get_fields()}
    assert not fields & {"created_at", "ip_address", "session", "code", "user", "at"}
    kinds = {field.get_internal_type() for field in SurveyAnswer._meta.concrete_fields}
    assert not kinds & {"DateTimeField", "GenericIPAddressField", "TimeField"}


def test_the_answer_lands_in_the_months_rate(thai_hoa, users):
    answer()
    answer(score_access="1", score_procedure="2", score_officer="3", score_result="2",
           score_feedback="1")
    month = SurveyAnswer.objects.filter(unit=thai_hoa).first().month
    rows = selectors.satisfaction_by_month(users.nghean, unit=thai_hoa, first=month, last=month)
    assert [(r.answers, r.satisfied, r.rate) for r in rows] == [(2, 1, 50)]
    assert rows[0].aspects["access"] == 3
    assert rows[0].too_few  # 2 < 30


@pytest.mark.parametrize("answers, too_few", [(29, True), (30, False)])
def test_a_figure_from_fewer_than_the_minimum_is_marked(thai_hoa, users, settings, answers,
                                                         too_few):
    settings.SURVEY_MIN_ANSWERS = 30
    month = dt.date(2026, 10, 1)
    SurveyTally.objects.create(unit=thai_hoa, month=month, answers=answers, satisfied=answers,
                               sum_access=4 * answers, sum_procedure=4 * answers,
                               sum_officer=4 * answers, sum_result=4 * answers,
                               sum_feedback=4 * answers)
    [row] = selectors.satisfaction_by_month(users.ministry, unit=thai_hoa, first=month, last=month)
    assert row.too_few is too_few


@pytest.mark.parametrize("total, satisfied", [(19, False), (20, True)])
def test_satisfied_means_an_average_of_four_or_better(thai_hoa, total, satisfied):
    scores = {"score_access": "4", "score_procedure": "4", "score_officer": "4",
              "score_result": "4", "score_feedback": str(total - 16)}
    answer(**scores)
    assert SurveyTally.objects.filter(unit=thai_hoa).get().satisfied == int(satisfied)


@pytest.mark.parametrize("changes, message", [
    ({"comment": "x" * 501}, "Góp ý dài quá 500 ký tự."),
    ({"score_result": "6"}, "Hãy chọn một mức từ 1 đến 5."),
    ({"score_result": "0"}, "Hãy chọn một mức từ 1 đến 5."),
    ({"score_officer": None}, "Hãy chọn một mức từ 1 đến 5."),
    ({"procedure": "khong-co"}, "Hãy chọn thủ tục đã làm."),
    ({"token": "forged:abc"}, "Phiếu không hợp lệ"),
    ({"code": "ABCD-EFGH"}, "Mã phiếu không đúng hoặc đã dùng."),
    ({"comment": "tốt\x00"}, "Góp ý có ký tự không hợp lệ."),
    ({"code": "AB\x00D"}, "Mã phiếu không đúng hoặc đã dùng."),
])
def test_bad_input_is_refused_and_stores_nothing(db, changes, message):
    response = answer(**changes)
    if any("\x00" in str(value) for value in changes.values()):
        # Refused before any view by the product-wide guard (core.middleware.RefuseBadInput).
        status, message = 422, "Không được chứa ký tự NUL"
    else:
        status = 400
    assert response.status_code == status
    assert message in response.content.decode()
    assert stored_answers() == 0
    assert not SurveyTally.objects.exists()


def test_a_comment_of_exactly_the_limit_is_accepted(db):
    assert answer(comment="x" * 500).status_code == 302


def test_an_unknown_unit_is_404_and_stores_nothing(db):
    assert Client().get("/s/99999/").status_code == 404
    assert Client().post("/s/99999/", {"procedure": "tam_tru"}).status_code == 404
    assert Client().get("/s/40/").status_code == 404  # a province takes no survey
    assert stored_answers() == 0


def test_a_token_of_another_unit_is_refused(db):
    client = Client()
    token = form_token(client, DUC_XUAN)
    response = client.post(f"/s/{THAI_HOA}/", {**_good(), "token": token})
    assert response.status_code == 400
    assert stored_answers() == 0


def _good():
    from tests.citizens.conftest import GOOD

    return GOOD


def test_a_form_is_spent_once(db):
    client = Client()
    token = form_token(client)
    assert client.post(f"/s/{THAI_HOA}/", {**_good(), "token": token, "code": ""}).status_code \
        == 302
    second = Client().post(f"/s/{THAI_HOA}/", {**_good(), "token": token})
    assert second.status_code == 409
    assert "đã được gửi" in second.content.decode()
    assert stored_answers() == 1


def test_the_same_browser_cannot_answer_twice_in_a_month(db):
    client = Client()
    assert answer(client).status_code == 302
    again = answer(client)
    assert again.status_code == 409
    assert "trong tháng này" in again.content.decode()
    assert stored_answers() == 1


def test_an_expired_form_is_refused(db, monkeypatch):
    client = Client()
    token = form_token(client)
    monkeypatch.setattr(services, "FORM_TOKEN_MAX_AGE", -1)
    response = client.post(f"/s/{THAI_HOA}/", {**_good(), "token": token})
    assert response.status_code == 400
    assert "quá hạn" in response.content.decode()
    assert stored_answers() == 0


def test_a_one_time_code_is_accepted_once(thai_hoa, users):
    [code] = services.issue_codes(actor=users.thaihoa, unit=thai_hoa, count=1)
    assert answer(code=code).status_code == 302
    reused = answer(code=code.lower())
    assert reused.status_code == 400
    assert "Mã phiếu không đúng hoặc đã dùng." in reused.content.decode()
    assert stored_answers() == 1
    assert SurveyCode.objects.filter(unit=thai_hoa, used=True).count() == 1


def test_codes_and_answers_cannot_be_matched(thai_hoa, users):
    codes = services.issue_codes(actor=users.thaihoa, unit=thai_hoa, count=3)
    for code in codes[:2]:
        answer(code=code)
    code_fields = {f.name for f in SurveyCode._meta.get_fields()}
    assert code_fields == {"id", "unit", "digest", "used", "batch"}
    answer_fields = {f.name for f in SurveyAnswer._meta.get_fields()}
    assert not answer_fields & {"code", "digest", "batch"}
    # The clear code is never stored.
    assert not SurveyCode.objects.filter(digest__in=codes).exists()


@pytest.mark.parametrize("count, ok", [(0, False), (1, True), (500, True), (501, False)])
def test_codes_per_batch_are_bounded(thai_hoa, users, count, ok):
    if ok:
        assert len(services.issue_codes(actor=users.thaihoa, unit=thai_hoa, count=count)) == count
    else:
        with pytest.raises(services.BadCodeRequest):
            services.issue_codes(actor=users.thaihoa, unit=thai_hoa, count=count)


def test_the_unit_budget_stops_a_flood(db, settings):
    settings.SURVEY_UNIT_PER_HOUR = 2
    assert answer().status_code == 302
    assert answer().status_code == 302
    third = answer()
    assert third.status_code == 429
    assert "quá nhiều phiếu" in third.content.decode()
    assert stored_answers() == 2


def test_the_unit_budget_holds_whatever_the_url(db, settings):
    settings.SURVEY_UNIT_PER_HOUR = 1
    assert answer().status_code == 302
    assert answer(code=None).status_code == 429
    # The same unit by an unpadded code or a trailing query is still the same unit.
    client = Client()
    token = form_token(client, "16939")
    response = client.post("/s/16939/?x=1", {**_good(), "token": token})
    assert response.status_code == 429
    assert stored_answers() == 1


@pytest.mark.parametrize("per_address, accepted", [(1, 1), (3, 3)])
def test_the_address_budget_is_per_address(db, settings, per_address, accepted):
    settings.SURVEY_ADDRESS_PER_HOUR = per_address
    results = [answer().status_code for _ in range(3)]
    assert results.count(302) == accepted
    # Another address still gets in: a shared address does not block the unit.
    client = Client()
    token = form_token(client)
    other = client.post(f"/s/{THAI_HOA}/", {**_good(), "token": token}, REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 302


def test_a_mistyped_code_keeps_the_form_and_the_budgets(thai_hoa, users, settings):
    settings.SURVEY_UNIT_PER_HOUR = 1
    [code] = services.issue_codes(actor=users.thaihoa, unit=thai_hoa, count=1)
    client = Client()
    token = form_token(client)
    wrong = client.post(f"/s/{THAI_HOA}/", {**_good(), "token": token, "code": "ZZZZ2222"})
    assert wrong.status_code == 400
    right = client.post(f"/s/{THAI_HOA}/", {**_good(), "token": token, "code": code})
    assert right.status_code == 302  # the same form, and the unit's one answer of the hour
    assert stored_answers() == 1


def test_a_replayed_form_counts_against_the_budgets(db, settings):
    """A budget counts every attempt that reaches the writes: replaying a sent form is a flood."""
    settings.SURVEY_UNIT_PER_HOUR = 2
    client = Client()
    token = form_token(client)
    assert client.post(f"/s/{THAI_HOA}/", {**_good(), "token": token}).status_code == 302
    assert Client().post(f"/s/{THAI_HOA}/", {**_good(), "token": token}).status_code == 409
    assert answer().status_code == 429
    assert stored_answers() == 1


def test_a_form_refused_by_a_budget_is_not_spent(db, settings):
    settings.SURVEY_UNIT_PER_HOUR = 1
    assert answer().status_code == 302
    client = Client()
    token = form_token(client)
    assert client.post(f"/s/{THAI_HOA}/", {**_good(), "token": token}).status_code == 429
    settings.SURVEY_UNIT_PER_HOUR = 2  # later, or a larger budget
    assert client.post(f"/s/{THAI_HOA}/", {**_good(), "token": token}).status_code == 302
    assert stored_answers() == 2


def test_a_code_spent_after_it_was_checked_stores_nothing(thai_hoa, users, monkeypatch):
    """Two answers with one code both pass the check; the writes spend it once: the second is
    refused with the code's message and stores no answer and no tally."""
    [code] = services.issue_codes(actor=users.thaihoa, unit=thai_hoa, count=1)
    assert answer(code=code).status_code == 302
    monkeypatch.setattr(services, "code_unused", lambda **_: True)  # the check ran first
    late = answer(code=code)
    assert late.status_code == 400
    assert "Mã phiếu không đúng hoặc đã dùng." in late.content.decode()
    assert stored_answers() == 1
    assert SurveyTally.objects.get(unit=thai_hoa).answers == 1


def test_two_answers_racing_with_one_code_store_one(committed, monkeypatch):
    """For real, each racer on its own connection: two residents send one code at once, both
    pass the check (held together just after it), and the writes spend the code once."""
    from tests.committed import Pause, committed_users, race
    from tests.conftest import unit

    thai_hoa = unit(THAI_HOA)
    [code] = services.issue_codes(actor=committed_users("code").thaihoa, unit=thai_hoa, count=1)
    tokens = [form_token(Client()) for _ in range(2)]
    monkeypatch.setattr(services, "code_unused", Pause(services.code_unused))

    def send(token):
        return Client().post(f"/s/{THAI_HOA}/",
                             {**_good(), "token": token, "code": code}).status_code

    assert sorted(race(lambda: send(tokens[0]), lambda: send(tokens[1]))) == [302, 400]
    assert SurveyAnswer.objects.filter(unit=thai_hoa).count() == 1
    assert SurveyTally.objects.get(unit=thai_hoa).answers == 1
