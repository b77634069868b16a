"""Demo programmes and plans, loaded by `kieumau demo` after the tree, accounts and criteria sets.
Everything goes through the services. Facts from the sources are kept as they are; what is not
in the sources (most plan numbers other than 340, dates of steps, names of committee members and
of awarded individuals, which year the 750 million went to) carries a `demo_note` saying so.

- Bắc Giang (old province): plan 340/KH-CAT-XDPTBVANTQ of 05/11/2021, pilots xã Hợp Đức (huyện
  Tân Yên), thị trấn Đồi Ngô (huyện Lục Nam), phường Trần Phú (TP Bắc Giang), 11/2021–10/2022;
  750.000.000 đ; Giấy khen to 15 collectives and 16 individuals.
- Nghệ An: a 2023 plan for 16 wards, among them the four wards of thị xã Thái Hòa (04/04
  resolutions and plans), target 16 in 2023.
- Bắc Kạn (old province): phường Đức Xuân (2023), Xuất Hóa and Sông Cầu targeted for 2024.

Idempotent: a plan whose number is already there is left alone.
"""

import datetime as dt

from kieumau.accounts.models import User
from kieumau.orgunits import tree
from kieumau.orgunits.models import OrgUnit
from kieumau.programs import services
from kieumau.programs.models import Plan

DEMO = "Dữ liệu demo (không có trong nguồn)"
BEFORE_MERGER = dt.date(2025, 6, 30)

BAC_GIANG_PLAN = "340/KH-CAT-XDPTBVANTQ"
BAC_GIANG_DAY = dt.date(2021, 11, 5)
BAC_GIANG_PILOTS = ("07330", "07444", "07213")  # Hợp Đức, Đồi Ngô, Trần Phú

NGHE_AN_PLAN = "156/KH-CAT-PV05"  # demo number
NGHE_AN_DAY = dt.date(2023, 2, 20)
THAI_HOA_WARDS = ("16939", "16993", "17003", "16994")  # Hòa Hiếu, Quang Phong, Long Sơn, Quang Tiến
VINH_WARDS = ("16663", "16666", "16669", "16670", "16672", "16673", "16675", "16678", "16681",
              "16690", "16693", "16699")  # twelve wards of TP Vinh (demo choice)

BAC_KAN_PLAN = "25/KH-CAT-PV05"  # demo number
BAC_KAN_DAY = dt.date(2023, 2, 15)


def _unit(code: str, day: dt.date) -> OrgUnit:
    return tree.unit_by_code(units=OrgUnit.objects.all(), code=code, as_of=day)


def _ministry() -> User:
    return User.objects.get(username="demo-bo")


def _program(*, actor, owner: OrgUnit, name: str, codes: list[str], note: str = ""):
    from kieumau.criteria.models import CriteriaSet
    from kieumau.programs.models import Program

    found = Program.objects.filter(owner_unit=owner, name=name).first()
    if found is not None:
        return found
    known = [c for c in codes if CriteriaSet.objects.filter(code=c).exists()]
    return services.create_program(actor=actor, owner_unit=owner, name=name, set_codes=known,
                                   demo_note=note)


def _exists(number: str, issuing: OrgUnit) -> bool:
    return Plan.objects.filter(number=number, issuing_unit=issuing).exists()


def load_bac_giang(*, stdout) -> None:
    actor = _ministry()
    province = _unit("24", BAC_GIANG_DAY)
    if _exists(BAC_GIANG_PLAN, province):
        return
    program = _program(
        actor=actor, owner=province, codes=["bac-giang-tan-tuy"],
        name="Công an xã, phường, thị trấn tận tụy, gắn bó, thân thiện, vì Nhân dân phục vụ")
    plan = services.create_plan(
        actor=actor, program=program, number=BAC_GIANG_PLAN, date=BAC_GIANG_DAY,
        issuing_unit=province, period_start=dt.date(2021, 11, 1),
        period_end=dt.date(2022, 10, 31),
        title="Xây dựng mô hình điểm Công an xã, phường, thị trấn tận tụy, gắn bó, thân thiện, "
              "vì Nhân dân phục vụ",
        aims="Thí điểm tại 03 đơn vị (11/2021–10/2022), sơ kết và nhân rộng từ năm 2023.",
    )
    for code in BAC_GIANG_PILOTS:
        enrolment = services.enrol_unit(actor=actor, plan=plan, unit=_unit(code, BAC_GIANG_DAY),
                                        target_year=2022, stage="pilot")
        for step, day in (("party_resolution", dt.date(2021, 11, 20)),
                          ("committee_plan", dt.date(2021, 11, 25))):
            services.record_step(actor=actor, enrolment=enrolment, step=step, done_on=day,
                                 document_number="")
    services.set_target(actor=actor, plan=plan, year=2022, kind="count", value=3)
    committee = services.add_committee(actor=actor, plan=plan, kind="steering",
                                       name="Ban chỉ đạo xây dựng mô hình điểm (demo)")
    for name, position, role in (
            ("Nguyễn Văn An (demo)", "Phó Giám đốc Công an tỉnh", "Trưởng ban"),
            ("Trần Thị Bình (demo)", "Trưởng phòng PV05", "Phó trưởng ban"),
            ("Lê Văn Cường (demo)", "Trưởng Công an huyện Tân Yên", "Thành viên")):
        services.add_member(actor=actor, committee=committee, name=name, position=position,
                            role=role)
    services.add_budget_line(
        actor=actor, plan=plan, year=2022, amount=750_000_000,
        purpose="Hỗ trợ 16/16 phường của TP Bắc Giang xây dựng mô hình",
        demo_note="Nguồn nêu 750 triệu đồng hỗ trợ 16/16 phường TP Bắc Giang; năm và việc ghi "
                  "vào kế hoạch 340 là giả định demo.")
    wards = [u for u in tree.children(units=OrgUnit.objects.all(),
                                      parent=_unit("213", BAC_GIANG_DAY), day=BAC_GIANG_DAY)]
    collectives = [_unit(c, BAC_GIANG_DAY).police_name for c in BAC_GIANG_PILOTS[:2]]
    collectives += [w.police_name for w in wards][: 15 - len(collectives)]
    collectives += [f"Tập thể số {n} (demo)" for n in range(len(collectives) + 1, 16)]
    recipients = [("collective", name) for name in collectives]
    recipients += [("individual", f"Cá nhân số {n} (demo)") for n in range(1, 17)]
    for kind, recipient in recipients:
        services.add_award(actor=actor, plan=plan, kind=kind, title="giay_khen",
                           recipient=recipient, decision_number="1568/QĐ-CAT",
                           decision_date=dt.date(2022, 11, 25),
                           issuing_body="Giám đốc Công an tỉnh Bắc Giang",
                           demo_note="Số, ngày quyết định là dữ liệu demo; số lượng 15 tập thể, "
                                     "16 cá nhân theo nguồn.")
    stdout.write(f"Demo kế hoạch: {BAC_GIANG_PLAN} (Bắc Giang cũ, 3 đơn vị thí điểm).\n")


