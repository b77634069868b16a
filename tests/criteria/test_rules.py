"""The rule language: pure, so no database; properties checked with hypothesis."""

import contextlib
import time
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kieumau.criteria.rules import (
    COMPARISON_OPERATORS,
    PRECISION,
    Aggregate,
    Binary,
    Call,
    Compare,
    Comparison,
    Expr,
    Indicator,
    Logical,
    Neg,
    Not,
    Number,
    Outcome,
    PrevYear,
    RuleError,
    Term,
    check,
    compile_rule,
    explain,
    format_number,
    parse,
    unparse,
)

KNOWN = frozenset({"a", "b", "c", "d", "x", "tin_bao_da_xu_ly", "tin_bao_tiep_nhan"})
PROPERTY = settings(max_examples=200, deadline=None)


@dataclass
class FakeSource:
    """Values keyed by (code, forced aggregation, years back); anything else has no data."""

    values: dict[tuple[str, str | None, int], Decimal] = field(default_factory=dict)

    def value(self, *, code: str, aggregation: str | None, years_back: int) -> Decimal | None:
        return self.values.get((code, aggregation, years_back))


def this_year(**values: object) -> FakeSource:
    return FakeSource({(code, None, 0): Decimal(str(v)) for code, v in values.items()})


def evaluate(text: str, *, source: FakeSource) -> Outcome:
    return compile_rule(text, known_indicators=KNOWN).evaluate(source)


def ind(code: str) -> Indicator:
    return Indicator(code=code)


def num(text: str) -> Number:
    return Number(value=Decimal(text))


def parse_error(text: str) -> RuleError:
    with pytest.raises(RuleError) as caught:
        parse(text)
    return caught.value


def check_error(text: str) -> RuleError:
    with pytest.raises(RuleError) as caught:
        check(parse(text), known_indicators=KNOWN)
    return caught.value


# --- operators and precedence ---------------------------------------------------------------------


def test_multiplication_binds_tighter_than_addition():
    expected = Binary(op="+", left=ind("a"), right=Binary(op="*", left=ind("b"), right=ind("c")))
    assert parse("a + b * c") == expected


def test_subtraction_groups_from_the_left():
    expected = Binary(op="-", left=Binary(op="-", left=ind("a"), right=ind("b")), right=ind("c"))
    assert parse("a - b - c") == expected


def test_division_groups_from_the_left():
    expected = Binary(op="/", left=Binary(op="/", left=ind("a"), right=ind("b")), right=ind("c"))
    assert parse("a / b / c") == expected


def test_unary_minus_binds_tighter_than_multiplication():
    assert parse("-a * b") == Binary(op="*", left=Neg(operand=ind("a")), right=ind("b"))


def test_parentheses_override_precedence():
    expected = Binary(op="*", left=Binary(op="+", left=ind("a"), right=ind("b")), right=ind("c"))
    assert parse("(a + b) * c") == expected


def test_arithmetic_binds_tighter_than_comparison():
    expected = Compare(op=">=", left=Binary(op="+", left=ind("a"), right=ind("b")), right=num("1"))
    assert parse("a + b >= 1") == expected


def test_and_binds_tighter_than_or():
    a, b, c = (Compare(op=">", left=ind(code), right=num("0")) for code in "abc")
    expected = Logical(op="or", left=a, right=Logical(op="and", left=b, right=c))
    assert parse("a > 0 or b > 0 and c > 0") == expected


def test_not_applies_to_the_whole_comparison():
    assert parse("not a > 1") == Not(operand=Compare(op=">", left=ind("a"), right=num("1")))


def test_not_binds_tighter_than_and():
    a, b = (Compare(op=">", left=ind(code), right=num("1")) for code in "ab")
    assert parse("not a > 1 and b > 1") == Logical(op="and", left=Not(operand=a), right=b)


