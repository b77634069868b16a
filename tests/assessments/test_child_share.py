"""The 70 % child rule (Thông tư 124/2021) at its boundary: exactly 70 % recognised is met.

Pure: the coverage evaluator is fed the children and their recognitions directly, no database.
"""

from decimal import Decimal

import pytest

from kieumau.assessments.evaluation import _ChildCoverage
from kieumau.criteria.models import Criterion, CriterionKind

PARENT = 1


def criterion(share: str) -> Criterion:
    return Criterion(
        code="TC 9",
        title="Khu dân cư được công nhận",
        kind=CriterionKind.CHILD_COVERAGE,
        child_kinds=["khu_dan_cu"],
        child_set_code="khu-dan-cu",
        child_min_share=Decimal(share),
    )


def evaluate(*, recognised: int, total: int, share: str = "0.7"):
    children = {PARENT: [(100 + n, "khu_dan_cu") for n in range(total)]}
    recognitions = {100 + n: {"khu-dan-cu"} for n in range(recognised)}
    coverage = _ChildCoverage(children=children, recognised=recognitions)
    return coverage.evaluator(criterion(share))(PARENT, None)


@pytest.mark.parametrize(("recognised", "total"), [(7, 10), (14, 20), (70, 100), (21, 30)])
def test_exactly_seventy_percent_is_met(recognised, total):
    result = evaluate(recognised=recognised, total=total)
    assert result.status == "met"
    assert "= 70% ≥ 70%" in result.explanation
    assert result.distance is None


@pytest.mark.parametrize(("recognised", "total"), [(6, 10), (13, 20), (69, 100), (20, 30)])
def test_one_short_of_seventy_percent_is_not_met(recognised, total):
    result = evaluate(recognised=recognised, total=total)
    assert result.status == "not_met"
    assert result.distance == "còn thiếu 1 đơn vị cơ sở được công nhận"


def test_a_share_that_is_not_a_whole_number_of_children_rounds_up():
    # 70 % of 3 is 2.1 children: 2 are not enough, 3 are.
    assert evaluate(recognised=2, total=3).status == "not_met"
    assert evaluate(recognised=3, total=3).status == "met"


def test_without_a_share_every_child_must_be_recognised():
    children = {PARENT: [(101, "khu_dan_cu"), (102, "khu_dan_cu")]}
    bare = criterion("0.7")
    bare.child_min_share = None
    one = _ChildCoverage(children=children, recognised={101: {"khu-dan-cu"}})
    assert one.evaluator(bare)(PARENT, None).status == "not_met"
    both = _ChildCoverage(children=children, recognised={101: {"khu-dan-cu"}, 102: {"khu-dan-cu"}})
    assert both.evaluator(bare)(PARENT, None).status == "met"
