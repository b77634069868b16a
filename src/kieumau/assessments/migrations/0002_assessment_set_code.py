"""The criteria set's code on each assessment (the unique constraint follows in 0003: on
PostgreSQL, rows updated here and ALTER TABLE on them do not mix in one transaction)."""

from django.db import migrations, models


def fill_set_code(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    rows = list(Assessment.objects.select_related("criteria_set").order_by("pk"))
    for row in rows:
        row.set_code = row.criteria_set.code
    Assessment.objects.bulk_update(rows, ["set_code"], batch_size=1000)
    seen, twins = {}, []
    for row in rows:
        key = (row.unit_id, row.set_code, row.period_start)
        if key in seen:
            twins.append(f"{seen[key]} & {row.pk}")
        seen.setdefault(key, row.pk)
    if twins:
        # Which of two assessments of the same period to keep is a person's decision.
        raise RuntimeError(
            "Two assessments of the same unit, criteria set and period (ids "
            + ", ".join(twins)
            + "): delete the one opened by mistake, then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("criteria", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="set_code",
            field=models.SlugField(
                default="", editable=False, max_length=64, verbose_name="mã bộ tiêu chí"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_set_code, migrations.RunPython.noop),
    ]
