"""Spreadsheet round trips: download a template, fill it with openpyxl, upload, check."""

import datetime as dt

import pytest

from kieumau.indicators import services
from kieumau.indicators.models import ImportStatus, IndicatorImport, IndicatorValue
from kieumau.indicators.xlsx import SHEET
from tests.conftest import client_for, unit
from tests.indicators.conftest import as_upload, open_template, save, stored, workbook_bytes

THAI_HOA_TEMPLATE = "/indicators/template/?unit=16939&from=2026-08&to=2026-10"


def download(client, url=THAI_HOA_TEMPLATE):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return open_template(response.content)


def column(sheet, code) -> int:
    return [cell.value for cell in sheet[1]].index(code) + 1


def upload(client, workbook, django_capture_on_commit_callbacks, name="chi-so.xlsx"):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/indicators/import/", {"file": as_upload(workbook_bytes(workbook), name)}
        )
    assert response.status_code == 302, response.content[:500]
    return IndicatorImport.objects.order_by("-id").first()


def test_template_has_a_row_per_month_and_a_guide(users, catalogue):
    workbook = download(client_for(users.thaihoa))
    sheet = workbook[SHEET]
    assert [cell.value for cell in sheet[1]][:4] == [
        "ma_don_vi",
        "ten_don_vi",
        "thang",
        "toi_pham_ttxh",
    ]
    rows = [[cell.value for cell in row][:3] for row in sheet.iter_rows(min_row=3)]
    assert rows == [["16939", "Phường Thái Hòa", m] for m in ("2026-08", "2026-09", "2026-10")]
    assert "Hướng dẫn" in workbook.sheetnames


def test_template_is_prefilled(users, catalogue):
    save(users.thaihoa, unit("16939"), dt.date(2026, 9, 1), chay_no=2)
    sheet = download(client_for(users.thaihoa))[SHEET]
    assert sheet.cell(row=4, column=column(sheet, "chay_no")).value == 2


def test_province_template_has_one_row_per_commune(users, catalogue):
    sheet = download(
        client_for(users.nghean), "/indicators/template/?unit=40&from=2026-10&to=2026-10"
    )[SHEET]
    codes = [row[0].value for row in sheet.iter_rows(min_row=3)]
    assert len(codes) == 130  # Nghệ An's communes after 1 July 2025
    assert "16939" in codes


