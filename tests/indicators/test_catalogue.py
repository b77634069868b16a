from django.core.management import call_command

from kieumau.core.models import AuditEvent
from kieumau.indicators.models import Indicator
from kieumau.indicators.services import load_indicators

CONTRACT = {
    "toi_pham_ttxh": ("sum", "count"),
    "tthc_thuoc_tham_quyen": ("last", "count"),
    "to_lien_gia_pccc": ("last", "count"),
    "khao_sat_hai_long": ("sum", "count"),
    "nghi_quyet_dang_uy": ("last", "flag"),
    "dang_ky_thi_dua": ("last", "flag"),
}


def test_catalogue_has_the_thirty_contract_codes(db):
    load_indicators()
    assert Indicator.objects.count() == 30
    for code, (aggregation, value_type) in CONTRACT.items():
        indicator = Indicator.objects.get(code=code)
        assert (indicator.aggregation, indicator.value_type) == (aggregation, value_type)


def test_loading_twice_changes_nothing(db):
    first = load_indicators()
    events = AuditEvent.objects.count()
    second = load_indicators()
    assert (first.created, second.created, second.updated, second.unchanged) == (30, 0, 0, 30)
    assert AuditEvent.objects.count() == events


def test_loading_restores_an_edited_name(db):
    load_indicators()
    Indicator.objects.filter(code="chay_no").update(name="sai")
    assert load_indicators().updated == 1
    assert Indicator.objects.get(code="chay_no").name == "Vụ cháy, nổ"


def test_catalogue_keeps_file_order(db):
    load_indicators()
    codes = list(Indicator.objects.values_list("code", flat=True)[:3])
    assert codes == ["toi_pham_ttxh", "toi_pham_ttxh_lam_ro", "tin_bao_tiep_nhan"]


def test_management_command_loads_catalogue(db, capsys):
    call_command("load_indicators")
    assert Indicator.objects.count() == 30
    assert "30 mới" in capsys.readouterr().out
