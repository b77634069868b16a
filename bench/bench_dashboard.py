"""The national and a province dashboard on the synthetic national data set, through the whole
server stack (middleware, session, selector, template or JSON), beside a hand-written SQL
aggregate of the same numbers on the same database.

Data: the indicator values of bench/synthetic.py (KIEUMAU_BENCH_MONTHS, KIEUMAU_BENCH_SCALE as for
bench_evaluation) and, written straight into the tables (bench data, not history), assessments of
every commune under Thông tư 124's commune set (it applies to all 3,321 communes of today's tree)
for the rounds ending in 2025 and 2026: most communes have one, in every stage, with a stored
result per criterion; some are recognised; some qualified in 2025 and missed a criterion in 2026.

Printed: p50 and p95 of the API answer, of the page and of its indicator trends (a fragment the
page loads after itself) for the ministry (3,321 communes, 34
provinces) and for Hà Nội's officer (126 communes), the raw SQL's p50/p95 and the ratio, and
whether the SQL finds the same numbers. Goal (not asserted): API p95 under 300 ms nationally and
within 2x the raw SQL.
"""

import datetime as dt
import os
import random
import statistics
import time

import synthetic
from harness import analyze, ensure_tree, timed

AS_OF = dt.date(2026, 11, 23)
SET_CODE = "tt124-xa"
PROVINCE = "01"  # Hà Nội
REPEAT = int(os.environ.get("KIEUMAU_BENCH_REPEAT", "30"))
SEED = 2026


def make_assessments() -> str:
    """Assessments of the 2025 and 2026 rounds for today's communes, with judgements and
    recognitions, in a few bulk inserts."""
    from django.db import transaction

    from kieumau.assessments.models import Assessment, CriterionJudgement, Recognition
    from kieumau.assessments.workflow import default_workflow
    from kieumau.criteria.models import CriteriaSet
    from kieumau.orgunits import tree
    from kieumau.orgunits.models import OrgUnit

    rng = random.Random(SEED)
    criteria_set = CriteriaSet.objects.filter(code=SET_CODE).order_by("-year", "-revision").first()
    criteria = list(criteria_set.criteria.order_by("order", "pk"))
    flow = default_workflow()
    communes = list(
        tree.units_on(units=OrgUnit.objects.filter(level="commune"), day=AS_OF).values_list(
            "pk", flat=True
        )
    )
    rows, plans = [], []
    for unit_id in communes:
        for year in (2025, 2026):
            if rng.random() < (0.6 if year == 2025 else 0.8):
                start, end = criteria_set.period_ending_in(year)
                stage = rng.choices(
                    ["draft", "submitted", "returned", "approved", "recognised"],
                    weights=[3, 2, 1, 3, 2] if year == 2026 else [0, 0, 0, 4, 3],
                )[0]
                unmet = [c.pk for c in criteria if rng.random() < 0.08]
                locked = stage in ("approved", "recognised")
                if stage == "recognised":
                    unmet = []
                rows.append(
                    Assessment(
                        unit_id=unit_id, criteria_set=criteria_set, set_code=SET_CODE,
                        period_start=start, period_end=end, workflow=flow, stage=stage,
                        is_locked=locked, met_count=len(criteria) - len(unmet),
                        total_count=len(criteria), qualifies=not unmet,
                        outcome_label="bench",
                    )
                )
                plans.append(unmet)
    with transaction.atomic():
        Assessment.objects.bulk_create(rows, batch_size=2000)
        judgements, recognitions = [], []
        for assessment, unmet in zip(rows, plans, strict=True):
            for criterion in criteria:
                status = "not_met" if criterion.pk in unmet else "met"
                judgements.append(
                    CriterionJudgement(
                        assessment=assessment, criterion=criterion, computed_status=status
                    )
                )
            if assessment.stage == "recognised":
                recognitions.append(
                    Recognition(
                        assessment=assessment, decision_number="1/QĐ-BENCH",
                        decision_date=dt.date(assessment.period_end.year, 12, 20),
                        issuing_body="bench",
                    )
                )
        CriterionJudgement.objects.bulk_create(judgements, batch_size=5000)
        Recognition.objects.bulk_create(recognitions, batch_size=2000)
    return f"{len(rows):,} assessments, {len(judgements):,} judgements, {len(recognitions):,} recognitions"


