"""One assessment per unit, criteria set code and period, whichever version it was opened under."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_assessment_set_code"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="assessment",
            name="assessment_unique_unit_set_period",
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.UniqueConstraint(
                fields=("unit", "set_code", "period_start"),
                name="assessment_unique_unit_set_code_period",
            ),
        ),
    ]
