"""Pages of criteria sets: everyone signed in reads; the ministry edits national sets, a province
its own (tests/criteria/test_permissions.py)."""

import pytest

from kieumau.core.models import AuditEvent
from kieumau.criteria import services
from kieumau.criteria.models import CriteriaSet, Criterion
from tests.conftest import client_for
from tests.criteria.factories import small_spec

ROLES = ("ministry", "nghean", "thainguyen", "thaihoa", "inspector", "viewer")
NOT_ADMINS = ("thaihoa", "inspector", "viewer")


@pytest.fixture
def draft(indicators, users):
    return services.create_set(actor=users.ministry, spec=small_spec())


def url(criteria_set, suffix=""):
    return f"/criteria/{criteria_set.code}/{criteria_set.version}/{suffix}"


def criterion_url(criteria_set, code, suffix=""):
    pk = criteria_set.criteria.get(code=code).pk
    return url(criteria_set, f"criteria/{pk}/{suffix}")


def test_it_checks_scope(draft):
    # Sets are global reference data: no unit scope, but nobody signed out gets them.
    for path in ("/criteria/", url(draft), url(draft, "edit/")):
        response = client_for(None).get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")


def test_a_missing_set_is_404(users):
    response = client_for(users.viewer).get("/criteria/khong-co/2024/")
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_list(catalog, users, role, django_assert_max_num_queries):
    client = client_for(getattr(users, role))
    with django_assert_max_num_queries(8):
        response = client.get("/criteria/")
    assert response.status_code == 200
    assert "Công an phường kiểu mẫu về an ninh, trật tự và văn minh đô thị" in response.text


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_a_set(catalog, users, role):
    response = client_for(getattr(users, role)).get("/criteria/phuong-kieu-mau/2024/")
    assert response.status_code == 200
    assert "tin_bao_da_xu_ly &gt;= tin_bao_tiep_nhan" in response.text
    assert "Cải cách thủ tục hành chính" in response.text


def test_the_set_page_reads_its_criteria_in_few_queries(
    catalog, users, django_assert_max_num_queries
):
    client = client_for(users.viewer)
    with django_assert_max_num_queries(12):
        response = client.get("/criteria/phuong-kieu-mau/2023/")
    assert response.status_code == 200
    from kieumau.criteria.models import CriteriaSet

    ward = CriteriaSet.objects.get(code="phuong-kieu-mau", year=2023)
    for criterion in ward.criteria.all():
        assert criterion.code in response.text


def test_code_alone_goes_to_the_current_version(catalog, users):
    response = client_for(users.viewer).get("/criteria/phuong-kieu-mau/")
    assert response.status_code == 302
    assert response["Location"] == "/criteria/phuong-kieu-mau/2024/"


def test_the_nav_links_to_criteria_sets(users):
    response = client_for(users.viewer).get("/")
    assert 'href="/criteria/"' in response.text


def test_only_editors_of_the_set_see_edit_links(draft, users):
    assert "Sửa thông tin bộ" in client_for(users.ministry).get(url(draft)).text
    # A national set is the ministry's alone (tests/criteria/test_permissions.py).
    assert "Sửa thông tin bộ" not in client_for(users.nghean).get(url(draft)).text
    assert "Sửa thông tin bộ" not in client_for(users.thaihoa).get(url(draft)).text


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_edit_pages_are_forbidden_to_non_admins(draft, users, role):
    client = client_for(getattr(users, role))
    assert client.get(url(draft, "edit/")).status_code == 403
    assert client.post(url(draft, "edit/"), {"title": "X"}).status_code == 403
    assert client.get(criterion_url(draft, "TC 1")).status_code == 403
    assert client.get(criterion_url(draft, "TC 1", "remove/")).status_code == 403
    assert client.post(criterion_url(draft, "TC 1", "remove/")).status_code == 403
    assert client.get(url(draft, "criteria/new/")).status_code == 403
    assert client.post(url(draft, "publish/")).status_code == 403
    assert Criterion.objects.filter(criteria_set=draft).count() == 3


def set_form_data(**changes):
    data = {
        "title": "Bộ tiêu chí sửa",
        "document_number": "12/KH-CAT",
        "document_date": "2025-01-15",
        "document_body": "Công an tỉnh Nghệ An",
        "applies_to_kinds": ["phuong", "xa"],
        "period_start_day": "16",
        "period_start_month": "11",
        "period_months": "12",
        "outcome_rule": "points",
        "min_met": "",
        "grade_bands": "xuất sắc: 90\nkhá: 70\nyếu: 0 (không công nhận)",
        "groups": "I: Nhóm một",
        "reconstructed": "",
        "source_note": "",
    }
    data.update(changes)
    return data


