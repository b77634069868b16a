"""The four standings of a commune under a criteria set in one round; no Django.

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
"""

from enum import StrEnum


class Standing(StrEnum):
    RECOGNISED = "recognised"
    QUALIFIES = "qualifies"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"


ORDER: tuple[Standing, ...] = tuple(Standing)


def standing_of(
    *, assessed: bool, recognised: bool = False, locked: bool = False, qualifies: bool | None = None
) -> Standing:
    if not assessed:
        return Standing.NOT_STARTED
    if recognised:
        return Standing.RECOGNISED
    if locked and qualifies is True:
        return Standing.QUALIFIES
    return Standing.IN_PROGRESS

