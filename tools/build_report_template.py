"""Builds the review report's Word template (Nghị định 30/2020/NĐ-CP layout) with python-docx.

The product ships the result, src/kieumau/reports/docx_templates/bao-cao.docx, and officers edit
that file in Word like any document (the `{{ … }}` and `{%tr … %}` tags are docxtpl's). This
script is how the shipped file was made; run it again only to start over from the defaults:

    .venv/bin/python tools/build_report_template.py
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parents[1] / "src/kieumau/reports/docx_templates/bao-cao.docx"
FONT = "Times New Roman"


def set_font(style, size: int) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), FONT)


def paragraph(container, text: str = "", *, bold=False, italic=False, underline=False, size=None,
              align=None, indent=True, space_after=6, style=None):
    para = container.add_paragraph(style=style)
    if text:
        run = para.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    fmt = para.paragraph_format
    fmt.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Cm(1) if indent and align is None else None
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    return para


def set_widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths (Word and LibreOffice read them from every cell and the grid)."""
    table.autofit = False
    for index, width in enumerate(widths_cm):
        table.columns[index].width = Cm(width)
        for cell in table.columns[index].cells:
            cell.width = Cm(width)


def no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def page_number_field(para) -> None:
    """A PAGE field: Word and LibreOffice fill it in."""
    run = para.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    run.font.size = Pt(13)


