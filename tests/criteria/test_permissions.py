"""Who may change which criteria set (issue 6, hole 1), pages and API alike.

National sets are the ministry's alone; a province's own set belongs to that province and whoever
is above it or succeeded it; the owner given to a set must lie within the editor's scope. The one
rule is `accounts.scope.may_edit_criteria_set`. Sets are read by everyone, so a refused write is
403 (nothing is hidden by it); an owner outside the editor's scope is refused in the same words as
an owner no unit carried (422), as scope.py does for any unit named in a body.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kieumau.accounts import scope
from kieumau.accounts.models import Role
from kieumau.accounts.services import create_user
from kieumau.criteria import selectors, services
from kieumau.criteria.models import CriteriaSet
from kieumau.criteria.spec import OwnerSpec, spec_to_jsonable
from tests.conftest import api_client_for, client_for, unit
from tests.criteria.factories import small_spec

NGHE_AN = OwnerSpec(code="40", as_of=dt.date(2026, 1, 1))
THAI_NGUYEN = OwnerSpec(code="19", as_of=dt.date(2026, 1, 1))
NO_SUCH_UNIT = OwnerSpec(code="99", as_of=dt.date(2026, 1, 1))


def put(user, code, version, data):
    return api_client_for(user).put(f"/api/criteria-sets/{code}?version={version}", data,
                                    content_type="application/json")


def post(user, data):
    return api_client_for(user).post("/api/criteria-sets", data, content_type="application/json")


def versions(code):
    return sorted(CriteriaSet.objects.filter(code=code).values_list("version", flat=True))


@pytest.fixture
def nghe_an_set(indicators, users):
    return services.create_set(actor=users.nghean, spec=small_spec(code="rieng-nghe-an",
                                                                   owner=NGHE_AN))


# --- the rule itself ---------------------------------------------------------------------------

def test_only_the_ministry_may_edit_a_national_set(users):
    assert scope.may_edit_criteria_set(users.ministry, owner=None)
    for role in ("nghean", "thainguyen", "thaihoa", "inspector", "viewer"):
        assert not scope.may_edit_criteria_set(getattr(users, role), owner=None), role


def test_a_provinces_set_belongs_to_that_province_and_the_ministry(users):
    nghe_an = unit("40")
    assert scope.may_edit_criteria_set(users.ministry, owner=nghe_an)
    assert scope.may_edit_criteria_set(users.nghean, owner=nghe_an)
    assert not scope.may_edit_criteria_set(users.thainguyen, owner=nghe_an)
    # Readers and commune officers inside Nghệ An still may not.
    assert not scope.may_edit_criteria_set(users.inspector, owner=nghe_an)
    assert not scope.may_edit_criteria_set(users.thaihoa, owner=nghe_an)


def test_the_successor_province_inherits_the_old_provinces_set(catalog, users):
    # Old Bắc Giang's plan 340: today's Bắc Ninh (which absorbed it) may edit it, Nghệ An not.
    bac_ninh = create_user(username="bacninh", password="secret-pass-123",
                           role=Role.PROVINCE_OFFICER, home_unit=unit("24"))
    owner = CriteriaSet.objects.get(code="bac-giang-tan-tuy").owner
    assert scope.may_edit_criteria_set(bac_ninh, owner=owner)
    assert not scope.may_edit_criteria_set(users.nghean, owner=owner)


# --- the API -----------------------------------------------------------------------------------

def test_a_province_officer_cannot_publish_a_new_version_of_a_national_set(catalog, users):
    data = api_client_for(users.nghean).get("/api/criteria-sets/phuong-kieu-mau?version=2024").json()
    data["title"] = "Bộ tiêu chí của riêng Nghệ An"
    before = versions("phuong-kieu-mau")
    response = put(users.nghean, "phuong-kieu-mau", "2024", data)
    assert response.status_code == 403
    assert versions("phuong-kieu-mau") == before
    assert selectors.get_set(code="phuong-kieu-mau").title != data["title"]


def test_the_ministry_can(catalog, users):
    data = api_client_for(users.ministry).get("/api/criteria-sets/phuong-kieu-mau?version=2024").json()
    data["title"] = "Bộ tiêu chí phường kiểu mẫu (sửa)"
    assert put(users.ministry, "phuong-kieu-mau", "2024", data).status_code == 200
    assert selectors.get_set(code="phuong-kieu-mau", version="2024").title == data["title"]


def test_a_province_officer_cannot_create_a_national_set(indicators, users):
    assert post(users.nghean, spec_to_jsonable(small_spec())).status_code == 403
    assert not CriteriaSet.objects.exists()


def test_a_province_officer_creates_a_set_of_their_own(indicators, users):
    response = post(users.nghean, spec_to_jsonable(small_spec(owner=NGHE_AN)))
    assert response.status_code == 201
    assert CriteriaSet.objects.get().owner == unit("40")


def test_an_owner_outside_scope_reads_like_an_owner_that_does_not_exist(indicators, users):
    outside = post(users.nghean, spec_to_jsonable(small_spec(owner=THAI_NGUYEN)))
    missing = post(users.nghean, spec_to_jsonable(small_spec(owner=NO_SUCH_UNIT)))
    assert outside.status_code == missing.status_code == 422
    assert [e["field"] for e in outside.json()["errors"]] == ["owner"]
    assert outside.json()["errors"][0]["message"].replace("19", "99") == \
        missing.json()["errors"][0]["message"]
    assert not CriteriaSet.objects.exists()


def test_another_province_cannot_take_over_a_set_by_changing_its_owner(nghe_an_set, users):
    data = spec_to_jsonable(small_spec(code="rieng-nghe-an", owner=THAI_NGUYEN))
    assert put(users.thainguyen, "rieng-nghe-an", "2025", data).status_code == 403
    assert CriteriaSet.objects.get(code="rieng-nghe-an").owner == unit("40")


def test_a_province_cannot_give_its_set_to_another_province(nghe_an_set, users):
    data = spec_to_jsonable(small_spec(code="rieng-nghe-an", owner=THAI_NGUYEN))
    response = put(users.nghean, "rieng-nghe-an", "2025", data)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["owner"]
    assert CriteriaSet.objects.get(code="rieng-nghe-an").owner == unit("40")


def test_a_province_cannot_make_its_set_national(nghe_an_set, users):
    data = spec_to_jsonable(small_spec(code="rieng-nghe-an"))
    assert put(users.nghean, "rieng-nghe-an", "2025", data).status_code == 403
    assert CriteriaSet.objects.get(code="rieng-nghe-an").owner == unit("40")


def test_a_province_edits_and_publishes_its_own_set(nghe_an_set, users):
    data = spec_to_jsonable(small_spec(code="rieng-nghe-an", owner=NGHE_AN, title="Sửa"))
    assert put(users.nghean, "rieng-nghe-an", "2025", data).status_code == 200
    published = api_client_for(users.nghean).post("/api/criteria-sets/rieng-nghe-an/publish"
                                                  "?version=2025")
    assert published.status_code == 200
    assert CriteriaSet.objects.get(code="rieng-nghe-an").status == "published"


def test_another_province_cannot_publish_it(nghe_an_set, users):
    response = api_client_for(users.thainguyen).post("/api/criteria-sets/rieng-nghe-an/publish"
                                                     "?version=2025")
    assert response.status_code == 403
    assert CriteriaSet.objects.get(code="rieng-nghe-an").status == "draft"


# --- pages -------------------------------------------------------------------------------------

def test_a_province_officer_gets_403_on_every_edit_page_of_a_national_set(catalog, users):
    client = client_for(users.nghean)
    base = "/criteria/phuong-kieu-mau/2024/"
    pk = selectors.get_set(code="phuong-kieu-mau", version="2024").criteria.first().pk
    for path in ("edit/", "criteria/new/", f"criteria/{pk}/", f"criteria/{pk}/remove/"):
        assert client.get(base + path).status_code == 403, path
    for path in ("edit/", f"criteria/{pk}/remove/", "publish/"):
        assert client.post(base + path, {"title": "X"}).status_code == 403, path
    assert client.post(base + "new-round/", {"year": "2031"}).status_code == 403
    assert versions("phuong-kieu-mau") == ["2023", "2024"]


def test_the_detail_page_offers_editing_only_to_the_sets_editors(nghe_an_set, users):
    page = "/criteria/rieng-nghe-an/2025/"
    assert "Sửa thông tin bộ" in client_for(users.nghean).get(page).text
    assert "Sửa thông tin bộ" in client_for(users.ministry).get(page).text
    assert "Sửa thông tin bộ" not in client_for(users.thainguyen).get(page).text
    assert 'name="year"' not in client_for(users.thainguyen).get(page).text


# --- the services, whatever calls them ---------------------------------------------------------

def test_the_services_refuse_too(catalog, users):
    national = selectors.get_set(code="phuong-kieu-mau", version="2024")
    spec = selectors.spec_of(national).replace(title="Sửa")
    with pytest.raises(PermissionDenied):
        services.save_set(actor=users.nghean, criteria_set=national, spec=spec)
    with pytest.raises(PermissionDenied):
        services.publish_set(actor=users.nghean, criteria_set=national)
    with pytest.raises(PermissionDenied):
        services.start_new_round(actor=users.nghean, criteria_set=national, year=2031)
    with pytest.raises(PermissionDenied):
        services.create_set(actor=users.thaihoa, spec=small_spec(owner=NGHE_AN))
