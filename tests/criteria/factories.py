"""Builders of criteria test state (plain functions, usable outside pytest fixtures too)."""

from kieumau.criteria import selectors
from kieumau.criteria.models import CriteriaSet
from kieumau.criteria.spec import CriterionSpec, GroupSpec, SetSpec


def shipped(code: str, version: str) -> CriteriaSet:
    return selectors.get_set(code=code, version=version)


def small_spec(**changes) -> SetSpec:
    """A three-criterion set: one manual, two indicator rules."""
    spec = SetSpec(
        code="thu-nghiem",
        year=2025,
        title="Bộ tiêu chí thử nghiệm",
        applies_to_kinds=("phuong",),
        groups=(GroupSpec(code="I", title="Nhóm một"),),
        criteria=(
            CriterionSpec(code="TC 1", title="Trụ sở đạt chuẩn", group="I"),
            CriterionSpec(
                code="TC 2",
                title="Tin báo 100%",
                kind="indicator_rule",
                expression="tin_bao_da_xu_ly >= tin_bao_tiep_nhan",
                group="I",
            ),
            CriterionSpec(
                code="TC 3",
                title="Không có cán bộ bị kỷ luật",
                kind="indicator_rule",
                expression="can_bo_bi_ky_luat == 0",
            ),
        ),
    )
    return spec.replace(**changes)
