"""Bắc Giang's own set (plan 340/KH-CAT-XDPTBVANTQ) belongs to the old province of Bắc Giang
(code 24 before 2025-07-01). A database whose tree is not loaded yet is left alone: the
catalogue sets the owner when the set is loaded."""

import datetime as dt

from django.db import migrations
from django.db.models import Q

SET_CODE = "bac-giang-tan-tuy"
OWNER_CODE = "24"
AS_OF = dt.date(2021, 11, 5)


def set_owner(apps, schema_editor):
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    OrgUnit = apps.get_model("orgunits", "OrgUnit")
    owner = (
        OrgUnit.objects.filter(level="province", code=OWNER_CODE)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=AS_OF))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=AS_OF))
        .order_by("pk")
        .first()
    )
    if owner is not None:
        CriteriaSet.objects.filter(code=SET_CODE, owner__isnull=True).update(owner=owner)


class Migration(migrations.Migration):
    dependencies = [("criteria", "0002_criteriaset_owner")]

    operations = [migrations.RunPython(set_owner, migrations.RunPython.noop)]
