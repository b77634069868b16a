"""`id_set`: a list of ids as one parameter, the same rows as `__in=[...]` on both databases."""

import pytest

from kieumau.core.sql import id_set
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
    with pytest.raises(ValueError):
        id_set(["1; DROP TABLE orgunits_orgunit"])
    assert OrgUnit.objects.count() == len(units)