@pytest.mark.parametrize(
    ("op", "left", "right", "status"),
    [
        (">=", 5, 5, "met"),
        (">=", 4, 5, "not_met"),
        (">", 5, 5, "not_met"),
        (">", 6, 5, "met"),
        ("<=", 5, 5, "met"),
        ("<=", 6, 5, "not_met"),
        ("<", 5, 5, "not_met"),
        ("<", 4, 5, "met"),
        ("==", 5, 5, "met"),
        ("==", 4, 5, "not_met"),
        ("!=", 4, 5, "met"),
        ("!=", 5, 5, "not_met"),
    ],
)
def test_each_comparison_operator_compares_numbers(op, left, right, status):
    assert evaluate(f"a {op} b", source=this_year(a=left, b=right)).status == status


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a + b == 9", 9),
        ("a - b == 3", 3),
        ("a * b == 18", 18),
        ("a / b == 2", 2),
        ("-a == -6", -6),
        ("pct(b, a) == 50", 50),
        ("min(a, b, 4) == 3", 3),
        ("max(a, b) == 6", 6),
        ("abs(b - a) == 3", 3),
    ],
)
def test_each_arithmetic_operation_computes_its_value(text, value):
    outcome = evaluate(text, source=this_year(a=6, b=3))
    assert outcome.status == "met"
    assert outcome.comparisons[0].left_value == value


def test_percent_literal_means_a_hundredth():
    assert parse("70%") == Number(value=Decimal("0.7"), percent=True)


def test_percent_literal_compares_as_its_fraction():
    assert evaluate("a / b >= 70%", source=this_year(a=7, b=10)).status == "met"


def test_percent_literal_keeps_its_form_when_unparsed():
    assert unparse(parse("a >= 70%")) == "a >= 70%"


def test_decimal_arithmetic_is_exact():
    assert evaluate("a + b == 0.3", source=this_year(a="0.1", b="0.2")).status == "met"


def test_unparse_drops_redundant_parentheses():
    assert unparse(parse("((a) + (b * c)) >= (1)")) == "a + b * c >= 1"


def test_unparse_keeps_parentheses_that_change_the_meaning():
    assert unparse(parse("a - (b - c) >= -(d + 1)")) == "a - (b - c) >= -(d + 1)"


# --- functions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("aggregation", ["sum", "avg", "last"])
def test_aggregation_function_forces_that_aggregation(aggregation):
    rule = compile_rule(f"{aggregation}(a) >= 1", known_indicators=KNOWN)
    assert rule.references == {("a", aggregation, 0)}


def test_bare_indicator_leaves_aggregation_to_the_data_source():
    assert compile_rule("a >= 1", known_indicators=KNOWN).references == {("a", None, 0)}


def test_forced_and_default_aggregation_are_separate_terms():
    source = FakeSource({("a", None, 0): Decimal(10), ("a", "avg", 0): Decimal(4)})
    outcome = evaluate("a > avg(a)", source=source)
    assert [(t.aggregation, t.value) for t in outcome.terms] == [(None, 10), ("avg", 4)]


def test_prev_year_reads_values_one_year_back():
    source = FakeSource({("x", None, 0): Decimal(12), ("x", None, 1): Decimal(15)})
    assert evaluate("x < prev_year(x)", source=source).status == "met"


def test_nested_prev_year_reads_two_years_back():
    rule = compile_rule("prev_year(prev_year(x)) > 0", known_indicators=KNOWN)
    assert rule.references == {("x", None, 2)}


def test_prev_year_applies_to_every_indicator_inside_it():
    rule = compile_rule("prev_year(a / sum(b)) > 0", known_indicators=KNOWN)
    assert rule.references == {("a", None, 1), ("b", "sum", 1)}


def test_year_offsets_list_every_year_needed():
    rule = compile_rule("x < prev_year(x)", known_indicators=KNOWN)
    assert rule.year_offsets == {0, 1}


def test_indicators_list_each_code_once():
    rule = compile_rule("a / b >= 1 and prev_year(a) < sum(a)", known_indicators=KNOWN)
    assert rule.indicators == {"a", "b"}


