"""Opening an assessment: the unit is picked by name from the units in scope (or typed by name),
and the set offered first is the one that applies to the unit."""

from kieumau.assessments.models import Assessment
from tests.conftest import client_for


def test_province_officer_picks_the_unit_by_name(ward_set, users):
    text = client_for(users.nghean).get("/assessments/new/").text
    assert '<select name="unit"' in text
    assert ">Công an phường Thái Hòa · Tỉnh Nghệ An</option>" in text


def test_ward_officers_form_offers_the_set_that_applies_and_chooses_it(ward_set, users):
    text = client_for(users.thaihoa).get("/assessments/new/").text
    assert f'<option value="{ward_set.pk}" selected>Phường thử nghiệm — ' in text
    assert "(phường)" in text  # whom the set is for, in words, not "phuong"


def test_unit_typed_by_name_opens_its_assessment(ward_set, users):
    response = client_for(users.nghean).post(
        "/assessments/new/", {"unit": "thai hoa", "criteria_set": ward_set.pk, "year": 2025}
    )
    assert response.status_code == 302
    assert Assessment.objects.get().unit.code == "16939"


def test_a_name_matching_several_units_lists_them_with_their_province(ward_set, users):
    response = client_for(users.ministry).post(
        "/assessments/new/", {"unit": "thai hoa", "criteria_set": ward_set.pk, "year": 2025}
    )
    assert response.status_code == 404
    assert "Có nhiều đơn vị khớp “thai hoa”" in response.text
    assert "(Tỉnh Nghệ An, mã 16939)" in response.text
    assert not Assessment.objects.exists()


def test_refused_form_puts_focus_on_the_error_summary(ward_set, users):
    response = client_for(users.nghean).post(
        "/assessments/new/", {"unit": "", "criteria_set": ward_set.pk, "year": 1900}
    )
    assert response.status_code == 422
    assert 'role="alert" tabindex="-1" autofocus' in response.text


def test_it_checks_scope(ward_set, users):
    response = client_for(users.thainguyen).post(
        "/assessments/new/", {"unit": "thai hoa", "criteria_set": ward_set.pk, "year": 2025}
    )
    assert response.status_code == 404
    assert not Assessment.objects.exists()


def test_picking_a_unit_keeps_the_year_typed_even_out_of_range(ward_set, users):
    """The unit picker refreshes the form; a year the user typed must survive it, or submitting
    would silently open this year's dossier instead of saying that 1999 has no round."""
    client = client_for(users.nghean)
    assert 'name="year" value="1999"' in client.get("/assessments/new/?unit=16939&year=1999").text
    assert 'name="year" value="2025"' in client.get("/assessments/new/?unit=16939&year=2025").text
    assert 'name="year" value="abc"' in client.get("/assessments/new/?unit=16939&year=abc").text
    assert 'name="year" value="' + "9" * 6 + '"' in client.get(
        "/assessments/new/?unit=16939&year=" + "9" * 50).text
