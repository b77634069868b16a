"""Small SQL helpers the ORM lacks, written once for both databases."""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL


def id_set(ids: Iterable[int]) -> RawSQL:
    """Ids already found (in scope) as one query parameter, for `field__in=id_set(ids)`.

    `field__in=[...]` with thousands of ids makes Django prepare, and the driver quote, each id
    (a national dashboard reads 3,321 communes: tens of milliseconds before the database sees
    the query), and PostgreSQL then plans a list of thousands of constants. Here the list
    travels as one value: an array that PostgreSQL unnests, or a JSON text that SQLite's
    json_each reads."""
    values = [int(value) for value in ids]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [values])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])


@dataclass(frozen=True, slots=True)
class Write:
    """One INSERT (or upsert) ending in `RETURNING 1`: it returns a row when it did its work
    (an `ON CONFLICT DO NOTHING` that skipped, or a `DO UPDATE … WHERE` whose condition failed,
    returns none)."""

    sql: str
    params: list


def run_writes(writes: list[Write]) -> list[bool]:
    """Run `writes` and say, for each, whether it returned a row.

    On PostgreSQL they travel as ONE statement (each a data-modifying WITH clause), so a hot
    path pays one round trip instead of one per write; they all run, whatever the others found.
    On SQLite, which has no round trips, they run one after another and stop at the first that
    returns nothing (the rest count as not done). Either way the caller runs this inside a
    transaction and raises on any False to undo them all."""
    if not writes:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            clauses = ", ".join(f"w{n} AS ({write.sql})" for n, write in enumerate(writes))
            found = ", ".join(f"EXISTS (SELECT 1 FROM w{n})" for n in range(len(writes)))
            cursor.execute(f"WITH {clauses} SELECT {found}",
                           [param for write in writes for param in write.params])
            return list(cursor.fetchone())
        done = []
        for write in writes:
            cursor.execute(write.sql, write.params)
            done.append(cursor.fetchone() is not None)
            if not done[-1]:
                return done + [False] * (len(writes) - len(done))
        return done