RAW_COUNTS = """
WITH communes AS (
  SELECT p.unit_id FROM orgunits_placement p JOIN orgunits_orgunit u ON u.id = p.unit_id
  WHERE p.path LIKE %s AND u.level = 'commune' AND u.kind IN ({kinds})
    AND (p.valid_from IS NULL OR p.valid_from <= %s) AND (p.valid_to IS NULL OR p.valid_to >= %s)
    AND (u.valid_from IS NULL OR u.valid_from <= %s) AND (u.valid_to IS NULL OR u.valid_to >= %s)
), this_round AS (
  SELECT a.id, a.is_locked, a.qualifies,
         EXISTS (SELECT 1 FROM assessments_recognition r WHERE r.assessment_id = a.id) AS recognised
  FROM assessments_assessment a JOIN communes c ON c.unit_id = a.unit_id
  WHERE a.set_code = %s AND a.period_end >= %s AND a.period_end <= %s
)
SELECT (SELECT COUNT(*) FROM communes),
       SUM(CASE WHEN recognised THEN 1 ELSE 0 END),
       SUM(CASE WHEN NOT recognised AND is_locked AND qualifies THEN 1 ELSE 0 END),
       COUNT(*),
       (SELECT COUNT(*) FROM communes) - COUNT(*)
FROM this_round
"""

RAW_CRITERIA = """
WITH communes AS (
  SELECT p.unit_id FROM orgunits_placement p JOIN orgunits_orgunit u ON u.id = p.unit_id
  WHERE p.path LIKE %s AND u.level = 'commune' AND u.kind IN ({kinds})
    AND (p.valid_from IS NULL OR p.valid_from <= %s) AND (p.valid_to IS NULL OR p.valid_to >= %s)
    AND (u.valid_from IS NULL OR u.valid_from <= %s) AND (u.valid_to IS NULL OR u.valid_to >= %s)
), unmet AS (
  SELECT c.code, COUNT(DISTINCT j.assessment_id) AS n
  FROM assessments_criterionjudgement j
  JOIN assessments_assessment a ON a.id = j.assessment_id
  JOIN communes m ON m.unit_id = a.unit_id
  JOIN criteria_criterion c ON c.id = j.criterion_id
  WHERE a.set_code = %s AND a.period_end >= %s AND a.period_end <= %s
    AND j.computed_status = 'not_met'
  GROUP BY c.code
)
SELECT k.code, k.title, COALESCE(unmet.n, 0)
FROM criteria_criterion k LEFT JOIN unmet ON unmet.code = k.code
WHERE k.criteria_set_id = %s
ORDER BY k."order", k.id
"""

RAW_UNIT = """
SELECT u.id, p.path FROM orgunits_orgunit u JOIN orgunits_placement p ON p.unit_id = u.id
WHERE u.code = %s
  AND (u.valid_from IS NULL OR u.valid_from <= %s) AND (u.valid_to IS NULL OR u.valid_to >= %s)
  AND (p.valid_from IS NULL OR p.valid_from <= %s) AND (p.valid_to IS NULL OR p.valid_to >= %s)
"""

RAW_VERSION = """
SELECT id, version, applies_to_kinds, period_start_day, period_start_month, period_months
FROM criteria_criteriaset WHERE code = %s AND status <> 'draft' AND year <= %s
ORDER BY year DESC, revision DESC LIMIT 1
"""

RAW_OVERDUE = """
SELECT COUNT(*) FROM inspections_recommendation r
JOIN orgunits_reach x ON x.unit_id = r.unit_id
WHERE x.ancestor_id = %s AND r.status IN ('open', 'in_progress') AND r.due_on < %s
"""


def raw_figures(*, code: str) -> dict:
    """Every number the API answers, by hand-written SQL from the same inputs (the unit's code,
    the set's code, the date): the unit and its place in the tree, the version of the set, the
    standings, each criterion with its title and how many communes have it unmet, the overdue
    recommendations. No scope: the user sees the subtree."""
    import json

    from django.db import connection

    from kieumau.criteria.models import CriteriaSet
    from kieumau.dashboards.selectors import round_of

    day = [AS_OF] * 4
    with connection.cursor() as cursor:
        cursor.execute(RAW_UNIT, [code, *day])
        unit_id, path = cursor.fetchone()
        cursor.execute(RAW_VERSION, [SET_CODE, AS_OF.year])
        set_id, version, kinds, start_day, start_month, months = cursor.fetchone()
        kinds = json.loads(kinds) if isinstance(kinds, str) else kinds
        start, end = round_of(CriteriaSet(period_start_day=start_day, period_start_month=start_month,
                                          period_months=months), AS_OF)
        marks = ", ".join(["%s"] * len(kinds))
        common = [path + "%", *kinds, *day, SET_CODE, start, end]
        cursor.execute(RAW_COUNTS.format(kinds=marks), common)
        communes, recognised, qualifies, assessed, not_started = cursor.fetchone()
        cursor.execute(RAW_CRITERIA.format(kinds=marks), [*common, set_id])
        criteria = cursor.fetchall()
        cursor.execute(RAW_OVERDUE, [unit_id, AS_OF])
        (overdue,) = cursor.fetchone()
    assessed = assessed or 0
    return {
        "version": version,
        "communes": communes,
        "by_standing": {
            "recognised": recognised or 0,
            "qualifies": qualifies or 0,
            "in_progress": assessed - (recognised or 0) - (qualifies or 0),
            "not_started": not_started,
        },
        "criteria": sorted(  # most often unmet first, the set's order among equals
            ({"code": c, "title": t, "unmet": n} for c, t, n in criteria), key=lambda r: -r["unmet"]
        ),
        "overdue_recommendations": overdue,
    }


