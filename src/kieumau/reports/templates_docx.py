"""Provinces' own Word templates of the review report: checked before they are kept.

An uploaded template is a .docx opened through the guarded opener (bounded parts, no duplicate
names, no macros), then rendered once with a sample report so that a broken tag is refused now,
with its message, rather than when a leader needs the report.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kieumau.accounts import scope
from kieumau.core import audit
from kieumau.core.uploads import Limits, UploadRefused, open_zip
from kieumau.orgunits.models import Level, OrgUnit, Reach
from kieumau.reports.models import ReportTemplate
from kieumau.reports.render import DEFAULT_TEMPLATE

MAX_BYTES = 5 * 1024 * 1024
LIMITS = Limits(max_parts=300, max_part_bytes=16 * 1024 * 1024, max_total_bytes=32 * 1024 * 1024)
SAMPLE = {
    "parent_body": "Bộ Công an", "issuing_body": "Công an tỉnh", "number": "1/BC-CAT",
    "place": "Hà Nội", "day": "01", "month": "01", "year": "2026", "title": "Thử",
    "opening": "", "aims": ["a"], "units_summary": "", "units": [], "units_more": "",
    "standing_counts": [], "standing_chart": "", "set_name": "", "reconstructed_note": "",
    "criteria": [], "most_unmet": "", "comparison_note": "", "indicators": [],
    "inspections_summary": "", "findings": [], "recommendations": [], "budget_total": "0 đ",
    "budget": [], "awards_summary": "", "awards": [], "proposals": ["a"], "recipients": ["a"],
    "signer_title": "", "signer_name": "",
}


class TemplateRefused(UploadRefused):
    """The file is no usable template; `message` says why, in Vietnamese."""


def check_template(data: bytes) -> None:
    from kieumau.reports.render import render_docx

    if len(data) > MAX_BYTES:
        raise TemplateRefused(_("Tệp mẫu quá lớn (tối đa 5 MB)."))
    archive = open_zip(io.BytesIO(data), limits=LIMITS)
    names = {name.lower() for name in archive.namelist()}
    if "word/document.xml" not in names:
        raise TemplateRefused(_("Tệp không phải là văn bản Word .docx."))
    if any(name.endswith("vbaproject.bin") for name in names):
        raise TemplateRefused(_("Tệp có macro: không nhận."))
    try:
        render_docx(SAMPLE, template=io.BytesIO(data))
    except Exception as error:  # docxtpl/jinja2 errors of every kind: say which
        raise TemplateRefused(
            _("Mẫu có thẻ không hợp lệ: %(error)s") % {"error": str(error)[:200]}) from None


@transaction.atomic
def upload_template(*, actor, unit: OrgUnit, name: str, data: bytes) -> ReportTemplate:
    scope.require_write(actor, unit)
    if unit.level not in (Level.PROVINCE, Level.MINISTRY):
        raise TemplateRefused(_("Chỉ Công an tỉnh hoặc Bộ có mẫu báo cáo riêng."))
    check_template(data)
    template = ReportTemplate(unit=unit, name=(name or "").replace("\x00", "")[:200] or "mau.docx",
                              uploaded_by=actor)
    template.file.save("mau-bao-cao.docx", ContentFile(data), save=False)
    try:  # a file whose row is not written is removed at once
        template.save()
        audit.record(actor=actor, action="report_template.uploaded", target=template, unit=unit)
    except Exception:
        template.file.delete(save=False)
        raise
    return template


@transaction.atomic
def retire_template(*, actor, template: ReportTemplate) -> None:
    scope.require_write(actor, template.unit)
    template.active = False
    template.save(update_fields=["active"])
    audit.record(actor=actor, action="report_template.retired", target=template,
                 unit=template.unit)


def template_for(unit: OrgUnit) -> Path | io.BytesIO:
    """The newest active template of a unit that `unit` sits under (or rolls up into), else the
    shipped one."""
    found = (ReportTemplate.objects.filter(active=True)
             .filter(unit_id__in=Reach.objects.filter(unit=unit).values("ancestor_id"))
             .order_by("-created_at", "-pk").first())
    if found is None:
        return DEFAULT_TEMPLATE
    with found.file.open("rb") as handle:
        return io.BytesIO(handle.read())
