import datetime as dt

from kieumau.orgunits import tree
from kieumau.orgunits.models import OrgUnit
from tests.conftest import BEFORE_MERGER, unit


def count_on(day, level):
    return tree.units_on(units=OrgUnit.objects.filter(level=level), day=day).count()


def test_63_provinces_until_merger_and_34_after(db):
    assert count_on(dt.date(2025, 6, 30), "province") == 63
    assert count_on(dt.date(2025, 7, 1), "province") == 34


def test_districts_end_on_1_march_2025(db):
    assert count_on(dt.date(2025, 2, 28), "district") == 696
    assert count_on(dt.date(2025, 3, 1), "district") == 0


def test_communes_before_and_after(db):
    assert count_on(BEFORE_MERGER, "commune") == 10051
    assert count_on(dt.date(2025, 7, 1), "commune") == 3321


def test_old_commune_reports_to_province_between_march_and_july(db):
    duc_xuan = unit("01840", BEFORE_MERGER)
    assert tree.parent_on(duc_xuan, dt.date(2025, 2, 1)).code == "058"
    assert tree.parent_on(duc_xuan, dt.date(2025, 4, 1)).code == "06"


def test_code_names_a_unit_only_with_a_date(db):
    old = unit("24", BEFORE_MERGER)
    new = unit("24", dt.date(2025, 7, 1))
    assert old.name == "Tỉnh Bắc Giang"
    assert new.name.endswith("Bắc Ninh")  # a city since 2026 in the package data


def test_tran_phu_succeeded_by_phuong_bac_giang(db):
    tran_phu = unit("07213", BEFORE_MERGER)
    successors = [row.successor for row in tree.successors(tran_phu)]
    assert [(s.code, s.name) for s in successors] == [("07210", "Phường Bắc Giang")]


def test_split_ward_has_several_successors(db):
    dien_bien = unit("00019", BEFORE_MERGER)
    rows = list(tree.successors(dien_bien))
    assert len(rows) == 4
    assert all(row.change == "split" and row.partial for row in rows)


def test_thai_hoa_came_from_three_wards(db):
    thai_hoa = unit("16939")
    names = sorted(row.predecessor.name for row in tree.predecessors(thai_hoa))
    assert names == ["Phường Hoà Hiếu", "Phường Long Sơn", "Phường Quang Phong"]


def test_unchanged_province_is_one_unit_across_2025(db):
    nghe_an_before = unit("40", BEFORE_MERGER)
    assert nghe_an_before == unit("40")
    assert nghe_an_before.valid_to is None


def test_ancestors_of_a_commune(db, django_assert_max_num_queries):
    thai_hoa = unit("16939")
    with django_assert_max_num_queries(2):
        chain = tree.ancestors(thai_hoa, dt.date(2026, 1, 1))
    assert [a.code for a in chain] == ["BCA", "40"]


def test_communes_of_a_province_in_one_query(db, django_assert_num_queries):
    nghe_an = unit("40")
    placement_query_and_list = 2
    with django_assert_num_queries(placement_query_and_list):
        communes = list(tree.descendants(units=OrgUnit.objects.all(), root=nghe_an,
                                         day=dt.date(2026, 1, 1), level="commune"))
    assert len(communes) == 130
    assert all(c.level == "commune" for c in communes)


def test_lineage_roots_include_merged_wards(db):
    roots = {u.name for u in tree.lineage_roots(unit("01840"))}
    assert {"Phường Đức Xuân", "Phường Nguyễn Thị Minh Khai", "Phường Huyền Tụng"} <= roots


def test_unknown_code_raises(db):
    try:
        unit("99999")
    except tree.UnitNotFound as missing:
        assert missing.code == "99999"
    else:
        raise AssertionError("expected UnitNotFound")