def percentiles(fn, repeat: int = REPEAT) -> tuple[float, float, object]:
    fn()  # warm-up (caches: the map's coordinates, compiled templates)
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    return statistics.median(seconds), p95, result


def run() -> None:
    from django.conf import settings
    from django.test import Client

    from kieumau.accounts.models import Role
    from kieumau.accounts.services import create_user
    from kieumau.criteria.loading import ensure_indicator_catalogue, load_catalog
    from kieumau.orgunits import tree
    from kieumau.orgunits.models import OrgUnit

    ensure_tree()
    ensure_indicator_catalogue()
    load_catalog()
    months = int(os.environ.get("KIEUMAU_BENCH_MONTHS", "60"))
    scale = float(os.environ.get("KIEUMAU_BENCH_SCALE", "1"))
    from kieumau.assessments.models import Assessment

    print(f"  synthetic data set: {months} months, scale {scale:g}", flush=True)
    if os.environ.get("KIEUMAU_BENCH_REUSE") == "1" and Assessment.objects.exists():
        print("  (KIEUMAU_BENCH_REUSE=1: the data already in this database is used)")
    else:
        timed("generate the synthetic national data set",
              lambda: synthetic.generate(months=months, scale=scale), describe=str)
        timed("assessments of the 2025 and 2026 rounds (bulk)", make_assessments, describe=str)
        timed("ANALYZE (PostgreSQL only)", analyze)

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # no collectstatic
    units = OrgUnit.objects.all()
    nation = tree.unit_by_code(units=units, code="BCA", as_of=AS_OF)
    province = tree.unit_by_code(units=units, code=PROVINCE, as_of=AS_OF)
    def person(username, role, home):
        from kieumau.accounts.models import User

        found = User.objects.filter(username=username).first()
        return found or create_user(username=username, password="bench-pass-123", role=role,
                                    home_unit=home)

    people = {
        "national": person("bench-bo", Role.MINISTRY_ADMIN, nation),
        f"province {PROVINCE}": person("bench-tinh", Role.PROVINCE_OFFICER, province),
    }
    query = f"as_of={AS_OF.isoformat()}&set={SET_CODE}"
    import kieumau.wsgi  # noqa: F401 - loaded as the server loads it (see its gc.freeze)

    for label, user in people.items():
        unit = user.home_unit
        client = Client()
        client.force_login(user)

        def api(unit=unit, client=client):
            response = client.get(f"/api/orgunits/{unit.code}/dashboard?{query}")
            assert response.status_code == 200, response.content[:300]
            return response.json()

        def page(unit=unit, client=client):
            response = client.get(f"/dashboards/{unit.code}/?{query}")
            assert response.status_code == 200
            return len(response.content)

        def trends(unit=unit, client=client):
            response = client.get(f"/dashboards/{unit.code}/trends/?{query}")
            assert response.status_code == 200

        sql_p50, sql_p95, raw = percentiles(lambda unit=unit: raw_figures(code=unit.code))
        api_p50, api_p95, answer = percentiles(api)
        page_p50, page_p95, size = percentiles(page, repeat=max(5, REPEAT // 3))
        trend_p50, trend_p95, _none = percentiles(trends, repeat=5)
        same = all(raw[key] == answer[key] for key in raw)
        print(f"  {label}: {answer['communes']:,} communes {answer['by_standing']}", flush=True)
        print(f"    raw SQL aggregate       p50 {sql_p50 * 1000:7.1f} ms  p95 {sql_p95 * 1000:7.1f} ms"
              f"  same numbers as the API: {'yes' if same else 'NO'}")
        print(f"    API (whole stack)       p50 {api_p50 * 1000:7.1f} ms  p95 {api_p95 * 1000:7.1f} ms"
              f"  ratio to SQL p50 {api_p50 / sql_p50:4.1f}x, p95 {api_p95 / sql_p95:4.1f}x")
        print(f"    page (charts' tables, drill-down, map; {size / 1024:.0f} KiB)"
              f" p50 {page_p50 * 1000:7.1f} ms  p95 {page_p95 * 1000:7.1f} ms")
        print(f"    indicator trends (loaded after the page, 24 months of values)"
              f" p50 {trend_p50 * 1000:7.1f} ms  p95 {trend_p95 * 1000:7.1f} ms", flush=True)