def test_function_name_without_parentheses_is_an_indicator_code():
    assert parse("sum > 1") == Compare(op=">", left=ind("sum"), right=num("1"))


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "position", "params"),
    [
        ("a @ b > 1", "bad_character", 2, {"character": "@"}),
        ("A > 1", "bad_character", 0, {"character": "A"}),
        ("a = 1", "bad_character", 2, {"character": "="}),
        ("a > 1 )", "unexpected_token", 6, {"token": ")"}),
        ("a > 1 b", "unexpected_token", 6, {"token": "b"}),
        ("a > and", "unexpected_token", 4, {"token": "and"}),
        ("", "unexpected_end", 0, {}),
        ("a >", "unexpected_end", 3, {}),
        ("(a > 1", "unexpected_end", 6, {}),
        ("a < b < c", "chained_comparison", 6, {"op": "<"}),
        ("foo(a) > 1", "unknown_function", 0, {"name": "foo"}),
        ("a > abs(b, c)", "bad_arity", 4, {"function": "abs", "min": 1, "max": 1, "given": 2}),
        ("min(a) > 1", "bad_arity", 0, {"function": "min", "min": 2, "max": None, "given": 1}),
        (
            "prev_year() > 1",
            "bad_arity",
            0,
            {"function": "prev_year", "min": 1, "max": 1, "given": 0},
        ),
        ("sum(a + b) > 1", "bad_argument", 4, {"function": "sum"}),
        ("avg(1) > 1", "bad_argument", 4, {"function": "avg"}),
    ],
)
def test_parse_reports_error_code_position_and_params(text, code, position, params):
    error = parse_error(text)
    assert (error.code, error.position, error.params) == (code, position, params)


@pytest.mark.parametrize(
    "text",
    [
        "(" * 60 + "a" + ")" * 60 + " > 1",
        "a" + " + a" * 150 + " > 1",
        "not " * 150 + "a > 1",
        "-" * 150 + "a > 1",
        "abs(" * 60 + "a" + ")" * 60 + " > 1",
    ],
)
def test_parse_refuses_rules_nested_too_deep(text):
    assert parse_error(text).code == "too_deep"


@pytest.mark.parametrize(
    ("text", "code", "position", "params"),
    [
        ("a > zz", "unknown_indicator", 4, {"name": "zz"}),
        ("sum(zz) > 1", "unknown_indicator", 4, {"name": "zz"}),
        ("a + 1", "not_boolean", 0, {}),
        ("(a + 1)", "not_boolean", 1, {}),
        ("a > 1 and b", "not_boolean", 10, {}),
        ("not a", "not_boolean", 4, {}),
        ("(a > 1) + 1 > 2", "not_number", 1, {}),
        ("a > (b > 1)", "not_number", 5, {}),
        ("abs(a > 1) > 1", "not_number", 4, {}),
        ("prev_year(a > 1) > 1", "not_number", 10, {}),
    ],
)
def test_check_reports_error_code_position_and_params(text, code, position, params):
    error = check_error(text)
    assert (error.code, error.position, error.params) == (code, position, params)


def test_error_message_names_token_and_position():
    assert str(parse_error("a / (b + c)) >= 1")) == "unexpected token ')' at position 11"


def test_arity_error_message_says_how_many_arguments():
    message = str(parse_error("min(a) > 1"))
    assert message == "min() takes at least 2 argument(s), 1 given at position 0"


def test_compile_rule_refuses_unknown_indicator():
    with pytest.raises(RuleError) as caught:
        compile_rule("a > zz", known_indicators=KNOWN)
    assert caught.value.code == "unknown_indicator"


def test_positions_do_not_affect_equality():
    assert parse("a>1") == parse("  a  >  1")


# --- three-valued logic ---------------------------------------------------------------------------


def test_missing_value_gives_no_data_naming_the_indicator():
    outcome = evaluate("a >= 1", source=this_year())
    assert (outcome.status, outcome.reason) == ("no_data", "missing:a")


def test_or_is_met_when_one_side_is_met_and_the_other_lacks_data():
    assert evaluate("a > 1 or b > 1", source=this_year(b=2)).status == "met"


def test_or_lacks_data_when_one_side_is_not_met_and_the_other_lacks_data():
    outcome = evaluate("a > 1 or b > 1", source=this_year(b=0))
    assert (outcome.status, outcome.reason) == ("no_data", "missing:a")


def test_and_is_not_met_when_one_side_is_not_met_and_the_other_lacks_data():
    assert evaluate("a > 1 and b > 1", source=this_year(a=0)).status == "not_met"


