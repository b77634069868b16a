"""The indicator rule language of criteria sets: parse, check, compile, evaluate, explain.

A criterion such as ``tin_bao_da_xu_ly / tin_bao_tiep_nhan >= 1`` is parsed into frozen
dataclasses, checked against the indicator catalogue, and compiled once into nested closures,
because a criteria set is evaluated for every unit in the country at once.
No Django import: this module is tested without a database.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from typing import Final, Literal, NamedTuple, Protocol

# Sums and products of real indicator values stay exact; only division rounds.
PRECISION: Final = 40
_ARITHMETIC: Final = Context(
    prec=PRECISION, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow]
)

# Far beyond any real criterion, and low enough that the recursive parser, checker, compiler and
# closures never reach Python's recursion limit, whatever text a user types.
MAX_DEPTH: Final = 100
_MAX_NESTING: Final = 40  # parentheses and calls; each costs the parser about ten stack frames

AGGREGATIONS: Final = frozenset({"sum", "avg", "last"})
# name -> (fewest, most) arguments; None means any number.
_ARITY: Final[dict[str, tuple[int, int | None]]] = {
    "prev_year": (1, 1),
    "sum": (1, 1),
    "avg": (1, 1),
    "last": (1, 1),
    "pct": (2, 2),
    "min": (2, None),
    "max": (2, None),
    "abs": (1, 1),
}
_KEYWORDS: Final = frozenset({"and", "or", "not"})
COMPARISON_OPERATORS: Final = (">=", ">", "<=", "<", "==", "!=")


# --- errors -------------------------------------------------------------------------------------

_MESSAGES: Final = {
    "bad_character": "unexpected character {character!r}",
    "unexpected_token": "unexpected token {token!r}",
    "unexpected_end": "unexpected end of rule",
    "chained_comparison": "comparisons cannot be chained: {op!r} follows another comparison",
    "unknown_function": "unknown function {name!r}",
    "bad_arity": "{function}() takes {expected} argument(s), {given} given",
    "bad_argument": "{function}() takes an indicator code as its argument",
    "too_deep": "rule is nested more than {limit} levels deep",
    "unknown_indicator": "unknown indicator {name!r}",
    "not_boolean": "expected a condition (a comparison) but found a number",
    "not_number": "expected a number but found a condition",
}


class RuleError(Exception):
    """A rule that cannot be parsed or checked.

    ``code`` and ``params`` are stable so the Django layer can translate the message.
    """

    def __init__(self, *, code: str, position: int, params: Mapping[str, object] | None = None):
        self.code = code
        self.position = position
        self.params = dict(params or {})
        shown = dict(self.params)
        if code == "bad_arity":
            low, high = shown["min"], shown["max"]
            shown["expected"] = (
                f"at least {low}" if high is None else low if low == high else f"{low} to {high}"
            )
        super().__init__(f"{_MESSAGES[code].format(**shown)} at position {position}")


# --- syntax tree ----------------------------------------------------------------------------------
# Positions are 0-based offsets of where a node starts in the source; they are left out of
# equality so that parse(unparse(e)) == e.


@dataclass(frozen=True, slots=True, kw_only=True)
class Number:
    value: Decimal
    percent: bool = False  # written as "70%"; value is already 0.7
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicator:
    """A bare indicator code: aggregated over the period by its own catalogue rule."""

    code: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Aggregate:
    aggregation: str  # one of AGGREGATIONS
    code: str
    position: int = field(default=0, compare=False)
    code_position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class PrevYear:
    operand: Expr
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Call:
    function: str  # pct, min, max, abs
    args: tuple[Expr, ...]
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Neg:
    operand: Expr
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Binary:
    op: str  # + - * /
    left: Expr
    right: Expr
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Compare:
    op: str  # one of COMPARISON_OPERATORS
    left: Expr
    right: Expr
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Not:
    operand: Expr
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Logical:
    op: str  # and, or
    left: Expr
    right: Expr
    position: int = field(default=0, compare=False)


Expr = Number | Indicator | Aggregate | PrevYear | Call | Neg | Binary | Compare | Not | Logical


def _children(node: Expr) -> tuple[Expr, ...]:
    match node:
        case PrevYear(operand=operand) | Neg(operand=operand) | Not(operand=operand):
            return (operand,)
        case Call(args=args):
            return args
        case Binary(left=left, right=right) | Compare(left=left, right=right):
            return (left, right)
        case Logical(left=left, right=right):
            return (left, right)
    return ()


# --- parsing --------------------------------------------------------------------------------------

_TOKEN: Final = re.compile(
    r"(?P<number>[0-9]+(?:\.[0-9]+)?%?)"
    r"|(?P<name>[a-z_][a-z0-9_]*)"
    r"|(?P<op>>=|<=|==|!=|[-+*/()<>,])"
)


class _Token(NamedTuple):
    kind: str  # number, name, keyword, op, end
    text: str
    position: int


def _tokenize(source: str) -> list[_Token]:
    tokens = []
    position = 0
    while position < len(source):
        if source[position].isspace():
            position += 1
            continue
        match = _TOKEN.match(source, position)
        if match is None:
            raise RuleError(
                code="bad_character", position=position, params={"character": source[position]}
            )
        kind, text = match.lastgroup or "", match.group()
        if kind == "name" and text in _KEYWORDS:
            kind = "keyword"
        tokens.append(_Token(kind, text, position))
        position = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


def _shift(value: Decimal, *, places: int) -> Decimal:
    """Multiply by a power of ten exactly, whatever the context precision."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    return Decimal((sign, digits, exponent + places))


