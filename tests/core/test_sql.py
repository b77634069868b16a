"""`id_set`: a list of ids as one parameter, the same rows as `__in=[...]` on both databases;
`run_chain`: writes that travel together, each only if the one before did its work."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from kieumau.core.sql import AFTER, Write, id_set, run_chain
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


def _writes():
    table = connection.ops.quote_name(OrgUnit._meta.db_table)
    insert = (f'INSERT INTO {table} ("code", "name", "name_folded", "level", "kind", "source") '
              f"SELECT %s, %s, %s, 'commune', 'xa', 'package' WHERE {AFTER} RETURNING 1")
    update = f'UPDATE {table} SET "name" = %s WHERE "code" = %s AND {AFTER} RETURNING 1'
    return insert, update


def test_a_chain_runs_every_write_while_each_does_its_work(units):
    insert, update = _writes()
    done = run_chain([Write(insert, ["W1", "Một", "mot"]), Write(update, ["Đổi", "T0"])])
    assert done == 2
    assert OrgUnit.objects.get(code="T0").name == "Đổi"
    assert OrgUnit.objects.filter(code="W1").exists()


@pytest.mark.parametrize("stopper", [0, 1, 2])
def test_a_chain_stops_at_the_first_write_that_did_nothing(units, stopper):
    """Every write after the one that did nothing is skipped, on both databases; those before
    it stay done."""
    insert, update = _writes()
    writes = [Write(insert, [f"W{n}", "Mới", "moi"]) for n in range(3)]
    writes[stopper] = Write(update, ["Không ai", "không có mã này"])
    assert run_chain(writes) == stopper
    made = set(OrgUnit.objects.filter(code__startswith="W").values_list("code", flat=True))
    assert made == {f"W{n}" for n in range(stopper)}


def test_a_failing_write_undoes_the_chain(units):
    insert, update = _writes()
    with pytest.raises(IntegrityError), transaction.atomic():
        run_chain([Write(update, ["Đổi", "T1"]), Write(insert, ["T2", "Trùng mã", "trung"])])
    assert OrgUnit.objects.get(code="T1").name == "Đơn vị 1"


def test_a_chain_on_postgresql_is_one_statement(units):
    insert, update = _writes()
    with CaptureQueriesContext(connection) as queries:
        run_chain([Write(insert, ["W3", "Ba", "ba"]), Write(update, ["Đổi", "T1"])])
    statements = [q["sql"] for q in queries.captured_queries
                  if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN"))]
    assert len(statements) == (1 if connection.vendor == "postgresql" else 2)


def test_a_write_without_the_chain_condition_is_refused():
    with pytest.raises(ValueError, match="{after}"):
        Write("UPDATE t SET x = 1 RETURNING 1", [])
