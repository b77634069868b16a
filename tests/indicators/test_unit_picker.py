"""The unit picker of the indicator pages: names, not codes, and "whole province" first."""

from tests.conftest import client_for


def test_whole_province_is_the_first_choice(users):
    text = client_for(users.nghean).get("/indicators/").text
    template_form = text.split('action="/indicators/template/"', 1)[1]
    options = template_form.split("</select>", 1)[0].split("<option")[1:]
    assert "Cả tỉnh" in options[1]  # right after "— chọn xã, phường —"
    assert len(options) > 100


def test_units_are_named_without_their_codes(users):
    text = client_for(users.nghean).get("/indicators/").text
    assert ">Phường Thái Hòa</option>" in text
    assert "(16939)" not in text


def test_it_checks_scope(users):
    text = client_for(users.thainguyen).get("/indicators/").text
    assert "Thái Hòa" not in text
