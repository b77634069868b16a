"""`kieumau load-criteria` and the demo loader: idempotent, and clear when something is wrong."""

import io

import pytest
from django.core.management import CommandError, call_command

from kieumau.criteria.demo import load_demo
from kieumau.criteria.models import CriteriaSet, Criterion


def test_load_criteria_loads_indicators_then_sets(db):
    out = io.StringIO()
    call_command("load_criteria", stdout=out)
    assert CriteriaSet.objects.count() == 9
    assert "phuong-kieu-mau 2024: đã tạo" in out.getvalue()


def test_load_criteria_twice_changes_nothing(db):
    call_command("load_criteria", stdout=io.StringIO())
    rows = list(Criterion.objects.order_by("pk").values())
    out = io.StringIO()
    call_command("load_criteria", stdout=out)
    assert list(Criterion.objects.order_by("pk").values()) == rows
    assert "đã tạo" not in out.getvalue()


def test_a_bad_file_names_the_problem_and_loads_nothing(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "code: hong\nyear: 2024\ntitle: Hỏng\napplies_to: [xa]\ncriteria:\n"
        "- code: TC 1\n  title: T\n  kind: indicator_rule\n  expression: tin_bao_x >= 1\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as caught:
        call_command("load_criteria", str(bad), stdout=io.StringIO())
    assert "Biểu thức TC 1, vị trí 1: không có chỉ số «tin_bao_x»" in str(caught.value)
    assert not CriteriaSet.objects.exists()


def test_demo_loads_the_shipped_sets_once(db):
    out = io.StringIO()
    load_demo(stdout=out)
    load_demo(stdout=out)
    assert CriteriaSet.objects.count() == 9
    assert "9 trong danh mục, 0 mới" in out.getvalue()
