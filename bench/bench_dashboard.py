"""The national and a province dashboard on the synthetic national data set, through the whole
server stack (middleware, session, selector, template or JSON), beside a hand-written SQL
aggregate of the same numbers on the same database.

Data: the indicator values of bench/synthetic.py (KIEUMAU_BENCH_MONTHS, KIEUMAU_BENCH_SCALE as for
bench_evaluation) and, written straight into the tables (bench data, not history), assessments of
every commune under Thông tư 124's commune set (it applies to all 3,321 communes of today's tree)
for the rounds ending in 2025 and 2026: most communes have one, in every stage, with a stored
result per criterion; some are recognised; some qualified in 2025 and missed a criterion in 2026;
and some have two in the 2026 round (a revision of the set moved the period), the earlier one
approved and qualifying, so that counting both, or the wrong one, gives other numbers.

Printed: p50 and p95 of the API answer, of the page and of its indicator trends (a fragment the
page loads after itself) for the ministry (3,321 communes, 34
provinces) and for Hà Nội's officer (126 communes), the raw SQL's p50/p95 and the ratio, and
whether the SQL finds the same numbers. Goal (not asserted): API p95 under 300 ms nationally and
within 2x the raw SQL.

The raw SQL applies the rules the API applies (a commune counts once, by its latest assessment of
the round), written two ways by hand: a NOT EXISTS of a later assessment, or a window ranking the
commune's assessments. Which is faster depends on the database (SQLite probes its index per
assessment quickly; PostgreSQL sorts once), so both are timed and the faster is the baseline.
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
REPEAT = int(os.environ.get("KIEUMAU_BENCH_REPEAT", "100"))  # a p95 of 30 is the 2nd worst
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
        if rng.random() < 0.03:  # a revision moved the period: an earlier assessment of the round
            start, end = criteria_set.period_ending_in(2026)
            rows.append(
                Assessment(
                    unit_id=unit_id, criteria_set=criteria_set, set_code=SET_CODE,
                    period_start=start - dt.timedelta(days=30),
                    period_end=end - dt.timedelta(days=30), workflow=flow, stage="approved",
                    is_locked=True, met_count=len(criteria), total_count=len(criteria),
                    qualifies=True, outcome_label="bench",
                )
            )
            plans.append([])
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


COMMUNES = """
WITH communes AS (
  SELECT p.unit_id FROM orgunits_placement p JOIN orgunits_orgunit u ON u.id = p.unit_id
  WHERE p.path LIKE %(path)s AND u.level = 'commune' AND u.kind IN ({kinds})
    AND (p.valid_from IS NULL OR p.valid_from <= %(day)s) AND (p.valid_to IS NULL OR p.valid_to >= %(day)s)
    AND (u.valid_from IS NULL OR u.valid_from <= %(day)s) AND (u.valid_to IS NULL OR u.valid_to >= %(day)s)
)"""

IN_ROUND = "a.set_code = %(set)s AND a.period_end >= %(start)s AND a.period_end <= %(end)s"

NO_LATER = """NOT EXISTS (
      SELECT 1 FROM assessments_assessment later
      WHERE later.unit_id = a.unit_id AND later.set_code = a.set_code
        AND later.period_end >= %(start)s AND later.period_end <= %(end)s
        AND (later.period_end > a.period_end OR (later.period_end = a.period_end AND later.id > a.id)))"""

COUNTS = """
SELECT (SELECT COUNT(*) FROM communes),
       SUM(CASE WHEN recognised THEN 1 ELSE 0 END),
       SUM(CASE WHEN NOT recognised AND is_locked AND qualifies THEN 1 ELSE 0 END),
       COUNT(*)
