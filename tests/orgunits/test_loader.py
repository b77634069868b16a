from kieumau.orgunits.loader import is_loaded, load_tree
from kieumau.orgunits.models import Lineage, OrgUnit, Placement, Reach
from kieumau.orgunits.plan import build_plan


def counts():
    return [model.objects.count() for model in (OrgUnit, Placement, Lineage, Reach)]


def test_reloading_the_tree_changes_nothing(db):
    before = counts()
    ids_before = set(OrgUnit.objects.values_list("pk", flat=True))
    load_tree(plan=build_plan())
    assert counts() == before
    assert set(OrgUnit.objects.values_list("pk", flat=True)) == ids_before


def test_is_loaded_knows_a_loaded_tree(db):
    plan = build_plan()
    assert is_loaded(plan)
    OrgUnit.objects.filter(code="01840").delete()
    assert not is_loaded(plan)