def data_table(document, headers: list[str], cells: list[str], loop: str, widths: list[float]):
    """A bordered table whose one data row repeats: {%tr for … %} / row / {%tr endfor %}."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, title in enumerate(headers):
        cell = table.rows[0].cells[index]
        cell.width = Cm(widths[index])
        run = cell.paragraphs[0].add_run(title)
        run.bold = True
        run.font.size = Pt(12)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for row in " + loop + " %}")
    for index, text in enumerate(cells):
        cell = table.rows[2].cells[index]
        cell.width = Cm(widths[index])
        run = cell.paragraphs[0].add_run(text)
        run.font.size = Pt(12)
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    set_widths(table, widths)
    # The header row repeats on every page the table spans.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)
    return table


def build() -> None:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.header_distance = Cm(1)
    section.different_first_page_header_footer = True  # page numbers from page 2
    page_number_field(section.header.paragraphs[0])
    section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    assert section.start_type == WD_SECTION.NEW_PAGE

    set_font(document.styles["Normal"], 14)
    document.styles["Normal"].paragraph_format.line_spacing = 1.15
    set_font(document.styles["Table Grid"], 12)

    # Issuing body (left) and national motto (right).
    top = document.add_table(rows=1, cols=2)
    no_borders(top)
    left, right = top.rows[0].cells
    set_widths(top, [6.8, 9.7])
    left.paragraphs[0].add_run("{{ parent_body|upper }}").font.size = Pt(12)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    body = paragraph(left, "{{ issuing_body|upper }}", bold=True, size=12,
                     align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    body.runs[0].underline = True
    paragraph(left, "Số: {{ number }}", size=13, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    right.paragraphs[0].runs[0].font.size = Pt(12)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, size=13,
              align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    paragraph(right, "{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}", italic=True,
              size=13, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)

    paragraph(document, "", align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document, "BÁO CÁO", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER,
              space_after=0)
    paragraph(document, "{{ title }}", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER,
              space_after=12)
    paragraph(document, "{{ opening }}")

    paragraph(document, "I. MỤC ĐÍCH, PHẠM VI VÀ THỜI GIAN", bold=True, indent=False)
    paragraph(document, "{%p for line in aims %}")
    paragraph(document, "{{ line }}")
    paragraph(document, "{%p endfor %}")

    paragraph(document, "II. KẾT QUẢ THỰC HIỆN", bold=True, indent=False)
    paragraph(document, "1. Các đơn vị và kết quả đánh giá", bold=True, indent=False)
    paragraph(document, "{{ units_summary }}")
    data_table(document, ["Kết quả", "Số đơn vị"], ["{{ row.label }}", "{{ row.count }}"],
               "standing_counts", [11, 5])
    data_table(document, ["STT", "Đơn vị", "Kết quả", "Tiêu chí đạt"],
               ["{{ row.index }}", "{{ row.name }}", "{{ row.standing }}", "{{ row.progress }}"],
               "units", [1.2, 7.5, 4.5, 3])
    paragraph(document, "{{ units_more }}", italic=True, size=12)
    paragraph(document, "{{ standing_chart }}", align=WD_ALIGN_PARAGRAPH.CENTER)

    paragraph(document, "2. Kết quả theo từng tiêu chí ({{ set_name }})", bold=True, indent=False)
    paragraph(document, "{{ reconstructed_note }}", italic=True, size=12)
    data_table(document, ["Mã", "Tiêu chí", "Số đơn vị chưa đạt"],
               ["{{ row.code }}", "{{ row.title }}", "{{ row.unmet }}"], "criteria",
               [1.8, 11, 3.5])
    paragraph(document, "Các tiêu chí chưa đạt nhiều nhất: {{ most_unmet }}.")

    paragraph(document, "3. Chỉ số so với cùng kỳ", bold=True, indent=False)
    paragraph(document, "{{ comparison_note }}", italic=True, size=12)
    data_table(document, ["Chỉ số", "Kỳ này", "Cùng kỳ", "Thay đổi", "Nhận xét"],
               ["{{ row.name }}", "{{ row.current }}", "{{ row.previous }}", "{{ row.change }}",
                "{{ row.note }}"], "indicators", [6, 2.2, 2.2, 2.2, 3.6])

    paragraph(document, "4. Kiểm tra, khảo sát và kiến nghị", bold=True, indent=False)
    paragraph(document, "{{ inspections_summary }}")
    paragraph(document, "{%p for line in findings %}")
    paragraph(document, "- {{ line }}")
    paragraph(document, "{%p endfor %}")
    paragraph(document, "Kiến nghị, đề xuất chưa hoàn thành:", indent=False)
    data_table(document, ["Kiến nghị", "Đơn vị thực hiện", "Hạn", "Tình trạng"],
               ["{{ row.text }}", "{{ row.unit }}", "{{ row.due }}", "{{ row.status }}"],
               "recommendations", [7, 4, 2.5, 3])

    paragraph(document, "5. Kinh phí", bold=True, indent=False)
    paragraph(document, "Tổng kinh phí: {{ budget_total }}.")
    data_table(document, ["Nội dung", "Đơn vị", "Năm", "Số tiền"],
               ["{{ row.purpose }}", "{{ row.unit }}", "{{ row.year }}", "{{ row.amount }}"],
               "budget", [7, 4.5, 1.5, 3.5])

    paragraph(document, "6. Khen thưởng", bold=True, indent=False)
    paragraph(document, "{{ awards_summary }}")
    data_table(document, ["Hình thức", "Tập thể, cá nhân", "Quyết định", "Cơ quan"],
               ["{{ row.title }}", "{{ row.recipient }}", "{{ row.decision }}", "{{ row.body }}"],
               "awards", [3, 6, 3.5, 4])

    paragraph(document, "III. ĐỀ XUẤT, KIẾN NGHỊ", bold=True, indent=False)
    paragraph(document, "{%p for line in proposals %}")
    paragraph(document, "{{ line }}")
    paragraph(document, "{%p endfor %}")

    # Recipients (left) and signature (right).
    end = document.add_table(rows=1, cols=2)
    no_borders(end)
    left, right = end.rows[0].cells
    set_widths(end, [8, 8.5])
    run = left.paragraphs[0].add_run("Nơi nhận:")
    run.bold, run.italic = True, True
    run.font.size = Pt(12)
    paragraph(left, "{%p for name in recipients %}", size=11, indent=False, space_after=0)
    paragraph(left, "- {{ name }};", size=11, indent=False, space_after=0)
    paragraph(left, "{%p endfor %}", size=11, indent=False, space_after=0)
    right.paragraphs[0].add_run("{{ signer_title|upper }}").bold = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(right, "", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=48)
    paragraph(right, "{{ signer_name }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    core = document.core_properties
    core.title = "Báo cáo sơ kết, tổng kết"
    core.author = "kieumau"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    document.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    build()
