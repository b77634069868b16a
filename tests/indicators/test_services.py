import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kieumau.accounts.scope import NotVisible
from kieumau.core.models import AuditEvent
from kieumau.indicators import services
from kieumau.indicators.models import IndicatorValue, IndicatorValueChange
from tests.conftest import BEFORE_MERGER, unit
from tests.indicators.conftest import OCTOBER, save, stored


def test_a_change_keeps_who_when_and_the_previous_value(users, catalogue):
    thai_hoa = unit("16939")
    save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=3)
    save(users.nghean, thai_hoa, OCTOBER, toi_pham_ttxh=5)
    value = IndicatorValue.objects.get(unit=thai_hoa, indicator__code="toi_pham_ttxh")
    assert (value.value, value.revision, value.entered_by) == (5, 2, users.nghean)
    history = list(
        value.changes.order_by("id").values_list("previous", "new", "changed_by", "source")
    )
    assert history == [
        (None, Decimal(3), users.thaihoa.pk, "form"),
        (Decimal(3), Decimal(5), users.nghean.pk, "form"),
    ]


def test_each_save_is_audited_once(users, catalogue):
    before = AuditEvent.objects.filter(action="indicators.values_saved").count()
    save(users.thaihoa, unit("16939"), OCTOBER, toi_pham_ttxh=3, chay_no=1, tin_bao_tiep_nhan=4)
    events = AuditEvent.objects.filter(action="indicators.values_saved")
    assert events.count() == before + 1
    assert events.first().detail["created"] == 3
    assert events.first().unit == unit("16939")


def test_an_unchanged_value_writes_no_history(users, catalogue):
    thai_hoa = unit("16939")
    save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=3)
    result = save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh="3")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert IndicatorValueChange.objects.count() == 1


def test_clearing_keeps_the_row_and_its_history(users, catalogue):
    thai_hoa = unit("16939")
    save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=3)
    save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh="")
    value = IndicatorValue.objects.get(unit=thai_hoa, indicator__code="toi_pham_ttxh")
    assert value.value is None
    assert value.changes.first().previous == 3


def test_locked_value_cannot_be_changed(users, catalogue):
    thai_hoa = unit("16939")
    save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=3)
    services.lock_values(
        unit_ids=[thai_hoa.pk],
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        actor=users.nghean,
    )
    with pytest.raises(services.ValuesLocked) as raised:
        save(users.ministry, thai_hoa, OCTOBER, toi_pham_ttxh=4)
    assert "đã khóa" in raised.value.errors[0].message
    assert stored(thai_hoa, "toi_pham_ttxh", OCTOBER) == 3


def test_writing_the_same_value_over_a_lock_is_fine(users, catalogue):
    thai_hoa = unit("16939")
    save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=3)
    services.lock_values(unit_ids=[thai_hoa.pk], start=OCTOBER, end=OCTOBER, actor=None)
    assert save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=3).unchanged == 1


def test_unlock_allows_changes_again(users, catalogue):
    thai_hoa = unit("16939")
    save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=3)
    services.lock_values(unit_ids=[thai_hoa.pk], start=OCTOBER, end=OCTOBER, actor=None)
    assert (
        services.unlock_values(unit_ids=[thai_hoa.pk], start=OCTOBER, end=OCTOBER, actor=None) == 1
    )
    save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=4)
    assert stored(thai_hoa, "toi_pham_ttxh", OCTOBER) == 4


def test_lock_covers_months_starting_in_the_period(users, catalogue):
    thai_hoa = unit("16939")
    for month in (dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 11, 1)):
        save(users.thaihoa, thai_hoa, month, toi_pham_ttxh=1)
    locked = services.lock_values(
        unit_ids=[thai_hoa.pk], start=dt.date(2025, 11, 16), end=dt.date(2026, 11, 15), actor=None
    )
    assert locked == 2
    assert not IndicatorValue.objects.get(unit=thai_hoa, month=dt.date(2025, 11, 1)).locked


def test_lock_closes_a_month_that_had_no_value_yet(users, catalogue):
    thai_hoa = unit("16939")
    save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=3)
    september = dt.date(2026, 9, 1)
    services.lock_values(
        unit_ids=[thai_hoa.pk], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), actor=None
    )
    with pytest.raises(services.ValuesLocked):
        save(users.thaihoa, thai_hoa, september, toi_pham_ttxh=9)
    assert stored(thai_hoa, "toi_pham_ttxh", september) is None


