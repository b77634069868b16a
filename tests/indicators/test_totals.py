"""Monthly totals of a province and of the ministry: kept by every save, equal at all times to
the sum of the values of the communes they reach, and read by the dashboard's trends."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from kieumau.accounts import scope
from kieumau.dashboards import trends
from kieumau.indicators import services, totals
from kieumau.indicators.models import Indicator, IndicatorValue, MonthlyTotal
from kieumau.orgunits import tree
from kieumau.orgunits.models import Level, OrgUnit, Reach
from tests.conftest import BEFORE_MERGER, unit
from tests.indicators.conftest import OCTOBER, save

SEPTEMBER = dt.date(2024, 9, 1)  # before the 2025 merger: old Hòa Hiếu, old Nghệ An


def kept() -> dict[tuple[int, int, dt.date], Decimal]:
    return {(u, i, m): t for u, i, m, t in
            MonthlyTotal.objects.exclude(total=0).values_list("unit_id", "indicator_id", "month",
                                                              "total")}


def summed_from_values() -> dict[tuple[int, int, dt.date], Decimal]:
    """The oracle: for every province and the ministry, the sum of the values of the communes
    it reaches, read straight from the values."""
    found = {}
    for ancestor in OrgUnit.objects.filter(level__in=totals.TOTALLED_LEVELS):
        reached = Reach.objects.filter(ancestor=ancestor, unit__level=Level.COMMUNE)
        sums = (IndicatorValue.objects.filter(unit_id__in=reached.values("unit_id"))
                .values_list("indicator_id", "month").annotate(total=Sum("value")).order_by())
        for indicator_id, month, total in sums:
            if total:
                found[(ancestor.pk, indicator_id, month)] = Decimal(total)
    return found


def another_commune_of_nghe_an() -> OrgUnit:
    communes = tree.descendants(units=OrgUnit.objects.all(), root=unit("40"),
                                day=dt.date(2026, 11, 1), level=Level.COMMUNE)
    return communes.exclude(code="16939").order_by("code").first()


def test_every_save_keeps_the_totals_equal_to_the_values(users, catalogue):
    thai_hoa, other = unit("16939"), another_commune_of_nghe_an()
    save(users.nghean, thai_hoa, OCTOBER, toi_pham_ttxh=3, chay_no=2)
    save(users.nghean, other, OCTOBER, toi_pham_ttxh=4)
    save(users.nghean, unit("16939", BEFORE_MERGER), SEPTEMBER, toi_pham_ttxh=7)
    assert kept() == summed_from_values()
    nghe_an, nation = unit("40"), unit("BCA")
    crimes = catalogue["toi_pham_ttxh"].pk
    assert kept()[(nghe_an.pk, crimes, OCTOBER)] == 7
    assert kept()[(nation.pk, crimes, OCTOBER)] == 7
    assert kept()[(nation.pk, crimes, SEPTEMBER)] == 7  # the old ward rolls up

    save(users.nghean, thai_hoa, OCTOBER, toi_pham_ttxh=10, chay_no=None)  # changed, cleared
    assert kept()[(nghe_an.pk, crimes, OCTOBER)] == 14
    assert (nghe_an.pk, catalogue["chay_no"].pk, OCTOBER) not in kept()  # back to 0
    assert kept() == summed_from_values()


def test_a_refused_save_changes_no_total(users, catalogue):
    thai_hoa = unit("16939")
    save(users.nghean, thai_hoa, OCTOBER, toi_pham_ttxh=3)
    before = kept()
    with pytest.raises(services.ValuesRejected):
        save(users.nghean, thai_hoa, OCTOBER, toi_pham_ttxh=5, chay_no=-1)  # one bad value
    assert kept() == before


def test_rebuilding_the_reach_sums_the_totals_again(users, catalogue):
    from kieumau.orgunits.loader import rebuild_reach

    save(users.nghean, unit("16939"), OCTOBER, toi_pham_ttxh=3)
    expected = kept()
    MonthlyTotal.objects.update(total=99)  # as if the reach had changed under them
    rebuild_reach()
    assert kept() == expected == summed_from_values()


def test_trends_read_the_totals_only_where_the_user_sees_all_they_sum(users, catalogue):
    save(users.nghean, unit("16939"), dt.date(2026, 5, 1), toi_pham_ttxh=3)
    as_of = dt.date(2026, 7, 15)
    nghe_an = unit("40", as_of)
    crimes = Indicator.objects.filter(code="toi_pham_ttxh")
    for user in (users.nghean, users.ministry):
        sums = trends._monthly_sums(user, unit=nghe_an, indicators=list(crimes),
                                    first=dt.date(2025, 7, 1), last=dt.date(2026, 6, 1))
        assert sums.model is MonthlyTotal
        assert list(sums) == [(crimes.get().pk, dt.date(2026, 5, 1), Decimal(3))]
    for user in (users.thaihoa, users.thainguyen):  # a ward's officer; another province's
        sums = trends._monthly_sums(user, unit=nghe_an, indicators=list(crimes),
                                    first=dt.date(2025, 7, 1), last=dt.date(2026, 6, 1))
        assert sums.model is IndicatorValue


def test_who_sees_all_a_unit_reaches(users):
    nghe_an, nation = unit("40"), unit("BCA")
    assert scope.sees_all_it_reaches(users.nghean, nghe_an)
    assert scope.sees_all_it_reaches(users.ministry, nghe_an)
    assert scope.sees_all_it_reaches(users.ministry, nation)
    assert not scope.sees_all_it_reaches(users.nghean, nation)
    assert not scope.sees_all_it_reaches(users.thaihoa, nghe_an)
    old_bac_kan = unit("06", BEFORE_MERGER)  # merged into Thái Nguyên: read from the values
    assert scope.can_see_unit(users.thainguyen, old_bac_kan)
    assert not scope.sees_all_it_reaches(users.thainguyen, old_bac_kan)
    assert not scope.sees_all_it_reaches(None, nation)
