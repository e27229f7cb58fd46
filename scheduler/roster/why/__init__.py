"""Why a roster is as it is, in sentences a township party secretary can read
out to a cadre who asks "why these days?" or to the county that asks "why so
few on duty on the 6th?".

Pure, like the rest of the library: a `Month` and the roster's rest days in,
facts and sentences out, Chinese first and English after, as the reasons of
`explain/`. Cadre ids (`c12`) stand in the sentences for names; the service
puts the names in.

A wish the roster does not honour is explained by trying the one change that
would have honoured it: moving one of the cadre's own rest blocks over the
date (or off it), everybody else's days kept. When such a move keeps every
hard rule, the answer is what it would cost in the quality metrics of
roster-problem.md, compared in their order of importance; when none does, the
answer is the rules every such move breaks.
"""

from .cadre import why_cadre
from .date import why_date
from .facts import (
    HIGHER_IS_BETTER,
    METRIC_NAMES,
    MODE_NAMES,
    CadreWhy,
    DateWhy,
    MetricChange,
    Note,
    OfficeDay,
    Verdict,
    Wish,
)
from .metrics import change_note, metric_changes, overall
from .wishes import TRIALS_PER_CADRE

__all__ = [
    "HIGHER_IS_BETTER",
    "METRIC_NAMES",
    "MODE_NAMES",
    "TRIALS_PER_CADRE",
    "CadreWhy",
    "DateWhy",
    "MetricChange",
    "Note",
    "OfficeDay",
    "Verdict",
    "Wish",
    "change_note",
    "metric_changes",
    "overall",
    "why_cadre",
    "why_date",
]