def test_lock_leaves_months_that_have_not_begun_open(users, catalogue, monkeypatch):
    thai_hoa = unit("16939")
    monkeypatch.setattr(services.timezone, "localdate", lambda: dt.date(2026, 11, 23))
    services.lock_values(
        unit_ids=[thai_hoa.pk], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), actor=None
    )
    closed = set(
        IndicatorValue.objects.filter(unit=thai_hoa, locked=True).values_list("month", flat=True)
    )
    assert dt.date(2026, 11, 1) in closed
    assert dt.date(2026, 12, 1) not in closed


def test_one_bad_value_writes_nothing(users, catalogue):
    thai_hoa = unit("16939")
    with pytest.raises(services.ValuesRejected) as raised:
        save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=3, chay_no=-1, khao_sat_phieu="mười")
    messages = {error.field: error.message for error in raised.value.errors}
    assert messages == {
        "chay_no": "«-1»: số đếm phải là số nguyên không âm",
        "khao_sat_phieu": "«mười» không phải là số",
    }
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("code", "raw", "ok"),
    [
        ("toi_pham_ttxh", "2.5", False),
        ("toi_pham_ttxh", "12", True),
        ("nghi_quyet_dang_uy", "2", False),
        ("nghi_quyet_dang_uy", "1", True),
    ],
)
def test_values_must_fit_their_type(users, catalogue, code, raw, ok):
    if ok:
        save(users.thaihoa, unit("16939"), OCTOBER, **{code: raw})
        assert stored(unit("16939"), code, OCTOBER) == Decimal(raw)
    else:
        with pytest.raises(services.ValuesRejected):
            save(users.thaihoa, unit("16939"), OCTOBER, **{code: raw})


def test_viewer_cannot_write(users, catalogue):
    with pytest.raises(PermissionDenied):
        save(users.viewer, unit("01840"), OCTOBER, toi_pham_ttxh=1)


def test_inspector_cannot_write(users, catalogue):
    with pytest.raises(PermissionDenied):
        save(users.inspector, unit("16939"), OCTOBER, toi_pham_ttxh=1)


def test_writer_cannot_write_outside_scope(users, catalogue):
    with pytest.raises(NotVisible):
        save(users.nghean, unit("01840"), OCTOBER, toi_pham_ttxh=1)
    assert not IndicatorValue.objects.exists()


def test_province_level_takes_no_values(users, catalogue):
    with pytest.raises(services.ValuesRejected) as raised:
        save(users.nghean, unit("40"), OCTOBER, toi_pham_ttxh=1)
    assert raised.value.errors[0].field == "unit"


def test_stale_revision_is_refused(users, catalogue):
    thai_hoa = unit("16939")
    indicator = catalogue["toi_pham_ttxh"]
    save(users.nghean, thai_hoa, OCTOBER, toi_pham_ttxh=2)
    row = services.ValueInput(thai_hoa, indicator, OCTOBER, 9, ref="x", expected_revision=0)
    with pytest.raises(services.ValuesRejected):
        services.set_values(actor=users.thaihoa, rows=[row], source="form")
    assert stored(thai_hoa, "toi_pham_ttxh", OCTOBER) == 2


def test_old_ward_keeps_its_own_values(users, catalogue):
    old_duc_xuan = unit("01840", BEFORE_MERGER)
    save(users.thainguyen, old_duc_xuan, dt.date(2023, 5, 1), toi_pham_ttxh=4)
    assert stored(old_duc_xuan, "toi_pham_ttxh", dt.date(2023, 5, 1)) == 4
    assert stored(unit("01840"), "toi_pham_ttxh", dt.date(2023, 5, 1)) is None


def test_set_value_returns_the_stored_row(users, catalogue):
    value = services.set_value(
        actor=users.thaihoa,
        unit=unit("16939"),
        indicator=catalogue["chay_no"],
        month=dt.date(2026, 10, 17),
        value=2,
    )
    assert (value.month, value.value) == (OCTOBER, 2)


def test_dry_run_writes_nothing(users, catalogue):
    row = services.ValueInput(unit("16939"), catalogue["chay_no"], OCTOBER, 2)
    result = services.set_values(actor=users.thaihoa, rows=[row], source="api", dry_run=True)
    assert result.created == 1
    assert not IndicatorValue.objects.exists()


def test_no_value_can_be_added_to_a_locked_month(users, catalogue):
    thai_hoa = unit("16939")
    save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=3)
    services.lock_values(unit_ids=[thai_hoa.pk], start=OCTOBER, end=OCTOBER, actor=None)
    with pytest.raises(services.ValuesLocked) as raised:
        save(users.thaihoa, thai_hoa, OCTOBER, chay_no=1)
    assert "tháng 2026-10 đã khóa" in raised.value.errors[0].message
    save(users.thaihoa, thai_hoa, dt.date(2026, 9, 1), chay_no=1)  # other months stay open
