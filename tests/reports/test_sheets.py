"""Every exported table: each builds and writes within scope, and the dashboard's tables read back
with the dashboard's numbers."""

import datetime as dt

import openpyxl
import pytest

from kieumau.dashboards import selectors as dashboard_selectors
from kieumau.reports import sheets
from kieumau.reports.tables import write_xlsx
from tests.conftest import unit
from tests.programs.conftest import THAI_HOA_OLD, official_result

PERIOD = sheets.Params(dt.date(2023, 1, 1), dt.date(2023, 12, 31))


@pytest.mark.parametrize("name", sorted(sheets.TABLES))
def test_each_table_writes_a_workbook_with_its_header(name, users, plan, tmp_path):
    table = sheets.TABLES[name].build(users.nghean, unit("40"), PERIOD)
    rows = write_xlsx(table, tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    header_row = 2 if table.note else 1
    assert [c.value for c in sheet[header_row]] == [c.title for c in table.columns]
    assert rows == (table.total if table.total is not None else rows)


def test_the_plans_table_lists_the_plan_with_its_units(users, plan, tmp_path):
    table = sheets.plans(users.nghean, unit("40"), PERIOD)
    (row,) = list(table.rows)
    assert row[0] == plan.number and row[-1] == len(THAI_HOA_OLD)


def test_another_province_sees_none_of_the_plans(users, plan):
    table = sheets.plans(users.thainguyen, unit("19"), PERIOD)
    assert list(table.rows) == []


def test_the_dashboard_tables_read_back_with_the_dashboards_numbers(users, manual_set, tmp_path):
    official_result(users, manual_set, code="16939", year=2023, met=True)
    official_result(users, manual_set, code="16993", year=2023, met=False)
    card = dashboard_selectors.dashboard(users.nghean, code="40", as_of=PERIOD.last,
                                         set_code="phuong-tay")
    figures = dashboard_selectors.as_figures(card, overdue=0)
    write_xlsx(sheets.dashboard_criteria(users.nghean, unit("40", PERIOD.last), PERIOD),
               tmp_path / "c.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx").active
    first = 3 if sheet["A1"].value and sheet["A2"].value == "Mã" else 2
    read = [(r[0].value, r[2].value) for r in sheet.iter_rows(min_row=first)]
    assert read == [(r["code"], r["unmet"]) for r in figures["criteria"]]
    write_xlsx(sheets.dashboard_communes(users.nghean, unit("40", PERIOD.last), PERIOD),
               tmp_path / "u.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "u.xlsx").active
    assert sheet.max_row - 2 == figures["communes"]  # a note line and the header above the rows


def test_a_plans_budget_export_keeps_to_that_plan(users, plan, program):
    from kieumau.programs import services as program_services
    from tests.programs.conftest import make_plan

    other = make_plan(users, program, number="200/KH-CAT-PV05")
    program_services.add_budget_line(actor=users.nghean, plan=plan, year=2023,
                                     amount=750_000_000, purpose="Hỗ trợ")
    program_services.add_budget_line(actor=users.nghean, plan=other, year=2023, amount=5,
                                     purpose="Khác")
    table = sheets.budgets(users.nghean, unit("40"), sheets.Params(
        dt.date(2000, 1, 1), dt.date(2026, 1, 1), plan=plan.number))
    assert [row[-1] for row in table.rows] == [750_000_000]
