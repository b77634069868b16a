"""Programme and plan pages: forms, clear errors, what each role sees."""

import datetime as dt

from kieumau.programs import selectors
from kieumau.programs.models import Plan
from tests.conftest import client_for


def test_province_officer_creates_a_plan_from_the_form(users, program):
    response = client_for(users.nghean).post("/programs/plans/new/", {
        "program": program.pk, "number": "12/KH-CAT-PV05", "date": "2023-03-01",
        "issuing_unit": "40", "title": "Kế hoạch thử", "period_start": "2023-03-01",
        "period_end": "2025-12-31", "aims": ""})
    plan = Plan.objects.get(number="12/KH-CAT-PV05")
    assert response.status_code == 302 and response.url == f"/programs/plans/{plan.pk}/"


def test_a_bad_plan_number_is_explained(users, program):
    response = client_for(users.nghean).post("/programs/plans/new/", {
        "program": program.pk, "number": "KH12", "date": "2023-03-01", "issuing_unit": "40",
        "period_start": "2023-03-01", "period_end": "2025-12-31"})
    assert response.status_code == 422
    assert "340/KH-CAT-XDPTBVANTQ" in response.text
    assert not Plan.objects.exists()


def test_an_issuing_unit_outside_scope_is_a_form_error(users, program):
    response = client_for(users.nghean).post("/programs/plans/new/", {
        "program": program.pk, "number": "12/KH-CAT", "date": "2023-03-01", "issuing_unit": "19",
        "period_start": "2023-03-01", "period_end": "2025-12-31"})
    assert response.status_code == 422
    assert "Không có đơn vị mã 19" in response.text


def test_plan_page_shows_roadmap_checklist_money_and_merit(users, plan):
    from kieumau.programs import services

    services.set_target(actor=users.nghean, plan=plan, year=2023, kind="count", value=16)
    for enrolment in selectors.enrolments_of(users.nghean, plan=plan):
        services.record_step(actor=users.nghean, enrolment=enrolment, step="party_resolution",
                             done_on=dt.date(2023, 3, 10))
    services.add_budget_line(actor=users.nghean, plan=plan, year=2023, amount=750_000_000,
                             purpose="Hỗ trợ")
    services.add_award(actor=users.nghean, plan=plan, kind="collective", title="giay_khen",
                       recipient="Công an phường Hòa Hiếu", decision_number="1/QĐ-CAT",
                       decision_date=dt.date(2023, 12, 1), issuing_body="Giám đốc")
    page = client_for(users.nghean).get(f"/programs/plans/{plan.pk}/?as_of=2026-11-23")
    assert page.status_code == 200
    text = page.text
    assert '<tr data-year="2023"><td>2023</td>' in text
    assert "Nghị quyết của Đảng ủy: <strong>04/04</strong>" in text
    assert "750.000.000 đ" in text
    assert "1 tập thể, 0 cá nhân" in text


def test_plan_page_takes_a_bounded_number_of_queries(users, plan, django_assert_max_num_queries):
    client = client_for(users.nghean)
    client.get(f"/programs/plans/{plan.pk}/")  # warm the session and caches
    with django_assert_max_num_queries(30):
        assert client.get(f"/programs/plans/{plan.pk}/").status_code == 200


def test_enrolling_an_unknown_ward_says_so(users, plan):
    response = client_for(users.nghean).post(f"/programs/plans/{plan.pk}/units/",
                                             {"unit": "99999", "target_year": "2024",
                                              "stage": "pilot"})
    assert response.status_code == 422
    assert "Không có đơn vị mã 99999" in response.text


def test_a_budget_amount_with_decimals_is_refused(users, plan):
    response = client_for(users.nghean).post(f"/programs/plans/{plan.pk}/budget/", {
        "year": "2023", "amount": "750.000,5", "purpose": "Hỗ trợ", "unit": ""})
    assert response.status_code == 422
    assert "số đồng nguyên" in response.text


def test_a_budget_line_written_with_dots_is_stored_in_dong(users, plan):
    response = client_for(users.nghean).post(f"/programs/plans/{plan.pk}/budget/", {
        "year": "2023", "amount": "750.000.000", "purpose": "Hỗ trợ", "unit": ""})
    assert response.status_code == 302
    assert [t.amount for t in selectors.budget_totals(users.nghean, plan=plan)] == [750_000_000]


def test_merging_from_the_page(users, plan):
    from tests.programs.conftest import make_program

    other = make_program(users, name="Cải cách hành chính", codes=())
    response = client_for(users.nghean).post(f"/programs/{other.pk}/merge/",
                                             {"target": plan.program.pk, "confirm": "on"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.merged_into == plan.program


def test_ward_officer_sees_their_enrolment_on_their_unit_page(users, plan):
    page = client_for(users.thaihoa).get("/programs/units/16939/", HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    assert "125/KH-CAT-PV05" in page.text and "Hoà Hiếu" in page.text
    assert "Tây Hiếu" not in page.text and "Quang Tiến" not in page.text


def test_ward_officer_records_a_step_from_their_unit_page(users, plan):
    enrolment = selectors.enrolments_of(users.nghean, plan=plan).get(unit__code="16939")
    response = client_for(users.thaihoa).post(f"/programs/enrolments/{enrolment.pk}/steps/", {
        "step": "registration", "done_on": "2023-03-30", "document_number": "01/ĐK"})
    assert response.status_code == 302 and response.url.startswith("/units/16939/")
    assert enrolment.steps.get().document_number == "01/ĐK"


def test_viewer_reads_but_gets_no_forms(users, manual_set):
    from tests.programs.conftest import make_plan, make_program

    program = make_program(users, actor=users.thainguyen, owner="19", name="Thái Nguyên")
    plan = make_plan(users, program, actor=users.thainguyen, issuing="19")
    page = client_for(users.viewer).get(f"/programs/plans/{plan.pk}/")
    assert page.status_code == 200 and 'action="/programs/plans/' not in page.text


def test_it_checks_scope(users, plan):
    assert client_for(users.thainguyen).get(f"/programs/plans/{plan.pk}/").status_code == 404
    assert client_for(users.thaihoa).get(f"/programs/plans/{plan.pk}/").status_code == 404
