"""What a criteria set must satisfy before it is saved, with a Vietnamese message for each
problem. Expressions are parsed and checked against the indicator catalogue here."""

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext as _

from kieumau.core import bounds
from kieumau.criteria import periods
from kieumau.criteria.messages import rule_error_message
from kieumau.criteria.models import CriterionKind, OutcomeRule
from kieumau.criteria.rules import RuleError, compile_rule
from kieumau.criteria.spec import CriterionSpec, SetSpec
from kieumau.orgunits.models import Kind

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_POINTS = Decimal("99999.99")


@dataclass(frozen=True)
class Problem:
    """`field` names the set's field ("title", "min_met") or, with `criterion`, the criterion's
    ("expression"); `message` is complete on its own."""

    field: str
    message: str
    criterion: str | None = None

    @property
    def path(self) -> str:
        return f"{self.criterion}.{self.field}" if self.criterion else self.field


class InvalidSet(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def clean(spec: SetSpec) -> SetSpec:
    """Drop what a criterion's kind does not use (an expression left on a manual criterion),
    and put criteria in their canonical order."""
    criteria = []
    for c in spec.criteria:
        if c.kind != CriterionKind.INDICATOR_RULE:
            c = replace(c, expression="")
        if c.kind != CriterionKind.CHILD_COVERAGE:
            c = replace(c, child_kinds=(), child_sets=(), child_min_share=None)
        criteria.append(
            replace(
                c,
                expression=c.expression.strip(),
                points=_decimal(c.points),
                child_min_share=_decimal(c.child_min_share),
            )
        )
    min_met = spec.min_met if spec.outcome_rule == OutcomeRule.AT_LEAST else None
    bands = spec.grade_bands if spec.outcome_rule == OutcomeRule.POINTS else ()
    bands = tuple(sorted(bands, key=lambda b: b.min_points, reverse=True))
    return spec.replace(criteria=tuple(criteria), min_met=min_met, grade_bands=bands).normalized()


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def problems_of(
    spec: SetSpec, *, known_indicators: Collection[str], set_codes: Collection[str]
) -> list[Problem]:
    """Every problem of a (cleaned) spec; `set_codes` are the codes child criteria may name."""
    found: list[Problem] = []

    def fail(field: str, message: str, criterion: str | None = None) -> None:
        found.append(Problem(field, message, criterion))

    if not SLUG.match(spec.code) or len(spec.code) > 64:
        fail(
            "code",
            _(
                "Mã bộ tiêu chí chỉ gồm chữ thường không dấu, số và dấu gạch ngang "
                "(ví dụ phuong-kieu-mau), tối đa 64 ký tự."
            ),
        )
    if not bounds.year_in_range(spec.year):
        fail("year", _("Năm phải từ %(first)d đến %(last)d.")
             % {"first": bounds.FIRST_YEAR, "last": bounds.LAST_YEAR})
    if spec.revision < 1:
        fail("revision", _("Lần sửa đổi phải từ 1 trở lên."))
    _text_field(fail, "title", spec.title, 300, _("Tên bộ tiêu chí"), required=True)
    _text_field(fail, "document_number", spec.document_number, 100, _("Số văn bản"))
    _text_field(fail, "document_body", spec.document_body, 200, _("Cơ quan ban hành"))
    if not spec.applies_to_kinds:
        fail("applies_to_kinds", _("Chọn ít nhất một loại đơn vị áp dụng."))
    for kind in spec.applies_to_kinds:
        if kind not in Kind.values:
            fail("applies_to_kinds", _("Loại đơn vị «%(kind)s» không có.") % {"kind": kind})
    try:
        periods.validate_start(
            day=spec.period_start_day, month=spec.period_start_month, months=spec.period_months
        )
    except ValueError as error:
        field = {"day": "period_start_day", "month": "period_start_month"}.get(
            str(error), "period_months"
        )
        fail(
            field,
            _(
                "Kỳ đánh giá không hợp lệ: ngày %(day)s/%(month)s, %(months)s tháng "
                "(ngày phải có trong mọi năm, không dùng 29/02; kỳ dài 1–%(max)s tháng)."
            )
            % {
                "day": spec.period_start_day,
                "month": spec.period_start_month,
                "months": spec.period_months,
                "max": periods.MAX_MONTHS,
            },
        )
    _outcome(fail, spec)
    _groups(fail, spec)
    if not spec.criteria:
        fail("criteria", _("Bộ tiêu chí cần ít nhất một tiêu chí."))
    duplicates = [code for code, n in Counter(c.code for c in spec.criteria).items() if n > 1]
    for code in duplicates:
        fail("code", _("Mã tiêu chí «%(code)s» bị trùng.") % {"code": code}, code)
    group_codes = {g.code for g in spec.groups}
    for c in spec.criteria:
        _criterion(
            fail,
            c,
            spec=spec,
            group_codes=group_codes,
            known_indicators=known_indicators,
            set_codes=set_codes,
        )
    return found


def _text_field(
    fail,
    field: str,
    value: str,
    limit: int,
    label: str,
    *,
    required: bool = False,
    criterion: str | None = None,
) -> None:
    if required and not value.strip():
        fail(field, _("%(label)s không được để trống.") % {"label": label}, criterion)
    elif len(value) > limit:
        fail(
            field,
            _("%(label)s dài quá %(limit)s ký tự.") % {"label": label, "limit": limit},
            criterion,
        )


def _outcome(fail, spec: SetSpec) -> None:
    if spec.outcome_rule not in OutcomeRule.values:
        fail("outcome_rule", _("Cách xác định kết quả phải là all, at_least hoặc points."))
        return
    count = len(spec.criteria)
    if spec.outcome_rule == OutcomeRule.AT_LEAST and (
        spec.min_met is None or not 1 <= spec.min_met <= max(count, 1)
    ):
        fail(
            "min_met",
            _("Số tiêu chí tối thiểu phải đạt phải từ 1 đến %(count)s (số tiêu chí của bộ).")
            % {"count": max(count, 1)},
        )
    if spec.outcome_rule != OutcomeRule.POINTS:
        return
    bands = spec.grade_bands
    if not bands:
        fail("grade_bands", _("Bộ tiêu chí chấm điểm cần ít nhất một mức xếp loại."))
    names = Counter(b.name.strip() for b in bands)
    if any(not name for name in names) or any(n > 1 for n in names.values()):
        fail("grade_bands", _("Mỗi mức xếp loại cần một tên riêng, không trùng."))
    thresholds = [b.min_points for b in bands]
    if len(set(thresholds)) != len(thresholds):
        fail("grade_bands", _("Hai mức xếp loại không được có cùng điểm tối thiểu."))
    if any(t < 0 or t > MAX_POINTS for t in thresholds):
        fail("grade_bands", _("Điểm tối thiểu của mức xếp loại phải từ 0 trở lên."))
    # Bands are sorted highest first: once a band is not passing, none below may pass.
    passing = [b.passing for b in bands]
    if any(not above and below for above, below in zip(passing, passing[1:], strict=False)):
        fail(
            "grade_bands",
            _(
                "Một mức không được công nhận (như «yếu») không thể đứng trên một "
                "mức được công nhận."
            ),
        )


def _groups(fail, spec: SetSpec) -> None:
    seen = Counter(g.code for g in spec.groups)
    for group in spec.groups:
        if not group.code.strip() or len(group.code) > 32:
            fail("groups", _("Mã nhóm phải có và dài tối đa 32 ký tự."))
        if seen[group.code] > 1:
            fail("groups", _("Mã nhóm «%(code)s» bị trùng.") % {"code": group.code})
        _text_field(
            fail,
            "groups",
            group.title,
            300,
            _("Tên nhóm %(code)s") % {"code": group.code},
            required=True,
        )


def _criterion(
    fail,
    c: CriterionSpec,
    *,
    spec: SetSpec,
    group_codes: set[str],
    known_indicators: Collection[str],
    set_codes: Collection[str],
) -> None:
    code = c.code
    if not code.strip():
        fail("code", _("Mỗi tiêu chí cần một mã (ví dụ «TC 5»)."), code)
    elif len(code) > 32:
        fail("code", _("Mã tiêu chí «%(code)s» dài quá 32 ký tự.") % {"code": code}, code)
    _text_field(
        fail,
        "title",
        c.title,
        5000,
        _("Nội dung tiêu chí %(code)s") % {"code": code},
        required=True,
        criterion=code,
    )
    if c.group is not None and c.group not in group_codes:
        fail(
            "group",
            _("%(code)s: không có nhóm «%(group)s».") % {"code": code, "group": c.group},
            code,
        )
    if c.points is not None and not 0 <= c.points <= MAX_POINTS:
        fail("points", _("%(code)s: điểm phải từ 0 đến 99.999.") % {"code": code}, code)
    elif c.points is not None and c.points != c.points.quantize(Decimal("0.01")):
        fail("points", _("%(code)s: điểm có tối đa hai chữ số thập phân.") % {"code": code}, code)
    if spec.outcome_rule == OutcomeRule.POINTS and c.points is None:
        fail(
            "points",
            _("%(code)s: bộ tiêu chí chấm điểm cần số điểm của mỗi tiêu chí.") % {"code": code},
            code,
        )
    if c.kind not in CriterionKind.values:
        fail(
            "kind",
            _("%(code)s: loại tiêu chí phải là manual, indicator_rule hoặc child_coverage.")
            % {"code": code},
            code,
        )
    elif c.kind == CriterionKind.INDICATOR_RULE:
        if not c.expression:
            fail(
                "expression",
                _(
                    "%(code)s: tiêu chí theo chỉ số cần một biểu thức, ví dụ "
                    "«tin_bao_da_xu_ly >= tin_bao_tiep_nhan»."
                )
                % {"code": code},
                code,
            )
        else:
            try:
                compile_rule(c.expression, known_indicators=known_indicators)
            except RuleError as error:
                fail("expression", rule_error_message(error, criterion_code=code), code)
    elif c.kind == CriterionKind.CHILD_COVERAGE:
        _child_coverage(fail, c, spec=spec, set_codes=set_codes)


def _child_coverage(fail, c: CriterionSpec, *, spec: SetSpec, set_codes: Collection[str]) -> None:
    code = c.code
    if not c.child_kinds:
        fail(
            "child_kinds",
            _("%(code)s: chọn loại đơn vị cơ sở được tính (khu dân cư, cơ quan…).")
            % {"code": code},
            code,
        )
    for kind in c.child_kinds:
        if kind not in Kind.values:
            fail(
                "child_kinds",
                _("%(code)s: loại đơn vị «%(kind)s» không có.") % {"code": code, "kind": kind},
                code,
            )
    if not c.child_sets:
        fail(
            "child_sets",
            _("%(code)s: cần mã bộ tiêu chí mà đơn vị cơ sở được công nhận theo.") % {"code": code},
            code,
        )
    for child in c.child_sets:
        if child == spec.code:
            fail(
                "child_sets",
                _("%(code)s: bộ tiêu chí không thể tự tham chiếu chính nó.") % {"code": code},
                code,
            )
        elif child not in set_codes:
            fail(
                "child_sets",
                _("%(code)s: không có bộ tiêu chí «%(child)s».") % {"code": code, "child": child},
                code,
            )
    if len(",".join(c.child_sets)) > 255:
        fail("child_sets", _("%(code)s: danh sách bộ tiêu chí quá dài.") % {"code": code}, code)
    share = c.child_min_share
    if share is None or not 0 < share <= 1 or share != share.quantize(Decimal("0.0001")):
        fail(
            "child_min_share",
            _("%(code)s: tỷ lệ tối thiểu phải lớn hơn 0 và không quá 1 (ví dụ 0,7 cho 70%%).")
            % {"code": code},
            code,
        )