def test_and_lacks_data_when_one_side_is_met_and_the_other_lacks_data():
    outcome = evaluate("a > 1 and b > 1", source=this_year(a=2))
    assert (outcome.status, outcome.reason) == ("no_data", "missing:b")


def test_not_of_an_unknown_stays_unknown():
    assert evaluate("not a > 1", source=this_year()).status == "no_data"


def test_not_inverts_a_known_result():
    assert evaluate("not a > 1", source=this_year(a=0)).status == "met"


def test_a_met_or_still_records_the_comparison_that_lacked_data():
    outcome = evaluate("a > 1 or b > 1", source=this_year(b=2))
    assert outcome.comparisons[0] == Comparison(
        left_text="a", left_value=None, op=">", right_text="1", right_value=1, holds=None
    )


# --- division by zero -----------------------------------------------------------------------------


def test_division_by_zero_gives_no_data():
    outcome = evaluate("a / b >= 1", source=this_year(a=0, b=0))
    assert (outcome.status, outcome.reason) == ("no_data", "division_by_zero")


def test_pct_of_zero_gives_no_data():
    outcome = evaluate("pct(a, b) >= 100", source=this_year(a=5, b=0))
    assert (outcome.status, outcome.reason) == ("no_data", "division_by_zero")


def test_zero_over_a_positive_number_is_zero():
    assert evaluate("a / b == 0", source=this_year(a=0, b=4)).status == "met"


def test_division_by_zero_is_ignored_when_the_other_side_of_or_is_met():
    assert evaluate("a / b >= 1 or c > 1", source=this_year(a=1, b=0, c=2)).status == "met"


# --- outcome contents -----------------------------------------------------------------------------


def test_terms_follow_source_order_without_duplicates():
    source = this_year(a=1, b=2, c=3)
    outcome = evaluate("c > a and b > a or c > 0", source=source)
    assert outcome.terms == (
        Term(code="c", aggregation=None, years_back=0, value=Decimal(3)),
        Term(code="a", aggregation=None, years_back=0, value=Decimal(1)),
        Term(code="b", aggregation=None, years_back=0, value=Decimal(2)),
    )


def test_terms_include_missing_values_as_none():
    outcome = evaluate("a / b >= 1", source=this_year(a=3))
    assert outcome.terms[1] == Term(code="b", aggregation=None, years_back=0, value=None)


def test_comparisons_record_both_sides_as_text_and_value():
    outcome = evaluate(
        "tin_bao_da_xu_ly / tin_bao_tiep_nhan >= 1",
        source=this_year(tin_bao_da_xu_ly=98, tin_bao_tiep_nhan=100),
    )
    assert outcome.comparisons == (
        Comparison(
            left_text="tin_bao_da_xu_ly / tin_bao_tiep_nhan",
            left_value=Decimal("0.98"),
            op=">=",
            right_text="1",
            right_value=Decimal(1),
            holds=False,
        ),
    )


def test_every_comparison_is_recorded_even_when_the_first_settles_the_result():
    outcome = evaluate("a > 1 and b > 1", source=this_year(a=0, b=2))
    assert [c.holds for c in outcome.comparisons] == [False, True]


def test_the_data_source_is_asked_once_per_reference():
    asked = []

    class CountingSource:
        def value(self, *, code, aggregation, years_back):
            asked.append((code, aggregation, years_back))
            return Decimal(1)

    compile_rule("a + a > a and a > 0", known_indicators=KNOWN).evaluate(CountingSource())
    assert asked == [("a", None, 0)]


# --- explanations ---------------------------------------------------------------------------------

NAMES = {"tin_bao_da_xu_ly": "Tin báo đã xử lý", "tin_bao_tiep_nhan": "Tin báo tiếp nhận"}


def test_explain_shows_a_ratio_with_its_numbers_and_a_legend():
    source = this_year(tin_bao_da_xu_ly=98, tin_bao_tiep_nhan=100)
    outcome = evaluate("tin_bao_da_xu_ly / tin_bao_tiep_nhan >= 1", source=source)
    assert explain(outcome, names=NAMES) == (
        "98 / 100 = 0,98 ≥ 1 "
        "(tin_bao_da_xu_ly: Tin báo đã xử lý = 98; tin_bao_tiep_nhan: Tin báo tiếp nhận = 100)"
    )


