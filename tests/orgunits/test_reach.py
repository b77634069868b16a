"""Reach follows partial lineage only to the units that really went there (issue 6, hole 4).

Old Tiền Giang is recorded as a *partial* predecessor of both Tây Ninh and Đồng Tháp, but every
one of its wards went to Đồng Tháp: a Tây Ninh officer must reach none of its 176 old units.
"""

import pytest

from kieumau.accounts import scope
from kieumau.accounts.models import Role
from kieumau.accounts.services import create_user
from kieumau.orgunits.models import Reach
from kieumau.orgunits.reach import ReachGraph
from tests.conftest import BEFORE_MERGER, unit

# --- the pure closure, on a small tree -------------------------------------------------------
# 1 ministry; 2 old province with old district 3 and old wards 4, 5 under it; 6, 7 new provinces
# with new wards 8 (in 6) and 9 (in 7). Old province 2 "partly" went to 6 and 7; ward 4 went
# wholly to 9, ward 5 split between 8 and 9.

LEVELS = {1: "ministry", 2: "province", 3: "district", 4: "commune", 5: "commune",
          6: "province", 7: "province", 8: "commune", 9: "commune"}
PLACEMENTS = [(2, 1), (3, 2), (4, 3), (5, 3), (6, 1), (7, 1), (8, 6), (9, 7)]


def graph(lineage):
    return ReachGraph(levels=LEVELS, placements=PLACEMENTS, lineage=lineage)


def test_a_ward_that_went_wholly_to_one_province_is_not_reached_by_the_other():
    g = graph([(2, 6, True), (2, 7, True), (4, 9, False)])
    assert g.reach(4) == {4, 3, 2, 1, 9, 7}


def test_a_split_ward_is_reached_by_each_new_ward_it_became_part_of():
    g = graph([(5, 8, True), (5, 9, True)])
    assert g.reach(5) == {5, 3, 2, 1, 8, 6, 9, 7}


def test_an_old_province_reaches_only_where_its_wards_went():
    g = graph([(2, 6, True), (2, 7, True), (4, 9, False)])
    assert 7 in g.reach(2) and 7 in g.reach(3)
    assert 6 not in g.reach(2) and 6 not in g.reach(3)


def test_whole_lineage_passes_down_to_everything_under_it():
    g = graph([(2, 7, False)])
    assert {7, 1} <= g.reach(4) and {7, 1} <= g.reach(3)
    assert 6 not in g.reach(4)


def test_a_cycle_in_bad_data_does_not_loop():
    g = ReachGraph(levels={1: "commune", 2: "commune"}, placements=[],
                   lineage=[(1, 2, False), (2, 1, False)])
    assert 1 in g.reach(1) and 2 in g.reach(1)


# --- the real tree ---------------------------------------------------------------------------

OLD_TIEN_GIANG = ("82", BEFORE_MERGER)
OLD_PHUONG_5 = ("28249", BEFORE_MERGER)  # Phường 5 (Mỹ Tho), now part of phường Đạo Thạnh, Đồng Tháp


def officer(username, code, role=Role.PROVINCE_OFFICER):
    return create_user(username=username, password="secret-pass-123", role=role,
                       home_unit=unit(code))


@pytest.fixture
def tay_ninh(db):
    return officer("tayninh", "80")


@pytest.fixture
def dong_thap(db):
    return officer("dongthap", "82")


def old_tien_giang_units():
    return Reach.objects.filter(ancestor=unit(*OLD_TIEN_GIANG)).values("unit_id")


def test_a_tay_ninh_officer_does_not_reach_an_old_tien_giang_ward(tay_ninh):
    ward = unit(*OLD_PHUONG_5)
    assert not scope.can_see_unit(tay_ninh, ward)
    with pytest.raises(scope.NotVisible):
        scope.require_write(tay_ninh, ward)


def test_a_dong_thap_officer_reaches_it(dong_thap):
    assert scope.can_see_unit(dong_thap, unit(*OLD_PHUONG_5))


def test_a_tay_ninh_officer_reaches_none_of_old_tien_giangs_176_units(tay_ninh):
    assert old_tien_giang_units().count() == 176
    assert not scope.visible_units(tay_ninh).filter(pk__in=old_tien_giang_units()).exists()


def test_a_dong_thap_officer_reaches_all_of_them(dong_thap):
    assert scope.visible_units(dong_thap).filter(pk__in=old_tien_giang_units()).count() == 176


