"""Uploads that say more than they should: formulas, percent signs and TRUE in counts, a period
forged in the file's properties (issue 6, hole 8), and "1.234" typed as a count."""

import datetime as dt
from decimal import Decimal

import pytest

from kieumau.indicators import xlsx
from kieumau.indicators.models import ImportStatus, IndicatorValue
from kieumau.indicators.validation import BadValue, clean_value
from tests.conftest import client_for
from tests.indicators.conftest import OCTOBER
from tests.indicators.test_xlsx import column, download, upload

URL = "/indicators/values/?unit=16939&month=2026-10"


def messages(record) -> list[tuple]:
    return [(e["row"], e["column"], e["message"]) for e in record.errors]


def test_formula_cell_is_refused_by_name(users, catalogue, django_capture_on_commit_callbacks):
    client = client_for(users.thaihoa)
    workbook = download(client)
    sheet = workbook[xlsx.SHEET]
    at = column(sheet, "toi_pham_ttxh")
    sheet.cell(row=3, column=at).value = 2
    sheet.cell(row=4, column=at).value = "=D3+1"  # no cached value: it used to read as empty
    record = upload(client, workbook, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.FAILED
    reference = f"{sheet.cell(row=4, column=at).column_letter}4"
    assert messages(record) == [
        (
            4,
            "toi_pham_ttxh",
            f"ô {reference} chứa công thức; hãy nhập giá trị, không dùng công thức",
        )
    ]
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("50%", "«50%»: chỉ số này không tính bằng phần trăm; bỏ dấu %"),
        (True, "«TRUE»: cần một số, không phải giá trị đúng/sai"),
        (False, "«FALSE»: cần một số, không phải giá trị đúng/sai"),
    ],
)
def test_count_refuses_percent_and_booleans(raw, message):
    with pytest.raises(BadValue) as bad:
        clean_value(raw, value_type="count")
    assert bad.value.message == message


def test_percent_and_flag_keep_what_they_mean():
    assert clean_value("50%", value_type="percent") == 50
    assert clean_value(True, value_type="flag") == 1
    assert clean_value(False, value_type="flag") == 0
    with pytest.raises(BadValue):
        clean_value(True, value_type="number")


def test_true_in_a_count_cell_is_refused(users, catalogue, django_capture_on_commit_callbacks):
    client = client_for(users.thaihoa)
    workbook = download(client)
    sheet = workbook[xlsx.SHEET]
    sheet.cell(row=3, column=column(sheet, "toi_pham_ttxh")).value = True
    sheet.cell(row=4, column=column(sheet, "toi_pham_ttxh")).value = "50%"
    record = upload(client, workbook, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.FAILED
    assert messages(record) == [
        (3, "toi_pham_ttxh", "«TRUE»: cần một số, không phải giá trị đúng/sai"),
        (4, "toi_pham_ttxh", "«50%»: chỉ số này không tính bằng phần trăm; bỏ dấu %"),
    ]


def test_forged_period_cannot_reach_future_months(
    users, catalogue, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: dt.date(2026, 11, 23))
    client = client_for(users.thaihoa)
    workbook = download(client)
    for prop in workbook.custom_doc_props.props:  # the uploader controls these
        prop.value = {xlsx.PROP_FROM: "2026-01", xlsx.PROP_TO: "2030-12"}[prop.name]
    sheet = workbook[xlsx.SHEET]
    sheet.append(["16939", "", "2026-11", 1])  # the current month: allowed
    sheet.append(["16939", "", "2026-12", 1])
    record = upload(client, workbook, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.FAILED
    assert messages(record) == [
        (7, "thang", "tháng 2026-12 chưa đến; chưa nhập được số liệu của tháng này")
    ]


def test_forged_period_cannot_reach_months_before_the_unit(
    users, catalogue, django_capture_on_commit_callbacks
):
    """A school Thái Hòa registered from 2026-01 has no months before that."""
    from kieumau.orgunits.models import Kind
    from kieumau.orgunits.services import register_local_unit
    from tests.conftest import unit

    school = register_local_unit(
        actor=users.thaihoa,
        parent=unit("16939"),
        name="Trường THCS Hòa Hiếu",
        kind=Kind.TRUONG_HOC,
        valid_from=dt.date(2026, 1, 1),
    )
    client = client_for(users.thaihoa)
    workbook = download(client)
    for prop in workbook.custom_doc_props.props:
        prop.value = {xlsx.PROP_FROM: "2025-01", xlsx.PROP_TO: "2026-10"}[prop.name]
    workbook[xlsx.SHEET].append([school.code, "", "2026-01", 1])
    workbook[xlsx.SHEET].append([school.code, "", "2025-12", 1])
    record = upload(client, workbook, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.FAILED
    ((row, col, message),) = messages(record)
    assert (row, col) == (7, "ma_don_vi")
    assert "31/12/2025" in message
    assert not IndicatorValue.objects.exists()


def test_future_month_is_refused_by_the_service_too(users, catalogue, monkeypatch):
    from kieumau.indicators import services
    from tests.conftest import unit
    from tests.indicators.conftest import save

    monkeypatch.setattr("django.utils.timezone.localdate", lambda: dt.date(2026, 11, 23))
    save(users.thaihoa, unit("16939"), dt.date(2026, 11, 1), toi_pham_ttxh=1)
    with pytest.raises(services.ValuesRejected) as rejected:
        save(users.thaihoa, unit("16939"), dt.date(2026, 12, 1), toi_pham_ttxh=1)
    assert [e.message for e in rejected.value.errors] == [
        "tháng 2026-12 chưa đến; chưa nhập được số liệu của tháng này"
    ]


# --- "1.234" typed in a count ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number"), [("1.234", "1234"), ("12.345.678", "12345678"), (" 1.000 ", "1000")]
)
def test_dots_in_a_count_say_what_the_number_would_be(raw, number):
    with pytest.raises(BadValue) as bad:
        clean_value(raw, value_type="count")
    assert bad.value.message == (
        f"«{raw.strip()}»: số đếm không dùng dấu chấm; nếu ý bạn là {number}, hãy nhập {number}"
    )


def test_a_decimal_in_a_count_keeps_the_whole_number_message():
    with pytest.raises(BadValue) as bad:
        clean_value("1.5", value_type="count")
    assert bad.value.message == "«1.5»: số đếm phải là số nguyên không âm"
    assert clean_value("1.234", value_type="number") == Decimal("1.234")


def test_month_form_explains_the_dot(users, catalogue):
    response = client_for(users.thaihoa).post(URL, {"v_toi_pham_ttxh": "1.234"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "«1.234»: số đếm không dùng dấu chấm; nếu ý bạn là 1234, hãy nhập 1234" in page
    assert not IndicatorValue.objects.filter(month=OCTOBER).exists()