def test_explain_labels_last_years_value():
    source = FakeSource({("x", None, 0): Decimal(12), ("x", None, 1): Decimal(15)})
    text = explain(evaluate("x < prev_year(x)", source=source), names={"x": "Tội phạm"})
    assert text == "12 < 15 (x: Tội phạm = 12; x[năm trước]: Tội phạm = 15)"


def test_explain_without_a_display_name_shows_the_code():
    outcome = evaluate("a >= 6", source=this_year(a=7))
    assert explain(outcome, names={}) == "7 ≥ 6 (a = 7)"


def test_explain_uses_vietnamese_number_format():
    outcome = evaluate("a + b > 0", source=this_year(a="1234.5", b=1))
    assert explain(outcome, names={}) == "1.234,5 + 1 = 1.235,5 > 0 (a = 1.234,5; b = 1)"


def test_explain_shows_more_decimals_when_rounding_would_hide_the_difference():
    outcome = evaluate("a / b >= 1", source=this_year(a=999, b=1000))
    assert explain(outcome, names={}).startswith("999 / 1.000 = 0,999 ≥ 1 ")


def test_explain_separates_function_arguments_with_semicolons():
    outcome = evaluate("pct(a, b) >= 100", source=this_year(a="98.5", b=100))
    assert explain(outcome, names={}).startswith("pct(98,5; 100) = 98,5 ≥ 100 ")


def test_explain_marks_a_missing_value_with_a_question_mark():
    outcome = evaluate("a / b >= 1", source=this_year(a=98))
    assert explain(outcome, names={}) == "98 / ? = ? ≥ 1 (a = 98; b = chưa có số liệu)"


def test_explain_joins_several_comparisons():
    outcome = evaluate("a >= 6 and b < 2", source=this_year(a=7, b=1))
    assert explain(outcome, names={}) == "7 ≥ 6; 1 < 2 (a = 7; b = 1)"


def test_explain_keeps_a_percent_literal_as_written():
    outcome = evaluate("a / b >= 70%", source=this_year(a=3, b=4))
    assert explain(outcome, names={}).startswith("3 / 4 = 0,75 ≥ 70% ")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0", "0"),
        ("1234.5", "1.234,5"),
        ("1234567", "1.234.567"),
        ("2.50", "2,5"),
        ("0.985", "0,99"),
        ("999.999", "1.000"),
        ("-1234.5", "-1.234,5"),
        ("-0.001", "0"),
        ("1E+3", "1.000"),
    ],
)
def test_format_number_writes_vietnamese_style(value, text):
    assert format_number(Decimal(value)) == text


# --- speed ----------------------------------------------------------------------------------------


def test_a_criteria_set_evaluates_for_every_commune_well_within_two_seconds():
    shapes = [
        "a / b >= 1",
        "x < prev_year(x)",
        "c >= 6",
        "pct(a, b) >= 100",
        "avg(d) >= 90 and c >= 6",
    ]
    rules = [compile_rule(shapes[i % len(shapes)], known_indicators=KNOWN) for i in range(20)]
    sources = []
    for unit in range(3300):
        values = {(code, None, y): Decimal(unit % 97 + y) for code in "abcx" for y in (0, 1)}
        values[("d", "avg", 0)] = Decimal(unit % 100)
        sources.append(FakeSource(values))
    started = time.perf_counter()
    for source in sources:
        for rule in rules:
            rule.evaluate(source)
    assert time.perf_counter() - started < 2


# --- properties -----------------------------------------------------------------------------------

# From the keywords' letters, so keywords and look-alike names ("nota", "orn") come up.
identifiers = st.builds(
    str.__add__, st.sampled_from("adnort_"), st.text("adnort_09", max_size=5)
).filter(lambda name: name not in {"and", "or", "not"})
literals = st.builds(
    Number,
    value=st.decimals(min_value=0, max_value=10**6, allow_nan=False, allow_infinity=False).map(
        Decimal.copy_abs
    ),
    percent=st.booleans(),
)


