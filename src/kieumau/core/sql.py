"""Small SQL helpers the ORM lacks, written once for both databases."""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models.expressions import RawSQL


def id_set(ids: Iterable[int]) -> RawSQL:
    """Ids already found (in scope) as one query parameter, for `field__in=id_set(ids)`.

    `field__in=[...]` with thousands of ids makes Django prepare, and the driver quote, each id
    (a national dashboard reads 3,321 communes: tens of milliseconds before the database sees
    the query), and PostgreSQL then plans a list of thousands of constants. Here the list
    travels as one value: an array that PostgreSQL unnests, or a JSON text that SQLite's
    json_each reads."""
    return RawSQL(*id_set_sql(ids))


def id_set_sql(ids: Iterable[int]) -> tuple[str, list]:
    """`id_set` for a hand-written query: `column IN ({sql})` with its one parameter."""
    values = [int(value) for value in ids]
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])", [values]
    return "SELECT value FROM json_each(%s)", [json.dumps(values)]


AFTER = "{after}"  # in a Write's SQL: "the write before this one did its work"


@dataclass(frozen=True, slots=True)
class Write:
    """One `INSERT … SELECT … WHERE … {AFTER} …` (or `UPDATE … WHERE … {AFTER}`) ending in
    `RETURNING 1`: it returns a row when it did its work (an `ON CONFLICT DO NOTHING` that
    skipped, or a `DO UPDATE … WHERE` whose condition failed, returns none). `AFTER` marks where
    the chain puts its condition."""

    sql: str
    params: list

    def __post_init__(self) -> None:
        if AFTER not in self.sql:  # it would run whatever came before it, on PostgreSQL only
            raise ValueError(f"a Write needs {AFTER} in its condition: {self.sql[:80]}")


def run_chain(writes: list[Write]) -> int:
    """Run `writes` in order, each only if the one before it did its work, all or none of those
    done committed together; the number done (they are the first ones of the list).

    On PostgreSQL they travel as ONE statement, each a data-modifying WITH clause whose
    condition reads the clause before: a hot path pays one round trip and, outside a
    transaction, no BEGIN and no COMMIT (a statement is atomic on its own). On SQLite, which
    has no round trips, they run in turn in a transaction and stop at the first that does
    nothing. The writes done stay done: callers order them so that stopping anywhere leaves
    nothing half-made (a budget spent, say, but no answer)."""
    if not writes:
        return 0
    if connection.vendor == "postgresql":
        clauses = ", ".join(
            f"w{n} AS ({write.sql.replace(AFTER, _done(n - 1) if n else '1 = 1')})"
            for n, write in enumerate(writes)
        )
        found = ", ".join(_done(n) for n in range(len(writes)))
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {clauses} SELECT {found}",
                           [param for write in writes for param in write.params])
            return sum(cursor.fetchone())  # a clause whose predecessor did nothing did nothing
    with transaction.atomic(), connection.cursor() as cursor:
        for done, write in enumerate(writes):
            cursor.execute(write.sql.replace(AFTER, "1 = 1"), write.params)
            if cursor.fetchone() is None:
                return done
    return len(writes)


def _done(n: int) -> str:
    return f"EXISTS (SELECT 1 FROM w{n})"
