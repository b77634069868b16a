"""The four standings of a commune under a criteria set in one round.

A round is the set's assessment period that ends in a given year (the year of the dashboard's
date): what a province is working on that year, and what the roadmap counts for that year.
The commune's assessment of that round decides:

- ``recognised``: the assessment carries a recognition decision;
- ``qualifies``: it is locked (approved by the level above) and its result qualifies, with no
  recognition decision yet;
- ``in_progress``: there is an assessment of the round, and neither of the above holds (in
  self-assessment, under review, returned, or approved with a result that does not qualify);
- ``not_started``: no assessment of the round.

Every commune is in exactly one of the four: they partition the communes of a dashboard.

The database applies the rule (`case_sql`), in the query that finds the communes: the national
dashboard reads 3,321 of them, and converting their flags row by row in Python cost more than
the query (bench_dashboard).
"""

from enum import StrEnum

from django.db import connection

from kieumau.assessments.models import Recognition


class Standing(StrEnum):
    RECOGNISED = "recognised"
    QUALIFIES = "qualifies"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"


ORDER: tuple[Standing, ...] = tuple(Standing)


def case_sql(assessment: str) -> str:
    """The standing, as an SQL expression, of the commune whose assessment of the round is
    joined under the alias `assessment` (its columns NULL when it has none). The four values
    are this module's constants, written into the text."""
    recognition = connection.ops.quote_name(Recognition._meta.db_table)
    return (
        f"CASE WHEN {assessment}.id IS NULL THEN '{Standing.NOT_STARTED.value}'"
        f" WHEN EXISTS (SELECT 1 FROM {recognition} decided"
        f" WHERE decided.assessment_id = {assessment}.id) THEN '{Standing.RECOGNISED.value}'"
        f" WHEN {assessment}.is_locked AND {assessment}.qualifies"
        f" THEN '{Standing.QUALIFIES.value}'"
        f" ELSE '{Standing.IN_PROGRESS.value}' END"
    )
