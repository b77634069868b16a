import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kieumau.accounts import scope
from kieumau.core.models import AuditEvent
from kieumau.orgunits import tree
from kieumau.orgunits.models import OrgUnit, Reach
from kieumau.orgunits.services import BadLocalUnit, register_local_unit
from tests.conftest import BEFORE_MERGER, unit

FROM = dt.date(2025, 8, 1)


def test_commune_registers_a_residential_area_under_it(users):
    thai_hoa = unit("16939")
    area = register_local_unit(
        actor=users.thaihoa, parent=thai_hoa, name="Khối 1", kind="khu_dan_cu", valid_from=FROM
    )
    assert area.level == "grassroots" and area.source == "local"
    assert area.code == "16939-001"
    children = tree.children(units=OrgUnit.objects.all(), parent=thai_hoa, day=dt.date(2026, 1, 1))
    assert list(children) == [area]
    assert tree.parent_on(area, dt.date(2026, 1, 1)) == thai_hoa


def test_registered_unit_is_in_the_scope_of_the_commune_and_province(users):
    area = register_local_unit(
        actor=users.thaihoa,
        parent=unit("16939"),
        name="Trường THCS",
        kind="truong_hoc",
        valid_from=FROM,
    )
    assert scope.can_see_unit(users.thaihoa, area)
    assert scope.can_see_unit(users.nghean, area)
    assert not scope.can_see_unit(users.thainguyen, area)
    assert Reach.objects.filter(unit=area, ancestor=area).exists()


def test_codes_are_numbered_per_commune(users):
    parent = unit("16939")
    first = register_local_unit(
        actor=users.thaihoa, parent=parent, name="Khối 1", kind="khu_dan_cu", valid_from=FROM
    )
    second = register_local_unit(
        actor=users.thaihoa, parent=parent, name="Khối 2", kind="khu_dan_cu", valid_from=FROM
    )
    assert (first.code, second.code) == ("16939-001", "16939-002")


def test_old_commune_unit_follows_its_parents_placements(users):
    old_duc_xuan = unit("01840", BEFORE_MERGER)
    area = register_local_unit(
        actor=users.ministry,
        parent=old_duc_xuan,
        name="Tổ 1",
        kind="khu_dan_cu",
        valid_from=dt.date(2022, 1, 1),
    )
    assert area.valid_to == old_duc_xuan.valid_to
    for day in (dt.date(2022, 6, 1), dt.date(2025, 4, 1)):
        assert tree.parent_on(area, day) == old_duc_xuan
        above = tree.ancestors(area, day)
        assert above[-1] == old_duc_xuan


def test_registration_is_audited(users):
    area = register_local_unit(
        actor=users.thaihoa,
        parent=unit("16939"),
        name="Công ty A",
        kind="doanh_nghiep",
        valid_from=FROM,
    )
    event = AuditEvent.objects.get(action="orgunit.register_local")
    assert event.object_id == str(area.pk) and event.actor == users.thaihoa


def test_outsider_cannot_register_under_a_commune(users):
    with pytest.raises(scope.NotVisible):
        register_local_unit(
            actor=users.thainguyen,
            parent=unit("16939"),
            name="Khối 1",
            kind="khu_dan_cu",
            valid_from=FROM,
        )


def test_read_only_role_cannot_register(users):
    with pytest.raises(PermissionDenied):
        register_local_unit(
            actor=users.inspector,
            parent=unit("16939"),
            name="Khối 1",
            kind="khu_dan_cu",
            valid_from=FROM,
        )


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("name", {"name": "  "}),
        ("kind", {"kind": "phuong"}),
        ("valid_from", {"valid_from": dt.date(2020, 1, 1)}),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing(users, field, kwargs):
    before = OrgUnit.objects.count()
    arguments = {"name": "Khối 1", "kind": "khu_dan_cu", "valid_from": FROM, **kwargs}
    with pytest.raises(BadLocalUnit) as error:
        register_local_unit(actor=users.thaihoa, parent=unit("16939"), **arguments)
    assert error.value.field == field
    assert OrgUnit.objects.count() == before


def test_only_a_commune_registers_grassroots_units(users):
    with pytest.raises(BadLocalUnit) as error:
        register_local_unit(
            actor=users.nghean, parent=unit("40"), name="Khối 1", kind="khu_dan_cu", valid_from=FROM
        )
    assert error.value.field == "parent"