FROM this_round
"""

CRITERIA = """
SELECT k.code, k.title, COALESCE(unmet.n, 0)
FROM criteria_criterion k LEFT JOIN unmet ON unmet.code = k.code
WHERE k.criteria_set_id = %(set_id)s
ORDER BY k."order", k.id
"""

# (the standings' query, the unmet criteria's query) in each form: the latest assessment of the
# round of each commune found by NOT EXISTS of a later one, or by a window ranking them.
LATEST_FORMS = {
    "not exists": (
        COMMUNES + """, this_round AS (
  SELECT a.is_locked, a.qualifies,
         EXISTS (SELECT 1 FROM assessments_recognition r WHERE r.assessment_id = a.id) AS recognised
  FROM assessments_assessment a JOIN communes c ON c.unit_id = a.unit_id
  WHERE """ + IN_ROUND + " AND " + NO_LATER + ")" + COUNTS,
        COMMUNES + """, unmet AS (
  SELECT c.code, COUNT(*) AS n
  FROM assessments_criterionjudgement j
  JOIN assessments_assessment a ON a.id = j.assessment_id
  JOIN communes m ON m.unit_id = a.unit_id
  JOIN criteria_criterion c ON c.id = j.criterion_id
  WHERE j.computed_status = 'not_met' AND """ + IN_ROUND + " AND " + NO_LATER + """
  GROUP BY c.code
)""" + CRITERIA,
    ),
    "window": (
        COMMUNES + """, ranked AS (
  SELECT a.id, a.is_locked, a.qualifies,
         ROW_NUMBER() OVER (PARTITION BY a.unit_id ORDER BY a.period_end DESC, a.id DESC) AS nth
  FROM assessments_assessment a JOIN communes c ON c.unit_id = a.unit_id
  WHERE """ + IN_ROUND + """
), this_round AS (
  SELECT is_locked, qualifies,
         EXISTS (SELECT 1 FROM assessments_recognition r WHERE r.assessment_id = ranked.id) AS recognised
  FROM ranked WHERE nth = 1
)""" + COUNTS,
        COMMUNES + """, ranked AS (
  SELECT a.id, ROW_NUMBER() OVER (PARTITION BY a.unit_id ORDER BY a.period_end DESC, a.id DESC) AS nth
  FROM assessments_assessment a JOIN communes c ON c.unit_id = a.unit_id
  WHERE """ + IN_ROUND + """
), unmet AS (
  SELECT c.code, COUNT(*) AS n
  FROM ranked t
  JOIN assessments_criterionjudgement j ON j.assessment_id = t.id AND j.computed_status = 'not_met'
  JOIN criteria_criterion c ON c.id = j.criterion_id
  WHERE t.nth = 1
  GROUP BY c.code
)""" + CRITERIA,
    ),
}

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


def raw_figures(*, code: str, latest: str) -> dict:
    """Every number the API answers, by hand-written SQL from the same inputs (the unit's code,
    the set's code, the date): the unit and its place in the tree, the version of the set, the
    standings, each criterion with its title and how many communes have it unmet, the overdue
    recommendations. No scope: the user sees the subtree. `latest`: a key of LATEST_FORMS."""
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
        values = {"path": path + "%", "day": AS_OF, "set": SET_CODE, "start": start, "end": end,
                  "set_id": set_id, **{f"kind{i}": kind for i, kind in enumerate(kinds)}}
        marks = ", ".join(f"%(kind{i})s" for i in range(len(kinds)))
        standings, unmet = LATEST_FORMS[latest]
        cursor.execute(standings.format(kinds=marks), values)
        communes, recognised, qualifies, assessed = cursor.fetchone()
        cursor.execute(unmet.format(kinds=marks), values)
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
            "not_started": communes - assessed,
        },
        "criteria": sorted(  # most often unmet first, the set's order among equals
            ({"code": c, "title": t, "unmet": n} for c, t, n in criteria), key=lambda r: -r["unmet"]
        ),
        "overdue_recommendations": overdue,
    }


def percentiles(fn, repeat: int = REPEAT) -> tuple[float, float, object]:
    return interleaved({"only": fn}, repeat)["only"]


def interleaved(fns: dict, repeat: int = REPEAT) -> dict[str, tuple[float, float, object]]:
    """p50, p95 and last result of each function, called in turn `repeat` times after a warm-up
    (caches: the map's coordinates, compiled templates). Taking turns spreads whatever else the
    machine does (autovacuum after the bulk load) over all of them, which a ratio needs."""
    for fn in fns.values():
        fn()
    seconds = {name: [] for name in fns}
    results = {}
    for _ in range(repeat):
        for name, fn in fns.items():
            started = time.perf_counter()
            results[name] = fn()
            seconds[name].append(time.perf_counter() - started)
    figures = {}
    for name, taken in seconds.items():
        taken.sort()
        p95 = taken[min(len(taken) - 1, round(0.95 * (len(taken) - 1)))]
        figures[name] = (statistics.median(taken), p95, results[name])
    return figures


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
        timed("planner statistics (PostgreSQL: VACUUM ANALYZE; SQLite: ANALYZE)", analyze)

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

        timed_together = interleaved({
            "api": api,
            **{form: lambda unit=unit, form=form: raw_figures(code=unit.code, latest=form)
               for form in LATEST_FORMS},
        })
        api_p50, api_p95, answer = timed_together.pop("api")
        forms = timed_together
        page_p50, page_p95, size = percentiles(page, repeat=max(5, REPEAT // 3))
        trend_p50, trend_p95, _none = percentiles(trends, repeat=5)
        print(f"  {label}: {answer['communes']:,} communes {answer['by_standing']}", flush=True)
        for form, (p50, p95, raw) in forms.items():
            same = all(raw[key] == answer[key] for key in raw)
            print(f"    raw SQL ({form + ')':<12} p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms"
                  f"  same numbers as the API: {'yes' if same else 'NO'}")
        fastest = min(forms, key=lambda form: forms[form][0])
        sql_p50, sql_p95, _raw = forms[fastest]
        print(f"    API (whole stack)       p50 {api_p50 * 1000:7.1f} ms  p95 {api_p95 * 1000:7.1f} ms"
              f"  ratio to the faster SQL ({fastest}) p50 {api_p50 / sql_p50:4.1f}x,"
              f" p95 {api_p95 / sql_p95:4.1f}x")
        print(f"    page (charts' tables, drill-down, map; {size / 1024:.0f} KiB)"
              f" p50 {page_p50 * 1000:7.1f} ms  p95 {page_p95 * 1000:7.1f} ms")
        print(f"    indicator trends (loaded after the page, 24 months of values)"
              f" p50 {trend_p50 * 1000:7.1f} ms  p95 {trend_p95 * 1000:7.1f} ms", flush=True)
