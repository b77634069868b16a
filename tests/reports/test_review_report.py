"""The review report: the plan's pilots, criteria table, budget and awards, and the same numbers
as the dashboard for the same scope and date."""

import datetime as dt

import pytest
from docx import Document

from kieumau.dashboards import selectors as dashboard_selectors
from kieumau.programs import services as program_services
from kieumau.reports import content, render, services
from kieumau.reports.models import JobStatus
from tests.conftest import unit
from tests.programs.conftest import THAI_HOA_OLD, official_result


def _text(data: bytes) -> str:
    import io

    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _report(users, **options) -> str:
    context = content.review_context(
        user=users.nghean, unit=unit("40"), first=dt.date(2023, 1, 1),
        last=dt.date(2023, 12, 31), options=services.ReviewOptions(**options))
    return _text(render.render_docx(context, images=context.pop("_images", {})))


def test_a_plan_report_names_its_pilots_budget_and_awards(users, plan):
    program_services.add_budget_line(actor=users.nghean, plan=plan, year=2023, amount=750_000_000,
                                     purpose="Hỗ trợ các phường", unit=None)
    program_services.add_award(actor=users.nghean, plan=plan, kind="collective",
                               title="giay_khen", recipient="Công an phường Hòa Hiếu",
                               decision_number="12/QĐ-CAT", decision_date=dt.date(2023, 12, 1),
                               issuing_body="Giám đốc Công an tỉnh")
    text = _report(users, plan=plan.number)
    assert f"Kế hoạch số {plan.number}" in text
    for code in THAI_HOA_OLD:
        assert unit(code, plan.date).police_name in text
    assert "750.000.000 đ" in text
    assert "1 tập thể, 0 cá nhân" in text and "Công an phường Hòa Hiếu" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Nơi nhận:" in text


def test_the_report_counts_equal_the_dashboard(users, manual_set):
    official_result(users, manual_set, code="16939", year=2023, met=True)
    official_result(users, manual_set, code="16993", year=2023, met=False)
    day = dt.date(2023, 12, 31)
    card = dashboard_selectors.dashboard(users.nghean, code="40", as_of=day,
                                         set_code="phuong-tay")
    figures = dashboard_selectors.as_figures(card, overdue=0)
    context = content.review_context(user=users.nghean, unit=unit("40", day),
                                     first=dt.date(2023, 1, 1), last=day,
                                     options=services.ReviewOptions(set_code="phuong-tay"))
    from_report = {row["label"]: row["count"] for row in context["standing_counts"]}
    from kieumau.reports.figures import standing_labels

    labels = standing_labels()
    assert {key: from_report[labels[key]] for key in figures["by_standing"]} == \
        figures["by_standing"]
    assert [(r["code"], r["unmet"]) for r in context["criteria"]] == \
        [(r["code"], r["unmet"]) for r in figures["criteria"]]
    assert sum(from_report.values()) == figures["communes"]
    assert figures["by_standing"]["qualifies"] == 1


def test_an_unknown_plan_is_refused_naming_the_field(users):
    with pytest.raises(services.JobRefused) as refused:
        services.start_job(actor=users.nghean, unit=unit("40"), subject="review", format="docx",
                           first=dt.date(2023, 1, 1), last=dt.date(2023, 12, 31),
                           options=services.ReviewOptions(plan="999/KH-XYZ"))
    assert refused.value.field == "plan"


def test_a_plan_job_is_issued_by_the_plans_unit(users, plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(actor=users.nghean, unit=unit("40"), subject="review",
                                 format="docx", first=dt.date(2023, 1, 1),
                                 last=dt.date(2023, 12, 31),
                                 options=services.ReviewOptions(plan=plan.number))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    assert job.unit_id == plan.issuing_unit_id
    assert plan.number in job.title
