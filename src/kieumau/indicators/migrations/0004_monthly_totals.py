"""Monthly totals of indicators over what a province or the ministry reaches, summed once here
from the values already stored; `services.set_values` keeps them from then on."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Sum

TOTALLED_LEVELS = ("ministry", "province")  # as totals.TOTALLED_LEVELS at this migration


def sum_stored_values(apps, schema_editor):
    """One INSERT … SELECT, as `totals.rebuild` (frozen here)."""
    value_model = apps.get_model("indicators", "IndicatorValue")
    total_model = apps.get_model("indicators", "MonthlyTotal")
    grouped = (
        value_model.objects.filter(unit__level="commune", value__isnull=False,
                                   unit__reach__ancestor__level__in=TOTALLED_LEVELS)
        .order_by()
        .values("unit__reach__ancestor_id", "indicator_id", "month")
        .annotate(total=Sum("value"))
        .values_list("unit__reach__ancestor_id", "indicator_id", "month", "total")
    )
    sql, params = grouped.query.sql_with_params()
    quote = schema_editor.connection.ops.quote_name
    columns = ", ".join(quote(name) for name in ("unit_id", "indicator_id", "month", "total"))
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(total_model._meta.db_table)} ({columns}) {sql}", params)


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0003_import_job_record'),
        ('orgunits', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='MonthlyTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('total', models.DecimalField(decimal_places=4, max_digits=24)),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='indicators.indicator')),
                ('unit', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgunits.orgunit')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('unit', 'indicator', 'month'), name='monthly_total_unique_unit_indicator_month')],
            },
        ),
        migrations.RunPython(sum_stored_values, migrations.RunPython.noop),
    ]
