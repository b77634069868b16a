"""A criteria set written out: YAML (loads back into the same set) and xlsx (for reading and
printing: a header block with the set's document, then one row per criterion)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from kieumau.core.sheets import safe_row
from kieumau.criteria.models import CriteriaSet, CriterionKind, OutcomeRule
from kieumau.criteria.rules import format_number
from kieumau.criteria.selectors import spec_of
from kieumau.criteria.spec import CriterionSpec, SetSpec, dump_yaml
from kieumau.orgunits.models import Kind

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YAML_CONTENT_TYPE = "application/yaml; charset=utf-8"


def filename(criteria_set: CriteriaSet, extension: str) -> str:
    return f"{criteria_set.code}-{criteria_set.version}.{extension}"


def to_yaml(criteria_set: CriteriaSet) -> str:
    return dump_yaml(spec_of(criteria_set))


def document_line(spec: SetSpec) -> str:
    parts = []
    if spec.document_number:
        parts.append(_("Số %(number)s") % {"number": spec.document_number})
    if spec.document_date:
        parts.append(_("ngày %(date)s") % {"date": spec.document_date.strftime("%d/%m/%Y")})
    if spec.document_body:
        parts.append(_("của %(body)s") % {"body": spec.document_body})
    return " ".join(parts)


def period_line(spec: SetSpec) -> str:
    return _("từ ngày %(day)02d/%(month)02d, %(months)s tháng") % {
        "day": spec.period_start_day,
        "month": spec.period_start_month,
        "months": spec.period_months,
    }


def outcome_line(spec: SetSpec) -> str:
    count = len(spec.criteria)
    if spec.outcome_rule == OutcomeRule.AT_LEAST:
        return _("Đạt ít nhất %(n)s/%(count)s tiêu chí") % {"n": spec.min_met, "count": count}
    if spec.outcome_rule == OutcomeRule.POINTS:
        bands = "; ".join(
            f"{b.name} ≥ {format_number(b.min_points)}"
            + ("" if b.passing else _(" (không công nhận)"))
            for b in spec.grade_bands
        )
        return _("Chấm điểm, xếp loại: %(bands)s") % {"bands": bands}
    return _("Tất cả %(count)s tiêu chí phải đạt") % {"count": count}


def threshold_text(criterion: CriterionSpec) -> str:
    """What decides the criterion, as shown in lists and the spreadsheet."""
    if criterion.kind == CriterionKind.INDICATOR_RULE:
        return criterion.expression
    if criterion.kind == CriterionKind.CHILD_COVERAGE:
        kinds = ", ".join(str(dict(Kind.choices).get(k, k)) for k in criterion.child_kinds)
        share = format_number(criterion.child_min_share * 100) if criterion.child_min_share else "?"
        sets = ", ".join(criterion.child_sets)
        return _("≥ %(share)s%% %(kinds)s được công nhận theo %(sets)s") % {
            "share": share,
            "kinds": kinds,
            "sets": sets,
        }
    return ""


def to_xlsx(criteria_set: CriteriaSet) -> bytes:
    spec = spec_of(criteria_set)
    book = Workbook()
    sheet = book.active
    sheet.title = "Tiêu chí"
    bold = Font(bold=True)
    kinds = dict(Kind.choices)
    header = [
        (_("Bộ tiêu chí"), spec.title),
        (_("Mã, phiên bản"), f"{spec.code} {spec.version}"),
        (_("Văn bản"), document_line(spec)),
        (_("Áp dụng cho"), ", ".join(str(kinds.get(k, k)) for k in spec.applies_to_kinds)),
        (_("Kỳ đánh giá"), period_line(spec)),
        (_("Kết quả"), outcome_line(spec)),
    ]
    if spec.reconstructed:
        header.append((_("Dựng lại"), spec.source_note))
    for label, value in header:
        sheet.append(safe_row(sheet, [label, value]))
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append([])
    columns = [
        _("Nhóm"),
        _("Mã"),
        _("Tiêu chí"),
        _("Loại"),
        _("Biểu thức / ngưỡng"),
        _("Điểm"),
        _("Cần minh chứng"),
        _("Hướng dẫn"),
    ]
    sheet.append(columns)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = bold
    groups = {g.code: f"{g.code}. {g.title}" for g in spec.groups}
    kind_labels = dict(CriterionKind.choices)
    for c in spec.criteria:
        sheet.append(
            safe_row(
                sheet,
                [
                    groups.get(c.group, "") if c.group else "",
                    c.code,
                    c.title,
                    str(kind_labels.get(c.kind, c.kind)),
                    threshold_text(c),
                    float(c.points) if c.points is not None else None,
                    _("có") if c.evidence_required else _("không"),
                    c.guidance,
                ],
            )
        )
    for letter, width in zip("ABCDEFGH", (28, 8, 60, 18, 40, 8, 10, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = wrap
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