class _Parser:
    def __init__(self, source: str):
        self.tokens = _tokenize(source)
        self.index = 0
        self.nesting = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind == "end":
            raise RuleError(code="unexpected_end", position=token.position)
        self.index += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            raise _unexpected(token)

    def parse(self) -> Expr:
        expr = self.logical(op="or")
        if self.peek().kind != "end":
            raise _unexpected(self.peek())
        return expr

    def logical(self, *, op: str) -> Expr:
        operand = self.negation if op == "and" else lambda: self.logical(op="and")
        left = operand()
        while self.peek().kind == "keyword" and self.peek().text == op:
            self.take()
            left = Logical(op=op, left=left, right=operand(), position=left.position)
        return left

    def negation(self) -> Expr:
        # Prefix operators are gathered in a loop, not by recursion, so "not not not ..." of any
        # length cannot exhaust the stack; the depth check after parsing rejects silly ones.
        positions = []
        while self.peek().kind == "keyword" and self.peek().text == "not":
            positions.append(self.take().position)
        expr = self.comparison()
        for position in reversed(positions):
            expr = Not(operand=expr, position=position)
        return expr

    def comparison(self) -> Expr:
        left = self.additive()
        if self.peek().text not in COMPARISON_OPERATORS:
            return left
        op = self.take().text
        expr = Compare(op=op, left=left, right=self.additive(), position=left.position)
        token = self.peek()
        if token.text in COMPARISON_OPERATORS:
            raise RuleError(
                code="chained_comparison", position=token.position, params={"op": token.text}
            )
        return expr

    def additive(self) -> Expr:
        left = self.multiplicative()
        while self.peek().text in ("+", "-"):
            op = self.take().text
            left = Binary(op=op, left=left, right=self.multiplicative(), position=left.position)
        return left

    def multiplicative(self) -> Expr:
        left = self.unary()
        while self.peek().text in ("*", "/"):
            op = self.take().text
            left = Binary(op=op, left=left, right=self.unary(), position=left.position)
        return left

    def unary(self) -> Expr:
        positions = []
        while self.peek().text == "-":
            positions.append(self.take().position)
        expr = self.atom()
        for position in reversed(positions):
            expr = Neg(operand=expr, position=position)
        return expr

    def atom(self) -> Expr:
        token = self.take()
        if token.kind == "number":
            if token.text.endswith("%"):
                value = _shift(Decimal(token.text[:-1]), places=-2)
                return Number(value=value, percent=True, position=token.position)
            return Number(value=Decimal(token.text), position=token.position)
        if token.kind == "name":
            if self.peek().text == "(":
                return self.call(token)
            return Indicator(code=token.text, position=token.position)
        if token.text == "(":
            self.enter(token)
            expr = self.logical(op="or")
            self.expect(")")
            self.nesting -= 1
            return expr
        raise _unexpected(token)

    def enter(self, token: _Token) -> None:
        self.nesting += 1
        if self.nesting > _MAX_NESTING:
            raise RuleError(
                code="too_deep", position=token.position, params={"limit": _MAX_NESTING}
            )

    def call(self, name: _Token) -> Expr:
        if name.text not in _ARITY:
            raise RuleError(
                code="unknown_function", position=name.position, params={"name": name.text}
            )
        self.enter(self.take())
        args: list[Expr] = []
        if self.peek().text != ")":
            args.append(self.logical(op="or"))
            while self.peek().text == ",":
                self.take()
                args.append(self.logical(op="or"))
        self.expect(")")
        self.nesting -= 1
        low, high = _ARITY[name.text]
        if len(args) < low or (high is not None and len(args) > high):
            params = {"function": name.text, "min": low, "max": high, "given": len(args)}
            raise RuleError(code="bad_arity", position=name.position, params=params)
        if name.text in AGGREGATIONS:
            (arg,) = args
            if not isinstance(arg, Indicator):
                raise RuleError(
                    code="bad_argument", position=arg.position, params={"function": name.text}
                )
            return Aggregate(
                aggregation=name.text,
                code=arg.code,
                position=name.position,
                code_position=arg.position,
            )
        if name.text == "prev_year":
            return PrevYear(operand=args[0], position=name.position)
        return Call(function=name.text, args=tuple(args), position=name.position)


