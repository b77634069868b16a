"""Importing a national spreadsheet of monthly indicator values: 3,321 communes × 30 indicators.

    .venv/bin/python bench/run.py --only import

The file is built like a downloaded template (sheet "Chỉ số", period in the workbook properties),
uploaded through `start_import` (the tasks backend runs it at once), and timed end to end: reading
every cell, resolving the unit codes as of the month's last day, checking values and locks, and
writing values plus their history in one transaction. Target: under 15 s for ~100,000 values.
"""

import datetime as dt
import io
import random

from harness import ensure_tree, timed

MONTH = dt.date(2026, 10, 1)


def build_file(*, communes, indicators, seed: int, bad_cell: bool = False) -> bytes:
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    from kieumau.indicators import xlsx
    from kieumau.indicators.months import month_label

    randomness = random.Random(seed)
    workbook = Workbook(write_only=True)
    for name in (xlsx.PROP_FROM, xlsx.PROP_TO):
        workbook.custom_doc_props.append(StringProperty(name=name, value=month_label(MONTH)))
    sheet = workbook.create_sheet(xlsx.SHEET)
    sheet.append(
        [xlsx.UNIT_COLUMN, xlsx.NAME_COLUMN, xlsx.MONTH_COLUMN]
        + [indicator.code for indicator in indicators]
    )
    sheet.append(list(xlsx.labels()) + [indicator.name for indicator in indicators])
    for number, (code, name) in enumerate(communes):
        row = [code, name, month_label(MONTH)]
        for indicator in indicators:
            if indicator.value_type == "flag":
                row.append(randomness.randint(0, 1))
            elif indicator.value_type == "percent":
                row.append(randomness.randint(0, 100))
            else:
                row.append(randomness.randint(0, 40))
        if bad_cell and number == len(communes) // 2:
            row[3] = "mười"
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def fill_year(*, unit_ids, indicators) -> int:
    """Values for Dec 2025 … Sep 2026 and Nov 2026 (October came from the imports)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from kieumau.indicators import bulk
    from kieumau.indicators.models import IndicatorValue
    from kieumau.indicators.months import add_months

    randomness = random.Random(7)
    now = timezone.now()
    months = [add_months(dt.date(2025, 12, 1), n) for n in range(12)]
    rows = [
        (
            unit_id,
            indicator.pk,
            month,
            randomness.randint(0, 1 if indicator.value_type == "flag" else 40),
            None,
            now,
            False,
            1,
        )
        for month in months
        if month != MONTH
        for unit_id in unit_ids
        for indicator in indicators
    ]
    with transaction.atomic():
        bulk.insert_rows(
            IndicatorValue,
            [
                "unit_id",
                "indicator_id",
                "month",
                "value",
                "entered_by_id",
                "entered_at",
                "locked",
                "revision",
            ],
            rows,
        )
        bulk.refresh_statistics(IndicatorValue)
    if connection.vendor == "postgresql":  # what autovacuum would have done by the next day
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {IndicatorValue._meta.db_table}")
    return len(rows)


def run() -> None:
    import logging

    from django.core.files.uploadedfile import SimpleUploadedFile

    from kieumau.accounts.models import Role
    from kieumau.accounts.services import create_user
    from kieumau.indicators import selectors
    from kieumau.indicators.imports import start_import
    from kieumau.indicators.models import IndicatorImport, IndicatorValue
    from kieumau.indicators.months import month_end
    from kieumau.indicators.services import load_indicators
    from kieumau.orgunits import tree
    from kieumau.orgunits.models import OrgUnit, valid_on

    logging.getLogger("django.tasks").setLevel(logging.WARNING)  # one line per task otherwise
    ensure_tree()
    load_indicators()
    indicators = selectors.catalogue()
    ministry = tree.unit_by_code(units=OrgUnit.objects.all(), code="BCA", as_of=MONTH)
    actor = create_user(
        username="bench-import",
        password="bench-only-pass",
        role=Role.MINISTRY_ADMIN,
        home_unit=ministry,
    )
    communes = list(
        OrgUnit.objects.filter(valid_on(month_end(MONTH)), level="commune")
        .order_by("code")
        .values_list("code", "name")
    )
    values = len(communes) * len(indicators)

    files = timed(
        f"build 3 xlsx files of {len(communes)} communes × {len(indicators)} indicators",
        lambda: [
            build_file(communes=communes, indicators=indicators, seed=seed, bad_cell=seed == 3)
            for seed in (1, 2, 3)
        ],
        describe=lambda built: f"{len(built[0]) / 2**20:.1f} MB each",
    )

    def upload(content: bytes) -> IndicatorImport:
        record = start_import(actor=actor, upload=SimpleUploadedFile("bench.xlsx", content))
        record.refresh_from_db()
        return record

    def outcome(record: IndicatorImport) -> str:
        if record.status != "done":
            return f"{record.status}: {record.error_count} error(s), e.g. {record.errors[:1]}"
        return (
            f"{record.values_created} created, {record.values_updated} updated, "
            f"{record.values_unchanged} unchanged"
        )

    timed(
        f"import {values:,} new values (one transaction)",
        lambda: upload(files[0]),
        describe=outcome,
    )
    timed(
        f"import {values:,} values again, all unchanged", lambda: upload(files[0]), describe=outcome
    )
    timed(
        f"import {values:,} values, most of them changed",
        lambda: upload(files[1]),
        describe=outcome,
    )
    timed(
        f"import {values:,} values with one bad cell (refused)",
        lambda: upload(files[2]),
        describe=outcome,
    )

    unit_ids = list(
        OrgUnit.objects.filter(valid_on(month_end(MONTH)), level="commune").values_list(
            "pk", flat=True
        )
    )
    codes = [indicator.code for indicator in indicators]
    year = (dt.date(2025, 11, 16), dt.date(2026, 11, 15))  # Dec 2025 … Nov 2026

    def aggregate():
        return selectors.aggregate_period(
            unit_ids=unit_ids, codes=codes, start=year[0], end=year[1]
        )

    timed(
        f"aggregate_period, 1 month: {len(unit_ids)} communes × {len(codes)} indicators",
        aggregate,
        repeat=5,
        warmup=1,
        describe=lambda result: f"{len(result):,} figures",
    )
    timed(
        "store 11 more months directly (bulk.insert_rows, untimed path of the import)",
        lambda: fill_year(unit_ids=unit_ids, indicators=indicators),
        describe=lambda count: f"{count:,} values",
    )
    timed(
        f"aggregate_period, 12 months: {len(unit_ids)} communes × {len(codes)} indicators",
        aggregate,
        repeat=5,
        warmup=1,
        describe=lambda result: f"{len(result):,} figures",
    )
    print(f"  ({IndicatorValue.objects.count():,} values stored)")
    for record in IndicatorImport.objects.all():
        record.file.delete(save=False)
