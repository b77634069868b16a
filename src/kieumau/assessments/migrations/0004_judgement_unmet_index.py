"""An index of the unmet judgements only, for the dashboards' count of unmet criteria."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_assessment_unique_unit_set_code_period"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="criterionjudgement",
            index=models.Index(
                condition=models.Q(("computed_status", "not_met")),
                fields=["assessment", "criterion"],
                name="judgement_unmet_idx",
            ),
        ),
    ]
