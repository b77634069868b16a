"""Builders for inspection tests: Nghệ An's team visits Thái Hòa's old wards on 19/04/2023."""

import datetime as dt

import pytest

from tests.conftest import unit

VISIT_DAY = dt.date(2023, 4, 19)


def make_inspection(users, *, actor=None, owner="40", day=VISIT_DAY, plan=None):
    from kieumau.inspections.services import create_inspection

    return create_inspection(actor=actor or users.inspector, owner_unit=unit(owner, day),
                             title="Kiểm tra xây dựng Công an phường kiểu mẫu", date=day,
                             plan=plan)


@pytest.fixture
def inspection(users):
    from kieumau.inspections.services import add_finding, add_member, add_visit

    made = make_inspection(users)
    add_member(actor=users.inspector, inspection=made, name="Lê Văn C", position="Trưởng phòng",
               role="Trưởng đoàn")
    visit = add_visit(actor=users.inspector, inspection=made, unit=unit("16939", VISIT_DAY),
                      difficulties="Trụ sở xuống cấp, thiếu kinh phí sửa chữa.")
    add_finding(actor=users.inspector, visit=visit, kind="shortcoming",
                text="Trụ sở chưa đạt chuẩn", criterion_code="TC 4")
    return made


def recommend(users, inspection, *, code="16939", due=dt.date(2023, 6, 30), day=VISIT_DAY,
              actor=None):
    from kieumau.inspections.services import add_recommendation

    return add_recommendation(actor=actor or users.inspector, inspection=inspection,
                              unit=unit(code, day), text="Sửa chữa trụ sở", due_on=due)
