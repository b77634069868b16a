"""Fewer indexes on the tables every survey answer writes: none a read does not use."""

import django.db.models.deletion
from django.db import migrations, models


def _unit(**options):
    return models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                             related_name="+", to="orgunits.orgunit", **options)


class Migration(migrations.Migration):
    dependencies = [
        ("citizens", "0001_initial"),
        ("orgunits", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(model_name="surveyanswer", name="unit", field=_unit()),
        migrations.AlterField(model_name="surveytally", name="unit", field=_unit()),
        migrations.AlterField(
            model_name="submitbudget", name="key", field=models.CharField(max_length=96)
        ),
        migrations.AddConstraint(
            model_name="submitbudget",
            constraint=models.UniqueConstraint(fields=("key",), name="submit_budget_unique_key"),
        ),
        migrations.AlterField(
            model_name="usedformnonce", name="digest", field=models.CharField(max_length=64)
        ),
        migrations.AddConstraint(
            model_name="usedformnonce",
            constraint=models.UniqueConstraint(
                fields=("digest",), name="used_form_nonce_unique_digest"
            ),
        ),
    ]