def leaves(codes: st.SearchStrategy[str], numbers: st.SearchStrategy[Number]):
    return st.one_of(
        numbers,
        st.builds(Indicator, code=codes),
        st.builds(Aggregate, aggregation=st.sampled_from(["sum", "avg", "last"]), code=codes),
    )


def numeric_nodes(children):
    return st.one_of(
        st.builds(PrevYear, operand=children),
        st.builds(Neg, operand=children),
        st.builds(Binary, op=st.sampled_from("+-*/"), left=children, right=children),
        st.builds(Call, function=st.just("pct"), args=st.tuples(children, children)),
        st.builds(
            Call,
            function=st.sampled_from(["min", "max"]),
            args=st.lists(children, min_size=2, max_size=3).map(tuple),
        ),
        st.builds(Call, function=st.just("abs"), args=st.tuples(children)),
    )


def any_nodes(children):
    """Any node over any children, type errors included: syntax must round-trip regardless."""
    return st.one_of(
        numeric_nodes(children),
        st.builds(Not, operand=children),
        st.builds(Compare, op=st.sampled_from(COMPARISON_OPERATORS), left=children, right=children),
        st.builds(Logical, op=st.sampled_from(["and", "or"]), left=children, right=children),
    )


any_trees = st.recursive(leaves(identifiers, literals), any_nodes, max_leaves=20)

CODES = ["a", "b", "c"]
small_literals = st.builds(
    Number, value=st.sampled_from([Decimal(0), Decimal(1), Decimal("2.5"), Decimal(100)])
)
arithmetic = st.recursive(
    leaves(st.sampled_from(CODES), small_literals), numeric_nodes, max_leaves=8
)
comparisons = st.builds(
    Compare, op=st.sampled_from(COMPARISON_OPERATORS), left=arithmetic, right=arithmetic
)
conditions = st.recursive(
    comparisons,
    lambda children: st.one_of(
        st.builds(Not, operand=children),
        st.builds(Logical, op=st.sampled_from(["and", "or"]), left=children, right=children),
    ),
    max_leaves=4,
)
data_values = st.one_of(
    st.none(), st.just(Decimal(0)), st.decimals(min_value=-100, max_value=100, places=1)
)


@st.composite
def rules_with_data(draw, trees):
    expr = draw(trees)
    rule = compile_rule(unparse(expr), known_indicators=CODES)
    values = {ref: draw(data_values) for ref in sorted(rule.references, key=repr)}
    return rule, FakeSource({ref: v for ref, v in values.items() if v is not None})


class Missing(Exception):
    pass


def divide(a: Decimal, b: Decimal) -> Decimal:
    if b == 0:
        raise ZeroDivisionError
    return a / b


def reference_number(node: Expr, *, source: FakeSource, years_back: int) -> Decimal:
    """A plain interpreter to compare the compiled closures against."""

    def number(child: Expr) -> Decimal:
        return reference_number(child, source=source, years_back=years_back)

    match node:
        case Number(value=value):
            return value
        case Indicator(code=code) | Aggregate(code=code):
            aggregation = node.aggregation if isinstance(node, Aggregate) else None
            value = source.values.get((code, aggregation, years_back))
            if value is None:
                raise Missing(code)
            return value
        case PrevYear(operand=operand):
            return reference_number(operand, source=source, years_back=years_back + 1)
        case Neg(operand=operand):
            return -number(operand)
        case Binary(op="+", left=left, right=right):
            return number(left) + number(right)
        case Binary(op="-", left=left, right=right):
            return number(left) - number(right)
        case Binary(op="*", left=left, right=right):
            return number(left) * number(right)
        case Binary(op="/", left=left, right=right):
            return divide(number(left), number(right))
        case Call(function="pct", args=(a, b)):
            return divide(100 * number(a), number(b))
        case Call(function="abs", args=(a,)):
            return abs(number(a))
        case Call(function=function, args=args):
            return (min if function == "min" else max)([number(arg) for arg in args])
    raise AssertionError(node)


