"""Writing text into generated spreadsheets so that it stays text.

A title or a unit name is data a person typed; one starting with "=", "+", "-", "@", a tab or a
carriage return would become a live formula in the export (openpyxl turns "=…" into one, and
Excel or LibreOffice turn the others into one when the cell is edited). Every writer of
spreadsheets passes its rows through `safe_row`.
"""

from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(sheet, value):
    """`value` ready for `sheet.append`: text that a spreadsheet could read as a formula becomes
    a text cell with Excel's quote prefix (shown as typed, never evaluated); anything else is
    returned unchanged (cells too)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def safe_row(sheet, values) -> list:
    return [safe_cell(sheet, value) for value in values]
