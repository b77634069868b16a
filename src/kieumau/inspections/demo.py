"""Demo inspection, loaded by `kieumau demo` after the programme demo: Nghệ An's team inspects the
four wards of thị xã Thái Hòa on 19/04/2023 under the 2023 plan. Findings, team and wording are
demo data (marked); one recommendation is overdue, one is addressed to today's phường Thái Hòa
and due in two weeks, so demo-thaihoa sees both on their unit page.

Idempotent: an inspection with the same title and date is left alone.
"""

import datetime as dt

from kieumau.accounts.models import User
from kieumau.core.dates import today
from kieumau.inspections import services
from kieumau.inspections.models import Inspection
from kieumau.orgunits import tree
from kieumau.orgunits.models import OrgUnit

DAY = dt.date(2023, 4, 19)
TITLE = "Kiểm tra, khảo sát xây dựng Công an phường điển hình, kiểu mẫu tại thị xã Thái Hòa"
NOTE = "Dữ liệu demo: thành phần đoàn, nhận xét và kiến nghị không lấy từ nguồn."


def _unit(code: str, day: dt.date) -> OrgUnit:
    return tree.unit_by_code(units=OrgUnit.objects.all(), code=code, as_of=day)


def load_demo(*, stdout) -> None:
    inspector = User.objects.get(username="demo-inspector")
    province = _unit("40", DAY)
    if Inspection.objects.filter(owner_unit=province, title=TITLE, date=DAY).exists():
        return
    from kieumau.programs.demo import NGHE_AN_PLAN
    from kieumau.programs.models import Plan

    plan = Plan.objects.filter(issuing_unit=province, number=NGHE_AN_PLAN).first()
    inspection = services.create_inspection(
        actor=inspector, owner_unit=province, title=TITLE, date=DAY, plan=plan, demo_note=NOTE,
        summary="Các phường đã ban hành nghị quyết, kế hoạch (04/04); trụ sở và trang thiết bị "
                "còn thiếu; cần đẩy mạnh dịch vụ công trực tuyến.")
    for name, position, role in (("Hoàng Văn Dũng (demo)", "Phó Trưởng phòng PV05", "Trưởng đoàn"),
                                 ("Phạm Thị Hoa (demo)", "Cán bộ PV05", "Thư ký")):
        services.add_member(actor=inspector, inspection=inspection, name=name,
                            position=position, role=role)
    wards = {code: _unit(code, DAY) for code in ("16939", "16993", "17003", "16994")}
    visits = {}
    for code, ward in wards.items():
        visits[code] = services.add_visit(
            actor=inspector, inspection=inspection, unit=ward,
            difficulties="Trụ sở làm việc chật, xuống cấp; thiếu kinh phí mua sắm trang thiết bị."
            if code == "16993" else "")
    findings = (
        ("16939", "strength", "Bộ phận một cửa bố trí khoa học, niêm yết đủ thủ tục.", "TC 15"),
        ("16993", "shortcoming", "Trụ sở chưa đạt chuẩn theo quy định.", "TC 4"),
        ("17003", "shortcoming", "Hồ sơ tổ liên gia an toàn PCCC chưa cập nhật.", "TC 11"),
        ("16994", "strength", "Duy trì tốt mô hình tự quản về ANTT ở khu dân cư.", ""),
    )
    for code, kind, text, criterion in findings:
        services.add_finding(actor=inspector, visit=visits[code], kind=kind, text=text,
                             criterion_code=criterion)
    services.add_recommendation(
        actor=inspector, inspection=inspection, unit=wards["16993"],
        text="Đề xuất UBND thị xã bố trí kinh phí sửa chữa trụ sở Công an phường Quang Phong.",
        due_on=dt.date(2023, 9, 30))
    pccc = services.add_recommendation(
        actor=inspector, inspection=inspection, unit=wards["17003"],
        text="Cập nhật hồ sơ tổ liên gia an toàn PCCC.", due_on=dt.date(2023, 6, 30))
    services.update_recommendation(actor=inspector, recommendation=pccc, status="done",
                                   resolution_note="Đã cập nhật hồ sơ 6 tổ liên gia.",
                                   resolved_on=dt.date(2023, 6, 28))
    done = services.add_recommendation(
        actor=inspector, inspection=inspection, unit=wards["16939"],
        text="Công khai kết quả giải quyết thủ tục hành chính trên cổng dịch vụ công.",
        due_on=dt.date(2023, 6, 30))
    services.update_recommendation(actor=inspector, recommendation=done, status="done",
                                   resolution_note="Đã công khai từ tháng 6/2023.",
                                   resolved_on=dt.date(2023, 6, 20))
    services.add_recommendation(
        actor=inspector, inspection=inspection, unit=_unit("16939", today()),
        text="Kiện toàn hồ sơ mô hình sau sắp xếp đơn vị hành chính (phường Thái Hòa mới).",
        due_on=today() + dt.timedelta(days=14))
    stdout.write("Demo kiểm tra: đoàn kiểm tra Thái Hòa ngày 19/04/2023 với 4 kiến nghị.\n")
