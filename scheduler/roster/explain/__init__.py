"""Why no roster exists, in sentences a township party secretary can act on.

Two stages.  `precheck` tests cheap necessary conditions before any search
(a pinned date on a blackout, a block that fits nowhere, more rest owed than
the duty ratio leaves room for...).  When CP-SAT still proves the problem
infeasible, `explain` first checks each cadre's own month (rules 1-3 and 8)
and then asks a relaxable model for a minimal set of rule groups (one rule
on one date, office, pair or cadre) that cannot hold together.

Every reason is Chinese first (the service is zh-hans), English after, and
names the roster-problem.md rule, the dates and the cadres or offices.
"""

from .conditions import forced_days, precheck
from .conflicts import RELAX_WORK, explain

__all__ = ["RELAX_WORK", "explain", "forced_days", "precheck"]