def reference_comparison(node: Compare, *, source: FakeSource) -> bool | str:
    """True/False, or the reason the comparison is unknown."""
    sides = []
    for side in (node.left, node.right):
        try:
            with localcontext(prec=PRECISION):
                sides.append(reference_number(side, source=source, years_back=0))
        except Missing as missing:
            sides.append(f"missing:{missing}")
        except ZeroDivisionError:
            sides.append("division_by_zero")
    for side in sides:
        if isinstance(side, str):
            return side
    a, b = sides
    return {">=": a >= b, ">": a > b, "<=": a <= b, "<": a < b, "==": a == b, "!=": a != b}[node.op]


def reference_condition(node: Expr, *, source: FakeSource) -> bool | None:
    """Kleene's three-valued logic: None is unknown."""
    match node:
        case Compare():
            result = reference_comparison(node, source=source)
            return None if isinstance(result, str) else result
        case Not(operand=operand):
            inner = reference_condition(operand, source=source)
            return None if inner is None else not inner
        case Logical(op=op, left=left, right=right):
            a = reference_condition(left, source=source)
            b = reference_condition(right, source=source)
            decisive = op == "or"
            if decisive in (a, b):
                return decisive
            return None if None in (a, b) else not decisive
    raise AssertionError(node)


def codes_in(expr: Expr) -> set[str]:
    match expr:
        case Indicator(code=code) | Aggregate(code=code):
            return {code}
        case Number():
            return set()
        case PrevYear(operand=child) | Neg(operand=child) | Not(operand=child):
            return codes_in(child)
        case Call(args=args):
            return set().union(*(codes_in(arg) for arg in args))
        case Binary(left=left, right=right) | Compare(left=left, right=right):
            return codes_in(left) | codes_in(right)
        case Logical(left=left, right=right):
            return codes_in(left) | codes_in(right)
    raise AssertionError(expr)


@PROPERTY
@given(any_trees)
def test_unparse_then_parse_gives_back_the_same_tree(expr):
    assert parse(unparse(expr)) == expr


rule_like_text = st.lists(
    st.sampled_from(
        [
            "a",
            "b1",
            "_x",
            "1",
            "0.5",
            "70%",
            "and",
            "or",
            "not",
            "sum(",
            "prev_year(",
            "pct(",
            "min(",
            "foo(",
            "(",
            ")",
            ",",
            "+",
            "-",
            "*",
            "/",
            ">=",
            "<",
            "==",
            "!=",
            "=",
            " ",
            ".",
        ]
    ),
    max_size=30,
).map("".join)


@PROPERTY
@given(st.one_of(st.text(max_size=40), rule_like_text))
def test_parse_of_any_text_raises_nothing_but_rule_error(text):
    # Any other exception escapes and fails the test.
    with contextlib.suppress(RuleError):
        parse(text)


@PROPERTY
@given(rule_like_text)
def test_compile_of_any_text_raises_nothing_but_rule_error(text):
    # Any other exception escapes and fails the test.
    with contextlib.suppress(RuleError):
        compile_rule(text, known_indicators={"a", "b1", "_x"})


@PROPERTY
@given(rules_with_data(comparisons))
def test_evaluation_matches_a_plain_interpreter(rule_and_source):
    rule, source = rule_and_source
    expected = reference_comparison(rule.expr, source=source)
    outcome = rule.evaluate(source)
    if isinstance(expected, str):
        assert (outcome.status, outcome.reason) == ("no_data", expected)
    else:
        assert outcome.status == ("met" if expected else "not_met")


@PROPERTY
@given(rules_with_data(conditions))
def test_and_or_not_follow_three_valued_logic(rule_and_source):
    rule, source = rule_and_source
    expected = reference_condition(rule.expr, source=source)
    status = {True: "met", False: "not_met", None: "no_data"}[expected]
    assert rule.evaluate(source).status == status


named_arithmetic = st.recursive(leaves(identifiers, literals), numeric_nodes, max_leaves=8)


@PROPERTY
@given(st.builds(Compare, op=st.just(">"), left=named_arithmetic, right=named_arithmetic))
def test_rule_indicators_are_the_codes_in_the_tree(expr):
    rule = compile_rule(unparse(expr), known_indicators=codes_in(expr))
    assert rule.indicators == codes_in(expr)
