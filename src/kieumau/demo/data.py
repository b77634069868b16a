"""Demo accounts and the units of the seed articles. Only for a debug set-up: the password is public."""

import datetime as dt
from dataclasses import dataclass

from kieumau.accounts.models import Role, User
from kieumau.accounts.services import create_user
from kieumau.orgunits import tree
from kieumau.orgunits.models import OrgUnit

DEMO_PASSWORD = "kieumau-demo"
BEFORE_MERGER = dt.date(2025, 6, 30)
AFTER_MERGER = dt.date(2025, 7, 1)

# (code, date) pairs: codes are reused, so each names its unit only with a day it existed.
SEED_UNITS = {
    "Xã Hợp Đức (huyện Tân Yên, Bắc Giang)": ("07330", BEFORE_MERGER),
    "Thị trấn Đồi Ngô (huyện Lục Nam, Bắc Giang)": ("07444", BEFORE_MERGER),
    "Phường Trần Phú (TP Bắc Giang)": ("07213", BEFORE_MERGER),
    "Phường Đức Xuân (TP Bắc Kạn)": ("01840", BEFORE_MERGER),
    "Phường Xuất Hóa (TP Bắc Kạn)": ("01855", BEFORE_MERGER),
    "Phường Sông Cầu (TP Bắc Kạn)": ("01837", BEFORE_MERGER),
    "Phường Hòa Hiếu (TX Thái Hòa, Nghệ An)": ("16939", BEFORE_MERGER),
    "Phường Quang Tiến (TX Thái Hòa, Nghệ An)": ("16994", BEFORE_MERGER),
    "Phường Long Sơn (TX Thái Hòa, Nghệ An)": ("17003", BEFORE_MERGER),
    "Phường Quang Phong (TX Thái Hòa, Nghệ An)": ("16993", BEFORE_MERGER),
    "Phường Điện Biên (quận Ba Đình, Hà Nội)": ("00019", BEFORE_MERGER),
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit_code: str
    note: str


DEMO_ACCOUNTS = (
    DemoAccount("demo-bo", Role.MINISTRY_ADMIN, "BCA", "Bộ Công an: quản trị, thấy toàn quốc"),
    DemoAccount("demo-nghean", Role.PROVINCE_OFFICER, "40", "Công an tỉnh Nghệ An"),
    DemoAccount("demo-thainguyen", Role.PROVINCE_OFFICER, "19",
                "Công an tỉnh Thái Nguyên (gồm Bắc Kạn cũ)"),
    DemoAccount("demo-thaihoa", Role.COMMUNE_OFFICER, "16939",
                "Công an phường Thái Hòa (Hòa Hiếu, Quang Phong, Long Sơn cũ)"),
    DemoAccount("demo-inspector", Role.INSPECTOR, "40", "Đoàn kiểm tra Công an tỉnh Nghệ An"),
    DemoAccount("demo-viewer", Role.VIEWER, "19", "Chỉ xem, Công an tỉnh Thái Nguyên"),
    DemoAccount("demo-bacninh", Role.PROVINCE_OFFICER, "24",
                "Công an tỉnh Bắc Ninh (gồm Bắc Giang cũ: kế hoạch 340/KH-CAT-XDPTBVANTQ)"),
)


def seed_unit(label: str) -> OrgUnit:
    code, day = SEED_UNITS[label]
    return tree.unit_by_code(units=OrgUnit.objects.all(), code=code, as_of=day)


def ensure_demo_accounts(*, today: dt.date) -> list[tuple[DemoAccount, OrgUnit]]:
    """Create the demo users that are missing; existing ones are left as they are."""
    created = []
    for account in DEMO_ACCOUNTS:
        unit = tree.unit_by_code(units=OrgUnit.objects.all(), code=account.unit_code, as_of=today)
        if not User.objects.filter(username=account.username).exists():
            create_user(username=account.username, password=DEMO_PASSWORD, role=account.role,
                        home_unit=unit)
        created.append((account, unit))
    return created


def extra_loaders():
    """Demo data of later domains (criteria, indicators, assessments), in dependency order."""
    from kieumau.assessments.demo import load_demo as assessments
    from kieumau.citizens.demo import load_demo as citizens
    from kieumau.criteria.demo import load_demo as criteria
    from kieumau.indicators.demo import load_demo as indicators
    from kieumau.inspections.demo import load_demo as inspections
    from kieumau.programs.demo import load_demo as programs

    return [indicators, criteria, assessments, programs, inspections, citizens]