def load_nghe_an(*, stdout) -> None:
    officer = User.objects.get(username="demo-nghean")
    province = _unit("40", NGHE_AN_DAY)
    if _exists(NGHE_AN_PLAN, province):
        return
    program = _program(
        actor=officer, owner=province, codes=["phuong-kieu-mau"],
        name="Công an phường điển hình, kiểu mẫu về ANTT và văn minh đô thị (Nghệ An)")
    plan = services.create_plan(
        actor=officer, program=program, number=NGHE_AN_PLAN, date=NGHE_AN_DAY,
        issuing_unit=province, period_start=dt.date(2023, 1, 1), period_end=dt.date(2025, 12, 31),
        title="Xây dựng Công an phường điển hình, kiểu mẫu năm 2023", demo_note=DEMO + ": số "
        "và ngày kế hoạch; 12 phường của TP Vinh được chọn để đủ 16 phường.")
    for code in THAI_HOA_WARDS + VINH_WARDS:
        enrolment = services.enrol_unit(actor=officer, plan=plan, unit=_unit(code, NGHE_AN_DAY),
                                        target_year=2023)
        if code in THAI_HOA_WARDS:  # 04/04 resolutions, 04/04 plans
            services.record_step(actor=officer, enrolment=enrolment, step="party_resolution",
                                 done_on=dt.date(2023, 3, 10), document_number="")
            services.record_step(actor=officer, enrolment=enrolment, step="committee_plan",
                                 done_on=dt.date(2023, 3, 17), document_number="")
    services.set_target(actor=officer, plan=plan, year=2023, kind="count", value=16)
    services.set_target(actor=officer, plan=plan, year=2025, kind="percent", value=100)
    stdout.write(f"Demo kế hoạch: {NGHE_AN_PLAN} (Nghệ An, 16 phường).\n")


def load_bac_kan(*, stdout) -> None:
    officer = User.objects.get(username="demo-thainguyen")
    province = _unit("06", BAC_KAN_DAY)
    if _exists(BAC_KAN_PLAN, province):
        return
    program = _program(actor=officer, owner=province, codes=["phuong-kieu-mau"],
                       name="Công an phường điển hình, kiểu mẫu về ANTT và văn minh đô thị "
                            "(Bắc Kạn)")
    plan = services.create_plan(
        actor=officer, program=program, number=BAC_KAN_PLAN, date=BAC_KAN_DAY,
        issuing_unit=province, period_start=dt.date(2023, 1, 1), period_end=dt.date(2024, 12, 31),
        title="Xây dựng Công an phường điển hình, kiểu mẫu", demo_note=DEMO + ": số và ngày "
        "kế hoạch.")
    for code, year in (("01840", 2023), ("01855", 2024), ("01837", 2024)):
        services.enrol_unit(actor=officer, plan=plan, unit=_unit(code, BAC_KAN_DAY),
                            target_year=year, stage="pilot" if year == 2023 else "replication")
    services.set_target(actor=officer, plan=plan, year=2023, kind="count", value=1)
    services.set_target(actor=officer, plan=plan, year=2024, kind="count", value=3)
    stdout.write(f"Demo kế hoạch: {BAC_KAN_PLAN} (Bắc Kạn cũ).\n")


def load_demo(*, stdout) -> None:
    load_bac_giang(stdout=stdout)
    load_nghe_an(stdout=stdout)
    load_bac_kan(stdout=stdout)