def _unexpected(token: _Token) -> RuleError:
    if token.kind == "end":
        return RuleError(code="unexpected_end", position=token.position)
    return RuleError(code="unexpected_token", position=token.position, params={"token": token.text})


def _check_depth(expr: Expr) -> None:
    # Iterative, because a long chain like a + a + ... + a nests without any parentheses.
    pending = [(expr, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise RuleError(code="too_deep", position=node.position, params={"limit": MAX_DEPTH})
        pending.extend((child, depth + 1) for child in _children(node))


def parse(source: str) -> Expr:
    """Parse rule text into a syntax tree; raise RuleError on bad syntax, an unknown function
    or wrong arguments to one."""
    expr = _Parser(source).parse()
    _check_depth(expr)
    return expr


# --- checking -------------------------------------------------------------------------------------


def check(expr: Expr, *, known_indicators: Collection[str]) -> None:
    """Raise RuleError for unknown indicators and for numbers and conditions used in each
    other's place; the rule as a whole must be a condition."""
    if _kind_of(expr, known_indicators=known_indicators) != "boolean":
        raise RuleError(code="not_boolean", position=expr.position)


def _kind_of(node: Expr, *, known_indicators: Collection[str]) -> str:
    def require(child: Expr, kind: str) -> None:
        if _kind_of(child, known_indicators=known_indicators) != kind:
            code = "not_boolean" if kind == "boolean" else "not_number"
            raise RuleError(code=code, position=child.position)

    match node:
        case Indicator(code=code) | Aggregate(code=code):
            if code not in known_indicators:
                position = node.code_position if isinstance(node, Aggregate) else node.position
                raise RuleError(code="unknown_indicator", position=position, params={"name": code})
        case Compare(left=left, right=right):
            require(left, "number")
            require(right, "number")
            return "boolean"
        case Not() | Logical():
            for child in _children(node):
                require(child, "boolean")
            return "boolean"
        case _:
            for child in _children(node):
                require(child, "number")
    return "number"


# --- unparsing ------------------------------------------------------------------------------------

_ATOM: Final = 8


def _precedence(node: Expr) -> int:
    match node:
        case Logical(op="or"):
            return 1
        case Logical():
            return 2
        case Not():
            return 3
        case Compare():
            return 4
        case Binary(op="+" | "-"):
            return 5
        case Binary():
            return 6
        case Neg():
            return 7
    return _ATOM


class _Renderer:
    """Writes a tree back as text with the fewest parentheses that keep its shape."""

    separator = ", "

    def render(self, node: Expr, *, years_back: int = 0, minimum: int = 0) -> str:
        text = self.text(node, years_back=years_back)
        return f"({text})" if _precedence(node) < minimum else text

    def text(self, node: Expr, *, years_back: int) -> str:
        match node:
            case Number():
                return self.number(node)
            case Indicator() | Aggregate():
                return self.reference(node, years_back=years_back)
            case PrevYear(operand=operand):
                return self.prev_year(operand, years_back=years_back)
            case Call(function=function, args=args):
                inner = self.separator.join(self.render(a, years_back=years_back) for a in args)
                return f"{function}({inner})"
            case Neg(operand=operand):
                return "-" + self.render(operand, years_back=years_back, minimum=7)
            case Not(operand=operand):
                return "not " + self.render(operand, years_back=years_back, minimum=3)
            case Binary(op=op, left=left, right=right) | Logical(op=op, left=left, right=right):
                # Left-associative: an equal-precedence operand needs parentheses on the right.
                level = _precedence(node)
                left_text = self.render(left, years_back=years_back, minimum=level)
                right_text = self.render(right, years_back=years_back, minimum=level + 1)
                return f"{left_text} {op} {right_text}"
            case Compare(op=op, left=left, right=right):
                left_text = self.render(left, years_back=years_back, minimum=5)
                right_text = self.render(right, years_back=years_back, minimum=5)
                return f"{left_text} {op} {right_text}"
        raise TypeError(f"not a rule node: {node!r}")

    def number(self, node: Number) -> str:
        if node.percent:
            return format(_shift(node.value, places=2), "f") + "%"
        return format(node.value, "f")

    def reference(self, node: Indicator | Aggregate, *, years_back: int) -> str:
        if isinstance(node, Aggregate):
            return f"{node.aggregation}({node.code})"
        return node.code

    def prev_year(self, operand: Expr, *, years_back: int) -> str:
        return f"prev_year({self.render(operand, years_back=years_back + 1)})"


def unparse(expr: Expr) -> str:
    """Canonical text of a tree, such that parse(unparse(expr)) == expr."""
    return _Renderer().render(expr)


# --- compiling and evaluating ---------------------------------------------------------------------

Reference = tuple[str, str | None, int]  # (code, forced aggregation or None, years back)
Status = Literal["met", "not_met", "no_data"]


class DataSource(Protocol):
    def value(self, *, code: str, aggregation: str | None, years_back: int) -> Decimal | None:
        """The indicator over the period ``years_back`` years earlier; None when there is no
        data. Values must be finite Decimals."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Term:
    code: str
    aggregation: str | None
    years_back: int
    value: Decimal | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    left_text: str
    left_value: Decimal | None
    op: str
    right_text: str
    right_value: Decimal | None
    holds: bool | None  # None when a side could not be computed


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    status: Status
    terms: tuple[Term, ...]
    comparisons: tuple[Comparison, ...]
    reason: str | None = None  # "missing:<code>" or "division_by_zero" when status is no_data


class _Undefined(Exception):
    """A number that cannot be computed; becomes an unknown truth value at its comparison."""

    def __init__(self, reason: str):
        self.reason = reason


# Compiled closures take the fetched values (indexed like Rule's references). Numeric ones return
# a Decimal or raise _Undefined; conditions return True, False, or the reason string when unknown.
_Values = list[Decimal | None]
_NumberFn = Callable[[_Values], Decimal]
_ConditionFn = Callable[[_Values, list[Comparison]], "bool | str"]

_COMPARE: Final[dict[str, Callable[[Decimal, Decimal], bool]]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


class Rule:
    """A rule compiled to closures. Build it with compile_rule(), which checks the tree first;
    the closures assume a checked tree."""

    __slots__ = ("text", "expr", "_references", "_root")

    def __init__(self, *, text: str, expr: Expr):
        self.text = text
        self.expr = expr
        slots: dict[Reference, int] = {}
        self._root = _compile_condition(expr, slots=slots)
        self._references: tuple[Reference, ...] = tuple(slots)  # in source order

    @property
    def references(self) -> frozenset[Reference]:
        return frozenset(self._references)

    @property
    def indicators(self) -> frozenset[str]:
        return frozenset(code for code, _, _ in self._references)

    @property
    def year_offsets(self) -> frozenset[int]:
        return frozenset(years_back for _, _, years_back in self._references)

    def evaluate(self, source: DataSource) -> Outcome:
        fetch = source.value
        values = [fetch(code=c, aggregation=a, years_back=y) for c, a, y in self._references]
        comparisons: list[Comparison] = []
        result = self._root(values, comparisons)
        terms = tuple(
            Term(code=c, aggregation=a, years_back=y, value=v)
            for (c, a, y), v in zip(self._references, values, strict=True)
        )
        status: Status
        if isinstance(result, str):
            status, reason = "no_data", result
        else:
            status, reason = ("met" if result else "not_met"), None
        return Outcome(status=status, terms=terms, comparisons=tuple(comparisons), reason=reason)

    def __repr__(self) -> str:
        return f"<Rule {self.text!r}>"


def compile_rule(source: str, *, known_indicators: Collection[str]) -> Rule:
    """Parse, check and compile rule text; raise RuleError when it is not a valid criterion."""
    expr = parse(source)
    check(expr, known_indicators=known_indicators)
    return Rule(text=source, expr=expr)


def _compile_condition(node: Expr, *, slots: dict[Reference, int]) -> _ConditionFn:
    match node:
        case Compare():
            return _compile_comparison(node, slots=slots)
        case Not(operand=operand):
            inner = _compile_condition(operand, slots=slots)

            def negate(values: _Values, log: list[Comparison]) -> bool | str:
                result = inner(values, log)
                return result if isinstance(result, str) else not result

            return negate
        case Logical(op=op, left=left, right=right):
            first = _compile_condition(left, slots=slots)
            second = _compile_condition(right, slots=slots)
            decisive = op == "or"  # the value that settles the result whatever the other side

            # Both sides are always evaluated so the outcome shows every comparison; an unknown
            # side is ignored when the other side is decisive (Kleene's three-valued logic).
            def combine(values: _Values, log: list[Comparison]) -> bool | str:
                a = first(values, log)
                b = second(values, log)
                if a is decisive or b is decisive:
                    return decisive
                if isinstance(a, str):
                    return a
                return b

            return combine
    raise TypeError(f"not a condition: {node!r}")


def _compile_comparison(node: Compare, *, slots: dict[Reference, int]) -> _ConditionFn:
    left = _compile_number(node.left, slots=slots, years_back=0)
    right = _compile_number(node.right, slots=slots, years_back=0)
    holds_for = _COMPARE[node.op]
    op, left_text, right_text = node.op, unparse(node.left), unparse(node.right)

    def compare(values: _Values, log: list[Comparison]) -> bool | str:
        reason: str | None = None
        try:
            a: Decimal | None = left(values)
        except _Undefined as undefined:
            a, reason = None, undefined.reason
        try:
            b: Decimal | None = right(values)
        except _Undefined as undefined:
            b, reason = None, reason or undefined.reason
        holds = None if a is None or b is None else holds_for(a, b)
        log.append(
            Comparison(
                left_text=left_text,
                left_value=a,
                op=op,
                right_text=right_text,
                right_value=b,
                holds=holds,
            )
        )
        if holds is None:
            assert reason is not None  # a side is None only when it was undefined
            return reason
        return holds

    return compare


def _compile_number(node: Expr, *, slots: dict[Reference, int], years_back: int) -> _NumberFn:
    match node:
        case Number(value=value):
            return lambda values: value
        case Indicator(code=code) | Aggregate(code=code):
            aggregation = node.aggregation if isinstance(node, Aggregate) else None
            index = slots.setdefault((code, aggregation, years_back), len(slots))
            reason = f"missing:{code}"

            def read(values: _Values) -> Decimal:
                value = values[index]
                if value is None:
                    raise _Undefined(reason)
                return value

            return read
        case PrevYear(operand=operand):
            return _compile_number(operand, slots=slots, years_back=years_back + 1)
        case Neg(operand=operand):
            inner = _compile_number(operand, slots=slots, years_back=years_back)
            return lambda values: inner(values).copy_negate()
        case Binary(op=op, left=left, right=right):
            a = _compile_number(left, slots=slots, years_back=years_back)
            b = _compile_number(right, slots=slots, years_back=years_back)
            return _arithmetic(op=op, left=a, right=b)
        case Call(function=function, args=args):
            compiled = [_compile_number(a, slots=slots, years_back=years_back) for a in args]
            return _function(name=function, args=compiled)
    raise TypeError(f"not a number: {node!r}")


def _arithmetic(*, op: str, left: _NumberFn, right: _NumberFn) -> _NumberFn:
    if op == "/":
        return lambda values: _divide(dividend=left(values), divisor=right(values))
    apply = {"+": _ARITHMETIC.add, "-": _ARITHMETIC.subtract, "*": _ARITHMETIC.multiply}[op]
    return lambda values: apply(left(values), right(values))


def _divide(*, dividend: Decimal, divisor: Decimal) -> Decimal:
    # A ratio over nothing (no crime reports received) is undefined: neither met nor not met.
    if not divisor:
        raise _Undefined("division_by_zero")
    return _ARITHMETIC.divide(dividend, divisor)


_HUNDRED: Final = Decimal(100)


def _function(*, name: str, args: list[_NumberFn]) -> _NumberFn:
    if name == "pct":
        a, b = args
        return lambda values: _divide(
            dividend=_ARITHMETIC.multiply(_HUNDRED, a(values)), divisor=b(values)
        )
    if name == "abs":
        (a,) = args
        return lambda values: a(values).copy_abs()
    pick = min if name == "min" else max
    # A list, not a generator: every argument is computed, so a missing one is never skipped.
    return lambda values: pick([arg(values) for arg in args])


# --- explaining -----------------------------------------------------------------------------------

_SYMBOLS: Final = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}
_UNKNOWN: Final = "?"


def format_number(value: Decimal, *, max_decimals: int = 2) -> str:
    """Vietnamese style: 1.234,5 — dot between thousands, decimal comma, trailing zeros dropped."""
    if not value.is_finite():
        return str(value)
    digits = max(value.adjusted(), 0) + max_decimals + 2
    rounded = value.quantize(
        Decimal(1).scaleb(-max_decimals), rounding=ROUND_HALF_UP, context=Context(prec=digits)
    )
    whole, _, fraction = format(abs(rounded), "f").partition(".")
    fraction = fraction.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    text = ".".join([whole, *groups]) + ("," + fraction if fraction else "")
    return "-" + text if rounded < 0 else text


class _ValueRenderer(_Renderer):
    """Writes a side of a comparison with each indicator replaced by its value."""

    separator = "; "  # the comma is the decimal separator

    def __init__(self, *, values: Mapping[Reference, Decimal | None], decimals: int):
        self.values = values
        self.decimals = decimals

    def number(self, node: Number) -> str:
        if node.percent:
            return format_number(_shift(node.value, places=2), max_decimals=self.decimals) + "%"
        return self.format(node.value)

    def reference(self, node: Indicator | Aggregate, *, years_back: int) -> str:
        aggregation = node.aggregation if isinstance(node, Aggregate) else None
        value = self.values.get((node.code, aggregation, years_back))
        # Negative values in brackets so "5 - -3" reads as "5 - (-3)".
        return f"({self.format(value)})" if value is not None and value < 0 else self.format(value)

    def prev_year(self, operand: Expr, *, years_back: int) -> str:
        return self.render(operand, years_back=years_back + 1, minimum=_ATOM)

    def format(self, value: Decimal | None) -> str:
        return _UNKNOWN if value is None else format_number(value, max_decimals=self.decimals)


# The words of the legend; a caller may pass them translated (this module imports no Django).
LEGEND_WORDS: Mapping[str, str] = {
    "year_back": "năm trước",
    "years_back": "{n} năm trước",
    "no_data": "chưa có số liệu",
}


def explain(
    outcome: Outcome, *, names: Mapping[str, str], words: Mapping[str, str] = LEGEND_WORDS
) -> str:
    """Each comparison with its numbers, then a legend of the indicator values used, e.g.
    ``98 / 100 = 0,98 ≥ 1 (tin_bao_da_xu_ly: Tin báo đã xử lý = 98; …)``.
    ``?`` stands for a value that is missing or undefined; the caller adds the status words."""
    values = {(t.code, t.aggregation, t.years_back): t.value for t in outcome.terms}
    text = "; ".join(_explain_comparison(c, values=values) for c in outcome.comparisons)
    if outcome.terms:
        legend = "; ".join(
            _legend_entry(term, names=names, words=words) for term in outcome.terms
        )
        text += f" ({legend})"
    return text


def _explain_comparison(
    comparison: Comparison, *, values: Mapping[Reference, Decimal | None]
) -> str:
    decimals = _distinguishing_decimals(left=comparison.left_value, right=comparison.right_value)
    renderer = _ValueRenderer(values=values, decimals=decimals)
    sides = []
    for text, value in (
        (comparison.left_text, comparison.left_value),
        (comparison.right_text, comparison.right_value),
    ):
        expr = parse(text)
        substituted = renderer.render(expr)
        shown = renderer.format(value)
        if isinstance(expr, Number) or substituted in (shown, f"({shown})"):
            sides.append(substituted)
        else:
            sides.append(f"{substituted} = {shown}")
    return f"{sides[0]} {_SYMBOLS[comparison.op]} {sides[1]}"


def _distinguishing_decimals(*, left: Decimal | None, right: Decimal | None) -> int:
    # 999/1000 against 1 must not read "1 < 1": show more decimals until the two differ.
    decimals = 2
    if left is None or right is None or left == right:
        return decimals
    while decimals < 8 and (
        format_number(left, max_decimals=decimals) == format_number(right, max_decimals=decimals)
    ):
        decimals += 1
    return decimals


def _legend_entry(term: Term, *, names: Mapping[str, str], words: Mapping[str, str]) -> str:
    label = term.code if term.aggregation is None else f"{term.aggregation}({term.code})"
    if term.years_back == 1:
        label += f"[{words['year_back']}]"
    elif term.years_back > 1:
        label += f"[{words['years_back'].format(n=term.years_back)}]"
    value = words["no_data"] if term.value is None else format_number(term.value)
    name = names.get(term.code)
    return f"{label}: {name} = {value}" if name else f"{label} = {value}"
