"""Types the API declares its inputs with, so the published schema says what the server checks,
and the one error shape every operation answers with."""

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import BeforeValidator, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from kieumau.core import bounds


class ErrorItem(Schema):
    field: str | None = None
    message: str


class Problem(Schema):
    """`detail` says what went wrong; `errors` names each field."""

    detail: str
    errors: list[ErrorItem] = []


class UnitName(Schema):
    """A unit as answers name it: its code and its name."""

    code: str
    name: str


def _day(value: Any) -> Any:
    """Any refusal has one kind, `day_invalid`, that the API words in Vietnamese."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        if bounds.day_in_range(value):
            return value
    else:
        try:
            return bounds.parse_day(value)
        except ValueError:
            pass
    raise PydanticCustomError("day_invalid", "not a date (YYYY-MM-DD) within the bounds")


# A day typed as YYYY-MM-DD between the bounds: "0" is not 1970-01-01, 9999-12-31 is refused.
Day = Annotated[
    dt.date,
    BeforeValidator(_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": bounds.DAY_PATTERN}),
]
Year = Annotated[int, Field(ge=bounds.FIRST_YEAR, le=bounds.LAST_YEAR)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=bounds.MAX_CODE)]
OptionalCode = Annotated[str, StringConstraints(max_length=bounds.MAX_CODE)]
SetCode = Annotated[str, StringConstraints(min_length=1, max_length=bounds.MAX_SET_CODE)]
Version = Annotated[str, StringConstraints(max_length=bounds.MAX_VERSION)]
SearchText = Annotated[str, StringConstraints(max_length=bounds.MAX_QUERY_TEXT)]


def text(max_length: int) -> Any:
    """A free text of at most `max_length` characters (the model column's or the form's bound)."""
    return Annotated[str, StringConstraints(max_length=max_length)]


def paginator(*, default: int = 100, max_limit: int = 500) -> type[LimitOffsetPagination]:
    """django-ninja's limit/offset paginator with the offset bounded too; answers
    `{"count": N, "items": [...]}`."""

    class Input(Schema):
        limit: int = Field(default, ge=1, le=max_limit)
        offset: int = Field(0, ge=0, le=bounds.MAX_OFFSET)

    class Bounded(LimitOffsetPagination):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(max_limit=max_limit, **kwargs)

    Bounded.Input = Input
    return Bounded


class Mapped:
    """A queryset seen through `convert`, for the paginator: counted and sliced in the database,
    each row of the page converted to what the response schema reads."""

    def __init__(self, queryset: Any, convert: Any) -> None:
        self.queryset, self.convert = queryset, convert

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list:
        return [self.convert(row) for row in self.queryset[window]]
