"""Writing many values fast, on SQLite and PostgreSQL alike.

A 100,000-value import spends most of its time, through the ORM, building model instances and
SQL (bulk_create), and on PostgreSQL in the driver parsing statements with thousands of
placeholders. So: SQLite gets multi-row INSERTs and `executemany` (in-process, cheap per
statement); PostgreSQL gets COPY (into the table, or into a temporary table to update from).
"""

import datetime as dt
from decimal import Decimal

from django.db import connection

SQLITE_ROWS = 1000  # rows per INSERT: 8,000 parameters, under SQLite's 32,766


def insert_rows(model, names: list[str], rows: list[tuple]) -> None:
    """INSERT `rows` (tuples in the order of the field `names`; FKs as "<name>_id")."""
    if not rows:
        return
    fields = [model._meta.get_field(name.removesuffix("_id")) for name in names]
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, f"COPY {table} ({columns}) FROM STDIN", rows)
            return
        adapt = _adapters(fields)
        one = f"({', '.join(['%s'] * len(fields))})"
        for start in range(0, len(rows), SQLITE_ROWS):
            chunk = rows[start : start + SQLITE_ROWS]
            params = [adapt(index, value) for row in chunk for index, value in enumerate(row)]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * len(chunk)), params
            )


def update_values(
    model, changes: list[tuple[int, Decimal | None]], *, actor_id: int | None, now: dt.datetime
) -> None:
    """Set value, entered_by, entered_at and revision + 1 of each (pk, new value)."""
    if not changes:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    value_type = model._meta.get_field("value").db_type(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMPORARY TABLE kieumau_new_values "
                f"(id bigint PRIMARY KEY, value {value_type}) ON COMMIT DROP"
            )
            _copy(cursor, "COPY kieumau_new_values (id, value) FROM STDIN", changes)
            cursor.execute(
                f"UPDATE {table} AS t SET value = v.value, entered_by_id = %s, entered_at = %s, "
                "revision = t.revision + 1 FROM kieumau_new_values AS v WHERE t.id = v.id",
                [actor_id, now],
            )
            cursor.execute("DROP TABLE kieumau_new_values")
            return
        field = model._meta.get_field("value")
        when = ops.adapt_datetimefield_value(now)
        sql = (
            f"UPDATE {table} SET value = %s, entered_by_id = %s, entered_at = %s, "
            f"revision = revision + 1 WHERE id = %s"
        )
        cursor.executemany(
            sql,
            [
                (
                    None
                    if value is None
                    else ops.adapt_decimalfield_value(
                        value, field.max_digits, field.decimal_places
                    ),
                    actor_id,
                    when,
                    pk,
                )
                for pk, value in changes
            ],
        )


def _copy(cursor, statement: str, rows) -> None:
    with cursor.cursor.copy(statement) as copy:  # the psycopg cursor under Django's wrapper
        for row in rows:
            copy.write_row(row)


def _adapters(fields):
    """adapt(index, value) as the field at `index` would adapt it for SQLite, memoised."""
    ops = connection.ops
    by_index = []
    for field in fields:
        kind = field.get_internal_type()
        if kind == "DecimalField":
            by_index.append(
                lambda v, f=field: ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places)
            )
        elif kind == "DateField":
            by_index.append(ops.adapt_datefield_value)
        elif kind == "DateTimeField":
            by_index.append(ops.adapt_datetimefield_value)
        else:
            by_index.append(None)
    cache: dict[tuple[int, object], object] = {}

    def adapt(index: int, value):
        function = by_index[index]
        if function is None or value is None:
            return value
        key = (index, value)
        if key not in cache:
            cache[key] = function(value)
        return cache[key]

    return adapt


def add_to_totals(model, deltas: list[tuple[tuple[int, int, dt.date], Decimal]]) -> None:
    """Add each ((unit_id, indicator_id, month), delta) to its row of `model` (a `MonthlyTotal`),
    creating the row when there is none: INSERT … ON CONFLICT DO UPDATE, which both databases
    apply atomically per row, in the order given."""
    if not deltas:
        return
    names = ["unit_id", "indicator_id", "month", "total"]
    fields = [model._meta.get_field(name.removesuffix("_id")) for name in names]
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    key = ", ".join(ops.quote_name(field.column) for field in fields[:3])
    total = ops.quote_name(fields[3].column)
    adapt = _adapters(fields) if connection.vendor == "sqlite" else (lambda _index, value: value)
    one = "(%s, %s, %s, %s)"
    with connection.cursor() as cursor:
        for start in range(0, len(deltas), SQLITE_ROWS):
            chunk = deltas[start : start + SQLITE_ROWS]
            params = [
                adapt(index, value)
                for (unit_id, indicator_id, month), delta in chunk
                for index, value in enumerate((unit_id, indicator_id, month, delta))
            ]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))} "
                f"ON CONFLICT ({key}) DO UPDATE SET {total} = {table}.{total} + excluded.{total}",
                params,
            )


def refresh_statistics(model) -> None:
    """After a big write, let SQLite's planner know the table grew, so that periods are read off
    the covering index (a sampled ANALYZE takes milliseconds). PostgreSQL's autovacuum does this
    by itself."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