def test_admin_edits_the_set_fields(draft, users):
    for code in ("TC 1", "TC 2", "TC 3"):
        services.update_criterion(
            actor=users.ministry,
            criteria_set=draft,
            key=draft.criteria.get(code=code).pk,
            changes={"points": 10},
        )
    response = client_for(users.ministry).post(url(draft, "edit/"), set_form_data())
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.period_start_day, draft.outcome_rule) == (
        "Bộ tiêu chí sửa",
        16,
        "points",
    )
    assert draft.grade_bands[-1] == {"name": "yếu", "min_points": 0, "passing": False}
    assert AuditEvent.objects.filter(action="criteria_set.updated", actor=users.ministry).exists()


def test_a_bad_set_form_shows_the_message_and_changes_nothing(draft, users):
    response = client_for(users.ministry).post(url(draft, "edit/"), set_form_data())
    assert response.status_code == 422
    assert "bộ tiêu chí chấm điểm cần số điểm của mỗi tiêu chí" in response.text
    draft.refresh_from_db()
    assert draft.title == "Bộ tiêu chí thử nghiệm"


def criterion_form_data(**changes):
    data = {
        "group": "I",
        "code": "TC 2",
        "title": "Tin báo 100%",
        "guidance": "",
        "points": "",
        "kind": "indicator_rule",
        "expression": "tin_bao_da_xu_ly >= tin_bao_tiep_nhan",
        "child_sets": "",
        "child_min_percent": "",
    }
    data.update(changes)
    return data


def test_admin_edits_a_criterion(draft, users):
    response = client_for(users.ministry).post(
        criterion_url(draft, "TC 2"), criterion_form_data(expression="tin_bao_qua_han == 0")
    )
    assert response.status_code == 302
    assert draft.criteria.get(code="TC 2").expression == "tin_bao_qua_han == 0"


def test_a_bad_expression_shows_the_vietnamese_message(draft, users):
    response = client_for(users.ministry).post(
        criterion_url(draft, "TC 2"), criterion_form_data(expression="tin_bao_x >= 1")
    )
    assert response.status_code == 422
    assert "Biểu thức TC 2, vị trí 1: không có chỉ số «tin_bao_x»" in response.text
    assert draft.criteria.get(code="TC 2").expression == "tin_bao_da_xu_ly >= tin_bao_tiep_nhan"


def test_admin_adds_and_removes_criteria(draft, users):
    client = client_for(users.ministry)
    response = client.post(
        url(draft, "criteria/new/"),
        criterion_form_data(code="TC 4", title="Mô hình", expression="mo_hinh_quan_chung >= 1"),
    )
    assert response.status_code == 302
    confirm = client.get(criterion_url(draft, "TC 1", "remove/"))
    assert "Xóa tiêu chí TC 1?" in confirm.text
    assert client.post(criterion_url(draft, "TC 1", "remove/")).status_code == 302
    assert sorted(draft.criteria.values_list("code", flat=True)) == ["TC 2", "TC 3", "TC 4"]


def test_editing_a_set_in_use_from_the_page_makes_a_new_version(draft, users, monkeypatch):
    monkeypatch.setattr(CriteriaSet, "in_use", property(lambda s: s.pk == draft.pk))
    response = client_for(users.ministry).post(
        criterion_url(draft, "TC 1"),
        criterion_form_data(code="TC 1", kind="manual", expression="", title="Trụ sở mới"),
    )
    assert response.status_code == 302
    assert response["Location"] == "/criteria/thu-nghiem/2025.2/"
    assert draft.criteria.get(code="TC 1").title == "Trụ sở đạt chuẩn"


def test_the_expression_check_answers_in_vietnamese(indicators, users):
    client = client_for(users.thaihoa)
    bad = client.get("/criteria/check-expression/", {"expression": "x >= 1", "code": "TC 5"})
    assert "Biểu thức TC 5, vị trí 1: không có chỉ số «x»" in bad.text
    good = client.get("/criteria/check-expression/", {"expression": "can_bo_bi_ky_luat == 0"})
    assert "Biểu thức hợp lệ" in good.text


def test_admin_publishes_a_draft_and_starts_a_new_round(draft, users):
    client = client_for(users.ministry)
    assert client.post(url(draft, "publish/")).status_code == 302
    response = client.post(url(draft, "new-round/"), {"year": "2026"})
    assert response["Location"] == "/criteria/thu-nghiem/2026/"
    assert CriteriaSet.objects.get(code="thu-nghiem", version="2026").status == "draft"
