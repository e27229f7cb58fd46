"""Reads of the rest rotation: the policy in force, a unit's active cadres,
roster grids, swap requests and the rest-compliance report. One module per
concern; import from here, the modules are how the code is kept.
"""

from cadrecare.rotation.selectors.compliance import (
    RestComplianceColumns,
    rest_compliance_rows,
    rest_compliance_units,
    rest_taken_by_area,
    roster_states,
)
from cadrecare.rotation.selectors.grid import (
    GRID_CACHE_SECONDS,
    LEADER_ORDER,
    roster_grid,
    roster_grid_keyed,
    roster_on_duty,
)
from cadrecare.rotation.selectors.policy import (
    ROSTERED_STATUSES,
    county_bounds,
    policy_in_force,
    principal_leaders,
    rest_reducing_kinds,
    rostered_cadres,
)
from cadrecare.rotation.selectors.rest import (
    FEED_MONTHS_AHEAD,
    FEED_MONTHS_BACK,
    REPORTED_STATUSES,
    own_roster,
    published_rest_days,
    published_roster_days,
    rest_days_open_to_swap,
    rest_days_spent_away,
    rest_feed_live,
    roster_problem_for,
)
from cadrecare.rotation.selectors.rosters import (
    generation_item_latest,
    generation_run_list,
    recall_list,
    roster_cadres,
    roster_list,
    roster_of_month,
    roster_units,
    serving_secretary,
    stand_in_or_refuse,
    stand_in_post,
)
from cadrecare.rotation.selectors.swaps import swap_request_list, swap_request_queryset

__all__ = [
    "FEED_MONTHS_AHEAD",
    "FEED_MONTHS_BACK",
    "GRID_CACHE_SECONDS",
    "LEADER_ORDER",
    "REPORTED_STATUSES",
    "ROSTERED_STATUSES",
    "RestComplianceColumns",
    "county_bounds",
    "generation_item_latest",
    "generation_run_list",
    "own_roster",
    "policy_in_force",
    "principal_leaders",
    "published_rest_days",
    "published_roster_days",
    "recall_list",
    "rest_compliance_rows",
    "rest_compliance_units",
    "rest_days_open_to_swap",
    "rest_days_spent_away",
    "rest_feed_live",
    "rest_reducing_kinds",
    "rest_taken_by_area",
    "roster_cadres",
    "roster_grid",
    "roster_grid_keyed",
    "roster_list",
    "roster_of_month",
    "roster_on_duty",
    "roster_problem_for",
    "roster_states",
    "roster_units",
    "rostered_cadres",
    "serving_secretary",
    "stand_in_or_refuse",
    "stand_in_post",
    "swap_request_list",
    "swap_request_queryset",
]