def test_round_trip_stores_the_values(users, catalogue, django_capture_on_commit_callbacks):
    client = client_for(users.thaihoa)
    workbook = download(client)
    sheet = workbook[SHEET]
    sheet.cell(row=3, column=column(sheet, "toi_pham_ttxh")).value = 3
    sheet.cell(row=5, column=column(sheet, "tin_bao_tiep_nhan")).value = "12"
    sheet.cell(row=5, column=column(sheet, "nghi_quyet_dang_uy")).value = 1
    record = upload(client, workbook, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.DONE, record.errors
    assert (record.values_created, record.rows_processed) == (3, 3)
    thai_hoa = unit("16939")
    assert stored(thai_hoa, "toi_pham_ttxh", dt.date(2026, 8, 1)) == 3
    assert stored(thai_hoa, "tin_bao_tiep_nhan", dt.date(2026, 10, 1)) == 12
    change = IndicatorValue.objects.get(
        unit=thai_hoa, indicator__code="toi_pham_ttxh"
    ).changes.get()
    assert (change.source, change.changed_by) == ("xlsx", users.thaihoa)


def test_reuploading_a_prefilled_template_changes_nothing(
    users, catalogue, django_capture_on_commit_callbacks
):
    thai_hoa = unit("16939")
    save(users.thaihoa, thai_hoa, dt.date(2026, 9, 1), chay_no=2)
    services.lock_values(
        unit_ids=[thai_hoa.pk], start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30), actor=None
    )
    client = client_for(users.thaihoa)
    record = upload(client, download(client), django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.DONE, record.errors
    assert (record.values_created, record.values_updated, record.values_unchanged) == (0, 0, 1)


def test_bad_file_is_refused_with_rows_and_columns(
    users, catalogue, django_capture_on_commit_callbacks
):
    client = client_for(users.thaihoa)
    workbook = download(client)
    sheet = workbook[SHEET]
    sheet.cell(row=3, column=column(sheet, "toi_pham_ttxh")).value = 3  # fine alone
    sheet.cell(row=4, column=column(sheet, "tin_bao_tiep_nhan")).value = "mười"
    sheet.cell(row=5, column=column(sheet, "chay_no")).value = -2
    sheet.cell(row=6, column=1).value = "99999"
    sheet.cell(row=6, column=3).value = "2026-10"
    sheet.cell(row=7, column=1).value = "16939"
    sheet.cell(row=7, column=3).value = "2027-01"
    sheet.cell(row=1, column=sheet.max_column + 1).value = "khong_co"
    record = upload(client, workbook, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.FAILED
    messages = [(e["row"], e["column"], e["message"]) for e in record.errors]
    assert (4, "tin_bao_tiep_nhan", "«mười» không phải là số") in messages
    assert (5, "chay_no", "«-2»: số đếm phải là số nguyên không âm") in messages
    assert any(row == 6 and col == "ma_don_vi" and "99999" in msg for row, col, msg in messages)
    assert any(row == 7 and col == "thang" and "ngoài kỳ" in msg for row, col, msg in messages)
    assert any(row == 1 and "khong_co" in msg for row, _col, msg in messages)
    assert not IndicatorValue.objects.exists()
    page = client.get(f"/indicators/import/{record.pk}/").content.decode()
    assert "Dòng 4, cột tin_bao_tiep_nhan: «mười» không phải là số" in page


def test_unit_outside_scope_rejects_the_file(users, catalogue, django_capture_on_commit_callbacks):
    client = client_for(users.nghean)
    workbook = download(client, "/indicators/template/?unit=16939&from=2026-10&to=2026-10")
    sheet = workbook[SHEET]
    sheet.cell(row=3, column=column(sheet, "chay_no")).value = 1
    sheet.append(["01840", "Phường Đức Xuân", "2026-10", 5])  # Thái Nguyên: not Nghệ An's
    record = upload(client, workbook, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.FAILED
    assert [(e["row"], e["column"]) for e in record.errors] == [(4, "ma_don_vi")]
    # Out of scope reads exactly like a code that does not exist.
    assert record.errors[0]["message"] == (
        "không có đơn vị mã «01840» trong phạm vi của bạn vào ngày 31/10/2026"
    )
    assert not IndicatorValue.objects.exists()


def test_locked_value_in_file_is_listed_with_other_errors(
    users, catalogue, django_capture_on_commit_callbacks
):
    thai_hoa = unit("16939")
    save(users.thaihoa, thai_hoa, dt.date(2026, 8, 1), chay_no=2)
    services.lock_values(
        unit_ids=[thai_hoa.pk], start=dt.date(2026, 8, 1), end=dt.date(2026, 8, 31), actor=None
    )
    client = client_for(users.thaihoa)
    workbook = download(client)
    sheet = workbook[SHEET]
    sheet.cell(row=3, column=column(sheet, "chay_no")).value = 7
    sheet.cell(row=4, column=column(sheet, "chay_no")).value = "x"
    record = upload(client, workbook, django_capture_on_commit_callbacks)
    assert [(e["row"], e["column"]) for e in record.errors] == [(3, "chay_no"), (4, "chay_no")]
    assert "đã khóa" in record.errors[0]["message"]
    assert stored(thai_hoa, "chay_no", dt.date(2026, 8, 1)) == 2


def test_codes_are_resolved_as_of_each_rows_month(
    users, catalogue, django_capture_on_commit_callbacks
):
    client = client_for(users.thainguyen)
    workbook = download(client, "/indicators/template/?unit=01840&from=2025-06&to=2025-07")
    sheet = workbook[SHEET]
    assert [row[2].value for row in sheet.iter_rows(min_row=3)] == ["2025-07"]
    sheet.append([1840, "Phường Đức Xuân (cũ)", "2025-06", 4])  # a number: Excel ate the zero
    sheet.cell(row=3, column=4).value = 1
    record = upload(client, workbook, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.DONE, record.errors
    assert stored(unit("01840", dt.date(2025, 6, 30)), "toi_pham_ttxh", dt.date(2025, 6, 1)) == 4
    assert stored(unit("01840"), "toi_pham_ttxh", dt.date(2025, 7, 1)) == 1


def test_duplicate_rows_are_refused(users, catalogue, django_capture_on_commit_callbacks):
    client = client_for(users.thaihoa)
    workbook = download(client)
    workbook[SHEET].append(["16939", "", "2026-08", 1])
    record = upload(client, workbook, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.FAILED
    assert "đã có ở dòng 3" in record.errors[0]["message"]


def test_not_an_xlsx_is_refused_at_once(users, catalogue):
    response = client_for(users.thaihoa).post(
        "/indicators/import/", {"file": as_upload(b"ma_don_vi,thang\n", "chi-so.csv")}
    )
    assert response.status_code == 422
    assert ".xlsx" in response.content.decode()
    assert not IndicatorImport.objects.exists()


def test_a_workbook_without_period_is_refused(users, catalogue, django_capture_on_commit_callbacks):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = SHEET
    workbook.active.append(["ma_don_vi", "thang", "chay_no"])
    record = upload(client_for(users.thaihoa), workbook, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.FAILED
    assert "kỳ" in record.errors[0]["message"]


def test_corrupt_file_is_refused(users, catalogue, django_capture_on_commit_callbacks):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(users.thaihoa).post(
            "/indicators/import/", {"file": as_upload(buffer.getvalue())}
        )
    record = IndicatorImport.objects.get()
    assert record.status == ImportStatus.FAILED
    assert "Không đọc được" in record.errors[0]["message"]


def test_status_page_polls_until_done(users, catalogue):
    from kieumau.indicators.imports import start_import

    client = client_for(users.thaihoa)
    content = client.get(THAI_HOA_TEMPLATE).content
    record = start_import(actor=users.thaihoa, upload=as_upload(content))  # not yet run
    page = client.get(f"/indicators/import/{record.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    fragment = client.get(f"/indicators/import/{record.pk}/", headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    IndicatorImport.objects.filter(pk=record.pk).update(status=ImportStatus.DONE)
    assert "hx-trigger" not in client.get(f"/indicators/import/{record.pk}/").content.decode()


@pytest.mark.parametrize("user", ["viewer", "inspector"])
def test_read_only_roles_cannot_upload(users, catalogue, user):
    content = client_for(users.thaihoa).get(THAI_HOA_TEMPLATE).content
    response = client_for(getattr(users, user)).post(
        "/indicators/import/", {"file": as_upload(content)}
    )
    assert response.status_code == 403


def test_it_checks_scope(users, catalogue, django_capture_on_commit_callbacks):
    assert client_for(users.thainguyen).get(THAI_HOA_TEMPLATE).status_code == 404
    client = client_for(users.thaihoa)
    record = upload(client, download(client), django_capture_on_commit_callbacks)
    assert client_for(users.thainguyen).get(f"/indicators/import/{record.pk}/").status_code == 404
    assert client_for(users.nghean).get(f"/indicators/import/{record.pk}/").status_code == 200


def test_locked_month_is_shaded_across_the_row(users, catalogue):
    thai_hoa = unit("16939")
    save(users.thaihoa, thai_hoa, dt.date(2026, 9, 1), chay_no=2)
    services.lock_values(
        unit_ids=[thai_hoa.pk], start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30), actor=None
    )
    sheet = download(client_for(users.thaihoa))[SHEET]
    september = [cell.fill.fgColor.rgb for cell in sheet[4][3:]]
    august = [cell.fill.fgColor.rgb for cell in sheet[3][3:]]
    assert set(september) == {"00D9D9D9"}
    assert "00D9D9D9" not in august
