"""/api/criteria-sets: the list shape, a full set, exports, and admin-only writes."""

import datetime as dt
import io

import pytest
import yaml
from openpyxl import load_workbook

from kieumau.criteria import services
from kieumau.criteria.models import CriteriaSet
from kieumau.criteria.spec import OwnerSpec, dump_yaml, spec_to_jsonable
from tests.conftest import api_client_for
from tests.criteria.factories import small_spec

NOT_ADMINS = ("thaihoa", "inspector", "viewer")


def test_it_checks_scope(catalog):
    # Sets are not unit-scoped, but the API needs a signed-in user.
    for path in (
        "/api/criteria-sets",
        "/api/criteria-sets/tt124-xa",
        "/api/criteria-sets/tt124-xa/export.yaml",
    ):
        assert api_client_for(None).get(path).status_code == 401


def test_a_missing_set_is_404(catalog, users):
    assert api_client_for(users.viewer).get("/api/criteria-sets/khong-co").status_code == 404
    response = api_client_for(users.viewer).get("/api/criteria-sets/tt124-xa?version=1999")
    assert response.status_code == 404


def test_list_has_the_agreed_shape(catalog, users, django_assert_max_num_queries):
    client = api_client_for(users.thaihoa)
    with django_assert_max_num_queries(6):
        body = client.get("/api/criteria-sets").json()
    assert body["count"] == 9 == len(body["items"])
    ward = next(
        i for i in body["items"] if (i["code"], i["version"]) == ("phuong-kieu-mau", "2024")
    )
    assert ward == {
        "code": "phuong-kieu-mau",
        "version": "2024",
        "title": "Công an phường kiểu mẫu về an ninh, trật tự và văn minh đô thị",
        "outcome": "all",
        "criteria_count": 20,
        "reconstructed": True,
    }
    movement = next(i for i in body["items"] if i["code"] == "phong-trao-qd510")
    assert movement["outcome"] == "points"


def test_a_set_comes_with_groups_and_criteria(catalog, users):
    body = (
        api_client_for(users.viewer).get("/api/criteria-sets/phuong-kieu-mau?version=2023").json()
    )
    assert body["version"] == "2023"
    assert body["status"] == "published"
    assert len(body["groups"]) == 6
    assert sum(len(g["criteria"]) for g in body["groups"]) == 22 == body["criteria_count"]
    assert body["document"] == {
        "number": "556/KH-BCA-V05",
        "date": "2022-11-04",
        "body": "Bộ Công an",
    }


def test_without_version_the_current_one_is_given(catalog, users):
    body = api_client_for(users.viewer).get("/api/criteria-sets/phuong-kieu-mau").json()
    assert body["version"] == "2024"


def test_yaml_export_reads_back_into_the_same_set(catalog, users):
    response = api_client_for(users.viewer).get("/api/criteria-sets/tt124-xa/export.yaml")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tt124-xa-2022.yaml"'
    data = yaml.safe_load(response.content.decode())
    assert data["code"] == "tt124-xa"
    assert data["groups"][3]["criteria"][1]["child_sets"][0] == "tt124-khu-dan-cu"


def test_xlsx_export_opens_with_a_row_per_criterion(catalog, users):
    response = api_client_for(users.viewer).get("/api/criteria-sets/phuong-kieu-mau/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2] == (
        "Văn bản",
        "Số 42/KH-BCA-V05 ngày 29/01/2024 của Bộ Công an",
        None,
        None,
        None,
        None,
        None,
        None,
    )
    header = rows.index(
        (
            "Nhóm",
            "Mã",
            "Tiêu chí",
            "Loại",
            "Biểu thức / ngưỡng",
            "Điểm",
            "Cần minh chứng",
            "Hướng dẫn",
        )
    )
    criteria = rows[header + 1 :]
    assert len(criteria) == 20
    assert criteria[14][1:5] == (
        "TC 15",
        "100% tin báo, tố giác về tội phạm được tiếp nhận và giải quyết đúng quy định.",
        "Theo chỉ số",
        "tin_bao_da_xu_ly >= tin_bao_tiep_nhan",
    )
    assert criteria[0][0] == "I. Xây dựng Đảng và hệ thống chính trị ở phường"


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_writes_are_forbidden_to_non_admins(indicators, users, role):
    client = api_client_for(getattr(users, role))
    response = client.post(
        "/api/criteria-sets", spec_to_jsonable(small_spec()), content_type="application/json"
    )
    assert response.status_code == 403
    assert not CriteriaSet.objects.exists()


def test_admin_creates_a_draft_through_the_api(indicators, users):
    client = api_client_for(users.nghean)
    own = small_spec(owner=OwnerSpec(code="40", as_of=dt.date(2026, 1, 1)))
    response = client.post(
        "/api/criteria-sets", spec_to_jsonable(own), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    assert CriteriaSet.objects.get().created_by == users.nghean


def test_a_bad_expression_through_the_api_is_422_with_the_message(indicators, users):
    data = spec_to_jsonable(small_spec())
    data["groups"][0]["criteria"][1]["expression"] = "tin_bao_da_xu_ly >= tin_bao_x"
    response = api_client_for(users.ministry).post(
        "/api/criteria-sets", data, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "TC 2.expression",
            "message": "Biểu thức TC 2, vị trí 21: không có chỉ số «tin_bao_x»",
        }
    ]
    assert not CriteriaSet.objects.exists()


def test_a_badly_shaped_body_is_422_naming_the_key(indicators, users):
    response = api_client_for(users.ministry).post(
        "/api/criteria-sets", {"code": "x", "year": "năm nay"}, content_type="application/json"
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"year", "title"} <= fields


def test_admin_saves_a_version_through_the_api(indicators, users, monkeypatch):
    draft = services.create_set(actor=users.ministry, spec=small_spec())
    monkeypatch.setattr(CriteriaSet, "in_use", property(lambda s: s.pk == draft.pk))
    data = spec_to_jsonable(small_spec(title="Tên mới"))
    client = api_client_for(users.ministry)
    response = client.put(
        "/api/criteria-sets/thu-nghiem?version=2025", data, content_type="application/json"
    )
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["supersedes"]) == ("2025.2", "2025")
    again = client.put(
        "/api/criteria-sets/thu-nghiem?version=2025", data, content_type="application/json"
    )
    assert again.status_code == 409


def test_exported_yaml_is_what_the_spec_dumps(catalog, users):
    criteria_set = CriteriaSet.objects.get(code="bac-giang-tan-tuy")
    from kieumau.criteria.selectors import get_set, spec_of

    response = api_client_for(users.viewer).get("/api/criteria-sets/bac-giang-tan-tuy/export.yaml")
    assert response.content.decode() == dump_yaml(spec_of(get_set(code=criteria_set.code)))
