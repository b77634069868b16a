"""The dated organisation tree of the police.

A unit is one police body over one span of time. Codes are reused (a new ward often carries the
code of one of the old wards it absorbed), so a code names a unit only together with a date.
Parents are dated too: each `Placement` says under whom a unit sat from one day to another, with
the materialised path of ids for that span, so a subtree as of a date is one `path LIKE` query.
`Reach` is the closure of "sat under, at any time" and "was succeeded by": it answers "may a user
whose home is H see unit X" with one join, and lets history made under the old tree roll up into
today's units. Partial lineage counts only as far as the units that really went there
(`orgunits/reach.py`).
"""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    MINISTRY = "ministry", _("Cấp Bộ")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")
    GRASSROOTS = "grassroots", _("Cơ sở")


class Kind(models.TextChoices):
    BO = "bo", _("Bộ")
    TINH = "tinh", _("tỉnh")
    THANH_PHO = "thanh_pho", _("thành phố")
    HUYEN = "huyen", _("huyện")
    QUAN = "quan", _("quận")
    THI_XA = "thi_xa", _("thị xã")
    XA = "xa", _("xã")
    PHUONG = "phuong", _("phường")
    THI_TRAN = "thi_tran", _("thị trấn")
    DAC_KHU = "dac_khu", _("đặc khu")
    KHU_DAN_CU = "khu_dan_cu", _("khu dân cư")
    CO_QUAN = "co_quan", _("cơ quan")
    DOANH_NGHIEP = "doanh_nghiep", _("doanh nghiệp")
    TRUONG_HOC = "truong_hoc", _("trường học")


class Source(models.TextChoices):
    PACKAGE = "vietnam-provinces", _("Danh mục hành chính")
    LOCAL = "local", _("Đơn vị tự đăng ký")


def valid_on(day: dt.date, prefix: str = "") -> Q:
    """Closed interval; a null bound is open (null valid_from: existed before our records)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class OrgUnit(models.Model):
    code = models.CharField(_("mã"), max_length=32, db_index=True)
    name = models.CharField(_("tên"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices, db_index=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.PACKAGE)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "valid_from"], name="orgunit_unique_code_per_start"
            ),
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=Q(valid_from__isnull=True),
                name="orgunit_unique_code_since_records",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_interval",
            ),
        ]

    def __str__(self) -> str:
        return self.police_name

    @property
    def police_name(self) -> str:
        """"Phường Đức Xuân" is the ward; its police is "Công an phường Đức Xuân"."""
        if self.level in (Level.MINISTRY, Level.GRASSROOTS):
            return self.name
        return f"Công an {self.name[:1].lower()}{self.name[1:]}"

    def exists_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def a_day_it_existed(self) -> dt.date:
        """A date at which the unit existed, for links that must resolve its (reused) code."""
        if self.valid_to is not None:
            return self.valid_to
        from kieumau.core.dates import today

        return max(today(), self.valid_from) if self.valid_from else today()


class Placement(models.Model):
    """Where a unit sat in the tree from valid_from to valid_to (both inclusive)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="placements")
    parent = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="child_placements"
    )
    path = models.CharField(max_length=255, db_index=True)
    depth = models.PositiveSmallIntegerField()
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.unit_id} under {self.parent_id} [{self.valid_from}..{self.valid_to}]"

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read off the path with no query."""
        return [int(part) for part in self.path.strip("/").split("/")[:-1]]


class Lineage(models.Model):
    """A predecessor became (part of) a successor on `date`: merger, split or rename."""

    class Change(models.TextChoices):
        MERGE = "merge", _("sáp nhập")
        SPLIT = "split", _("chia tách")
        RENAME = "rename", _("đổi tên, giữ nguyên địa bàn")

    predecessor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="predecessions")
    date = models.DateField(_("ngày thay đổi"))
    change = models.CharField(max_length=10, choices=Change.choices)
    partial = models.BooleanField(
        default=False, help_text=_("Chỉ một phần địa bàn của đơn vị cũ nhập vào đơn vị mới")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="lineage_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} -> {self.successor_id} ({self.date})"


class Reach(models.Model):
    """`ancestor` is `unit` itself, sat above it at some time, or is where its history rolls up."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="reach")
    ancestor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="reached")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ancestor", "unit"], name="reach_unique_pair")
        ]
        indexes = [models.Index(fields=["unit"])]

    def __str__(self) -> str:
        return f"{self.ancestor_id} reaches {self.unit_id}"


class TreeLoad(models.Model):
    """One run of `kieumau load-tree`, so the pages can say which data the tree came from."""

    package_version = models.CharField(max_length=32)
    data_version = models.CharField(max_length=32)
    loaded_at = models.DateTimeField(auto_now_add=True)
    units = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"vietnam-provinces {self.package_version} ({self.data_version})"
