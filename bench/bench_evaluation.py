"""Bulk evaluation of criteria sets on the synthetic national data set (bench/synthetic.py).

The target: every criterion of the 2024 model-ward set for every commune of today's tree (3,321)
for one period in under 2 s on a 2-core machine, with a constant number of queries.

Size of the data set: KIEUMAU_BENCH_MONTHS (default 60, ending 2026-10) and KIEUMAU_BENCH_SCALE
(default 1: every commune; 0.1 keeps a tenth of today's communes and the old communes they came
from — quick runs). The full set is about 15 million values: measured on this 2-core machine,
generating it takes 1.5–5.5 minutes on SQLite and 3.5 on PostgreSQL (the machine was shared),
so `make bench` uses it.
"""

import datetime as dt
import os
from collections import Counter

import synthetic
from harness import analyze, ensure_tree, timed

NEW_TREE_DAY = dt.date(2026, 1, 1)
OLD_TREE_DAY = dt.date(2024, 6, 30)
PERIODS = {
    2026: (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    2025: (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    2024: (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
}


def vacuum() -> None:
    """Sets PostgreSQL's visibility map, which index-only scans need; autovacuum does it within
    minutes of a bulk load, so figures taken right after the load would mislead."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) indicators_indicatorvalue")


def tally(evaluations) -> str:
    statuses = Counter(r.status for e in evaluations.values() for r in e.results)
    qualified = sum(1 for e in evaluations.values() if e.outcome.qualifies)
    shown = ", ".join(f"{status} {count:,}" for status, count in sorted(statuses.items()))
    return f"{len(evaluations):,} units; {shown}; {qualified:,} qualify"


def run() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kieumau.assessments.evaluation import evaluate_set
    from kieumau.criteria.loading import ensure_indicator_catalogue, load_catalog
    from kieumau.criteria.models import CriteriaSet
    from kieumau.orgunits import tree
    from kieumau.orgunits.models import OrgUnit

    ensure_tree()
    ensure_indicator_catalogue()
    load_catalog()
    months = int(os.environ.get("KIEUMAU_BENCH_MONTHS", "60"))
    scale = float(os.environ.get("KIEUMAU_BENCH_SCALE", "1"))
    print(
        f"  synthetic data set: {months} months, scale {scale:g} "
        "(KIEUMAU_BENCH_MONTHS, KIEUMAU_BENCH_SCALE)",
        flush=True,
    )
    timed(
        "generate the synthetic national data set",
        lambda: synthetic.generate(months=months, scale=scale),
        describe=str,
    )
    timed("planner statistics (PostgreSQL: VACUUM ANALYZE; SQLite: ANALYZE)", analyze)
    timed("VACUUM the values (PostgreSQL only), as autovacuum would after the load", vacuum)

    communes = OrgUnit.objects.filter(level="commune")
    today_ids = list(tree.units_on(units=communes, day=NEW_TREE_DAY).values_list("pk", flat=True))
    old_ids = list(tree.units_on(units=communes, day=OLD_TREE_DAY).values_list("pk", flat=True))
    model_ward = CriteriaSet.objects.get(code="phuong-kieu-mau", version="2024")
    tt124 = CriteriaSet.objects.filter(code="tt124-xa").order_by("-year", "-revision").first()

    def evaluate(criteria_set, unit_ids, year):
        start, end = PERIODS[year]
        return evaluate_set(
            criteria_set=criteria_set, unit_ids=unit_ids, period_start=start, period_end=end
        )

    def rendered(evaluations):
        return sum(
            len(r.explanation) + len(r.distance or "")
            for e in evaluations.values()
            for r in e.results
        )

    for label, criteria_set, ids, year in [
        (
            f"model-ward 2024 × {len(today_ids):,} communes, period 2026",
            model_ward,
            today_ids,
            2026,
        ),
        (
            f"model-ward 2024 × {len(today_ids):,} communes, period 2025 (history of the old "
            "communes rolled up)",
            model_ward,
            today_ids,
            2025,
        ),
        (
            f"model-ward 2024 × {len(old_ids):,} communes of the old tree, period 2024",
            model_ward,
            old_ids,
            2024,
        ),
        (
            f"TT 124 (child coverage) × {len(today_ids):,} communes, period 2026",
            tt124,
            today_ids,
            2026,
        ),
    ]:
        timed(
            label,
            lambda c=criteria_set, i=ids, y=year: evaluate(c, i, y),
            repeat=5,
            warmup=1,
            describe=tally,
        )
    timed(
        f"model-ward 2024 × {len(today_ids):,} communes, 2026, every explanation rendered",
        lambda: rendered(evaluate(model_ward, today_ids, 2026)),
        repeat=3,
        describe=lambda chars: f"{chars:,} characters",
    )
    for count in (3, 30, len(today_ids)):
        with CaptureQueriesContext(connection) as queries:
            evaluate(model_ward, today_ids[:count], 2025)
        print(
            f"  queries for {count:>5,} communes (period 2025, rolled up): {len(queries)}",
            flush=True,
        )