def test_a_split_ward_is_reached_by_the_officers_of_both_new_wards(db):
    # Old phường Ngọc Hà (00016) split between today's Ba Đình (00004) and Ngọc Hà (00008).
    old = unit("00016", BEFORE_MERGER)
    ba_dinh = officer("badinh", "00004", Role.COMMUNE_OFFICER)
    ngoc_ha = officer("ngocha", "00008", Role.COMMUNE_OFFICER)
    elsewhere = officer("thaihoa2", "16939", Role.COMMUNE_OFFICER)
    assert scope.can_see_unit(ba_dinh, old)
    assert scope.can_see_unit(ngoc_ha, old)
    assert not scope.can_see_unit(elsewhere, old)


def test_thai_hoa_still_reaches_the_three_wards_it_was_made_of(users):
    for code in ("16939", "16993", "17003"):
        assert scope.can_see_unit(users.thaihoa, unit(code, BEFORE_MERGER))


def test_thai_nguyen_still_reaches_every_old_bac_kan_unit(users):
    old_bac_kan = Reach.objects.filter(ancestor=unit("06", BEFORE_MERGER)).values("unit_id")
    assert old_bac_kan.count() > 100
    visible = scope.visible_units(users.thainguyen).filter(pk__in=old_bac_kan).count()
    assert visible == old_bac_kan.count()


def test_a_registered_unit_gets_the_reach_a_full_rebuild_would_give_it(users):
    import datetime as dt

    from kieumau.orgunits.models import Lineage, OrgUnit, Placement
    from kieumau.orgunits.services import register_local_unit

    def reach_of(local):
        return set(Reach.objects.filter(unit=local).values_list("ancestor_id", flat=True))

    school = register_local_unit(actor=users.ministry, parent=unit("00016", BEFORE_MERGER),
                                 name="Trường cũ", kind="truong_hoc", valid_from=dt.date(2025, 1, 1))
    area = register_local_unit(actor=users.thaihoa, parent=unit("16939"), name="Khối 9",
                               kind="khu_dan_cu", valid_from=dt.date(2025, 8, 1))
    registered = {school.pk: reach_of(school), area.pk: reach_of(area)}
    rebuilt = ReachGraph(  # what loader.rebuild_reach would write, without the 10 s rewrite
        levels=dict(OrgUnit.objects.values_list("pk", "level")),
        placements=Placement.objects.exclude(parent=None).values_list("unit_id", "parent_id"),
        lineage=Lineage.objects.values_list("predecessor_id", "successor_id", "partial"),
    )
    assert registered == {school.pk: rebuilt.reach(school.pk), area.pk: rebuilt.reach(area.pk)}
    # Under a split ward: what sat under it went to one new ward or the other, unknown which.
    assert unit("00004").pk not in registered[school.pk]
    assert users.thaihoa.home_unit_id in registered[area.pk]


def test_the_visible_join_selects_what_the_visible_set_holds(users):
    """`scope.visible` (a join to Reach, for rows already narrowed), `visible_sql` (the same for
    a hand-written query) and `visible_unit_ids` (the whole set) are three spellings of one
    scope: the same units for every role, none signed out or for a deactivated account."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from kieumau.orgunits.models import OrgUnit, Placement

    deactivated = create_user(username="gone", password="secret-pass-123",
                              role=Role.PROVINCE_OFFICER, home_unit=unit("40"))
    deactivated.is_active = False
    table = connection.ops.quote_name(OrgUnit._meta.db_table)
    for user in (users.ministry, users.nghean, users.thainguyen, users.thaihoa, AnonymousUser(),
                 deactivated):
        whole = set(OrgUnit.objects.filter(pk__in=scope.visible_unit_ids(user))
                    .values_list("pk", flat=True))
        joined = list(OrgUnit.objects.filter(scope.visible(user, "")).values_list("pk", flat=True))
        placed = set(Placement.objects.filter(scope.visible(user, "unit"))
                     .values_list("unit_id", flat=True))
        condition, params = scope.visible_sql(user, "u.id")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT u.id FROM {table} u WHERE {condition}", params)
            written = [pk for (pk,) in cursor.fetchall()]
        assert sorted(joined) == sorted(whole)  # and no unit twice
        assert sorted(written) == sorted(whole)
        assert placed == whole & set(Placement.objects.values_list("unit_id", flat=True))
        assert (len(whole) > 0) == (user.is_authenticated and user.is_active)
