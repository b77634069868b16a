"""`id_set`: a list of ids as one parameter, the same rows as `__in=[...]` on both databases;
`run_writes`: writes that travel together and say which did their work."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kieumau.core.sql import Write, id_set, run_writes
from kieumau.orgunits.models import OrgUnit


@pytest.fixture
def units(db):
    return [OrgUnit.objects.create(code=f"T{n}", name=f"Đơn vị {n}", level="commune", kind="xa")
            for n in range(5)]


@pytest.mark.parametrize("picked", [[], [0], [1, 3], [0, 1, 2, 3, 4]])
def test_it_finds_exactly_the_ids_given(units, picked):
    ids = [units[n].pk for n in picked]
    found = set(OrgUnit.objects.filter(pk__in=id_set(ids)).values_list("pk", flat=True))
    assert found == set(ids) == set(OrgUnit.objects.filter(pk__in=ids)
                                    .values_list("pk", flat=True))


def test_thousands_of_ids_are_one_parameter(units):
    ids = [units[0].pk, *range(10**9, 10**9 + 5000)]
    chosen = OrgUnit.objects.filter(pk__in=id_set(ids)).values_list("pk", flat=True)
    _sql, params = chosen.query.sql_with_params()
    assert len(params) == 1
    assert list(chosen) == [units[0].pk]
    _sql, params = OrgUnit.objects.filter(pk__in=ids).query.sql_with_params()
    assert len(params) == 5001  # what id_set saves


def test_only_integers_pass(units):
    before = OrgUnit.objects.count()
    with pytest.raises(ValueError):
        id_set(["1; DROP TABLE orgunits_orgunit"])
    assert OrgUnit.objects.count() == before


def _writes(units):
    table = connection.ops.quote_name(OrgUnit._meta.db_table)
    insert = (f'INSERT INTO {table} ("code", "name", "name_folded", "level", "kind", "source") '
              "VALUES (%s, %s, %s, 'commune', 'xa', 'package') RETURNING 1")
    update = f'UPDATE {table} SET "name" = %s WHERE "code" = %s RETURNING 1'
    return insert, update


def test_writes_say_which_did_their_work(units):
    insert, update = _writes(units)
    done = run_writes([Write(insert, ["W1", "Một", "mot"]),
                       Write(update, ["Đổi", "T0"]),
                       Write(update, ["Không ai", "không có mã này"])])
    assert done == [True, True, False]
    assert OrgUnit.objects.get(code="T0").name == "Đổi"
    assert OrgUnit.objects.filter(code="W1").exists()


def test_on_sqlite_writes_stop_at_the_first_that_did_nothing(units):
    insert, update = _writes(units)
    done = run_writes([Write(update, ["Không ai", "không có mã này"]),
                       Write(insert, ["W2", "Hai", "hai"])])
    assert done == [False, False] if connection.vendor == "sqlite" else [False, True]
    assert OrgUnit.objects.filter(code="W2").exists() == (connection.vendor == "postgresql")


def test_writes_on_postgresql_are_one_statement(units):
    insert, update = _writes(units)
    with CaptureQueriesContext(connection) as queries:
        run_writes([Write(insert, ["W3", "Ba", "ba"]), Write(update, ["Đổi", "T1"])])
    assert len(queries.captured_queries) == (1 if connection.vendor == "postgresql" else 2)
