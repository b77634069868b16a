"""The one place that decides what a user may see and change.

A user sees the subtree of their home unit, over all time: every unit that sat under it at any
date, and every unit whose history rolls up into one of those (an old ward that merged into a
ward of theirs). The ministry's subtree is everything. `Reach` makes that one indexed join.

Anything you may not see and anything that does not exist give the same `NotVisible` (404).

Criteria sets are read by everyone, so a refused edit of one hides nothing and answers 403
(`may_edit_criteria_set`); a unit named in a request body that the user may not see is refused
like an unknown code.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.db.models import Q, QuerySet
from django.http import Http404

from kieumau.accounts.models import Role
from kieumau.orgunits.models import Level, OrgUnit, Reach


class NotVisible(Http404):
    """Out of scope or absent: callers must not tell the two apart."""


def _home_id(user) -> int | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.home_unit_id


def visible_unit_ids(user) -> QuerySet:
    """A subquery of the ids of every unit `user` may see."""
    home_id = _home_id(user)
    if home_id is None:
        return Reach.objects.none().values("unit_id")
    return Reach.objects.filter(ancestor_id=home_id).values("unit_id")


def visible(user, unit: str = "unit") -> Q:
    """A condition that the unit reached through `unit` (a path of relations to `OrgUnit`, or
    "" on `OrgUnit` itself) is one `user` may see: a join to `Reach` on its unique
    (ancestor, unit) index. Where the rows are narrowed by other conditions (a code, a subtree)
    it costs a probe per row; `visible_unit_ids` instead gathers every unit the user may see
    first, which for the ministry is 14,000 (bench_dashboard)."""
    home_id = _home_id(user)
    if home_id is None:
        return Q(pk__in=[])
    return Q(**{f"{unit}__reach__ancestor_id" if unit else "reach__ancestor_id": home_id})


def visible_sql(user, unit_id: str) -> tuple[str, list]:
    """`visible` for a hand-written query: a condition, with its parameters, that the unit whose
    id is the SQL expression `unit_id` (a column such as "u.id") is one `user` may see."""
    home_id = _home_id(user)
    if home_id is None:
        return "1 = 0", []
    reach = connection.ops.quote_name(Reach._meta.db_table)
    return (
        f"EXISTS (SELECT 1 FROM {reach} seen WHERE seen.ancestor_id = %s AND seen.unit_id = {unit_id})",
        [home_id],
    )


def units_above_ids(user) -> QuerySet:
    """A subquery of the ids of the units above the user's home (at any time), the home itself
    included: a programme run by one of them applies to the user's units."""
    home_id = _home_id(user)
    if home_id is None:
        return Reach.objects.none().values("ancestor_id")
    return Reach.objects.filter(unit_id=home_id).values("ancestor_id")


def sees_all_it_reaches(user, unit: OrgUnit) -> bool:
    """Whether `user` may see every unit that `unit` reaches, so that a figure summed over all of
    them (indicators' `MonthlyTotal`) may be shown whole: true of the user's home unit and, the
    ministry's subtree being everything, of every unit for the ministry. (A province's officers
    may see an old province that merged into theirs, and not all it reached.)"""
    home_id = _home_id(user)
    if home_id is None:
        return False
    return home_id == unit.pk or user.home_unit.level == Level.MINISTRY


def visible_units(user) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(pk__in=visible_unit_ids(user))


def visible_units_on(user, day: dt.date) -> QuerySet[OrgUnit]:
    from kieumau.orgunits.models import valid_on

    return visible_units(user).filter(valid_on(day))


def can_see_unit(user, unit: OrgUnit) -> bool:
    home_id = _home_id(user)
    return home_id is not None and Reach.objects.filter(ancestor_id=home_id, unit=unit).exists()


class UnitScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> "UnitScopedQuerySet":
        return self.filter(**{f"{self.model.scope_field}__in": visible_unit_ids(user)})


class UnitScopedModel(models.Model):
    """Base of every model tied to a unit: `Model.objects.visible_to(user)` applies the scope.

    Subclasses name the field that leads to the unit in `scope_field` ("unit" by default,
    "assessment__unit" for rows that hang off an assessment).
    """

    scope_field = "unit_id"
    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        abstract = True


def get_visible_or_404[M: models.Model](queryset: QuerySet[M], user, **lookup) -> M:
    """Fetch one object of a unit-scoped model, or raise `NotVisible` for absent and hidden alike."""
    model = queryset.model
    if model is OrgUnit:
        scoped = queryset.filter(pk__in=visible_unit_ids(user))
    else:
        scoped = queryset.visible_to(user) if hasattr(queryset, "visible_to") else None
        if scoped is None:
            raise TypeError(f"{model.__name__} is not unit-scoped; add UnitScopedModel")
    try:
        return scoped.get(**lookup)
    except (model.DoesNotExist, model.MultipleObjectsReturned):
        raise NotVisible("not found") from None


def require_write(user, unit: OrgUnit | None = None) -> None:
    """Read-only roles get 403; a writer acting outside their scope gets 404."""
    if not getattr(user, "can_write", False):
        raise PermissionDenied("read-only role")
    if unit is not None and not can_see_unit(user, unit):
        raise NotVisible("not found")


def require_admin(user) -> None:
    if not getattr(user, "is_admin_level", False):
        raise PermissionDenied("admin role required")


def may_edit_criteria_set(user, *, owner: OrgUnit | None) -> bool:
    """THE rule for changing a criteria set whose owner is `owner`, and for giving a set that owner
    (creating it, or moving it): a national set (no owner) is the ministry's alone; a unit's own set
    (a province's plan) belongs to the admins whose scope holds that unit, i.e. the unit's own
    officers and whoever is above it or succeeded it."""
    if not getattr(user, "is_admin_level", False):
        return False
    if owner is None:
        return user.role == Role.MINISTRY_ADMIN
    return can_see_unit(user, owner)


def require_criteria_set_editor(user, *, owner: OrgUnit | None) -> None:
    """403 unless `may_edit_criteria_set`; see the module's docstring for why never 404."""
    if not may_edit_criteria_set(user, owner=owner):
        raise PermissionDenied("criteria set of another unit, or national")
