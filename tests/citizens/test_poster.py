"""The A4 QR poster for the reception desk."""

from defusedxml import ElementTree

from tests.citizens.conftest import THAI_HOA
from tests.conftest import client_for

SVG = "{http://www.w3.org/2000/svg}"


def test_the_poster_is_an_a4_svg_with_the_survey_address(thai_hoa, users):
    response = client_for(users.thaihoa).get(f"/citizens/{THAI_HOA}/poster.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(response.content)
    assert (root.get("width"), root.get("height")) == ("210mm", "297mm")
    texts = [node.text for node in root.iter(f"{SVG}text")]
    assert f"http://testserver/s/{THAI_HOA}/" in texts
    assert "Công an phường Thái Hòa" in texts
    assert root.find(f"{SVG}svg/{SVG}path") is not None  # the QR modules


def test_the_qr_code_encodes_the_survey_address():
    import segno

    from kieumau.citizens.poster import qr_svg_fragment

    fragment, modules = qr_svg_fragment("https://example.vn/s/16939/")
    assert modules == segno.make("https://example.vn/s/16939/", error="m").symbol_size(border=4)[0]
    assert fragment.startswith("<svg")


def test_the_poster_checks_scope(thai_hoa, users):
    assert client_for(users.thainguyen).get(f"/citizens/{THAI_HOA}/poster.svg").status_code == 404
    assert client_for(users.nghean).get("/citizens/40/poster.svg").status_code == 404
