"""Reads of the care records, one module per concern: the care policy in force
and obligation owners (``policy``), the marks other modules read (``marks``),
the querysets the endpoints list (``querysets``), the reports (``reports``)
and care spending (``spending``). Import from here; the modules are how the
code is kept, not an interface.

Public selectors other modules rely on:

- ``cadres_with_hardship(cadre_ids) -> set[int]``: cadres with an open or
  in-progress hardship case, the ``hardship`` flag of the rest-roster solver.

Visit obligations reach the reminders module only through the due-item
registry (``cadrecare/care/due.py``), the one place they are computed.
"""

from cadrecare.care.selectors.marks import (
    CONCERNING_CONCLUSIONS,
    cadres_with_hardship,
    cadres_with_health_concern,
)
from cadrecare.care.selectors.policy import (
    DEFAULT_DEATH_DAYS,
    DEFAULT_FAMILY_EVENT_DAYS,
    DEFAULT_FIRST_CONTACT_DAYS,
    DEFAULT_HARDSHIP_REVIEW_MONTHS,
    DEFAULT_ILLNESS_DAYS,
    DEFAULT_MESSAGE_ANSWER_DAYS,
    DEFAULT_SICK_LEAVE_DAYS,
    CarePolicyInForce,
    VisitOwner,
    care_policy_effective,
    sick_leave_crossed_on,
    visit_owner_for,
)
from cadrecare.care.selectors.querysets import (
    cadre_condition_queryset,
    care_decision_queryset,
    family_event_list,
    family_event_queryset,
    family_member_queryset,
    hardship_case_queryset,
    hardship_measure_queryset,
    post_allowance_queryset,
    visit_list,
    visit_obligation_queryset,
    visit_queryset,
)
from cadrecare.care.selectors.reports import (
    REMOTE_GRADES,
    UNRECORDED,
    care_counts_by_area,
    facility_gap_queryset,
    facility_gaps,
    transfer_candidate_queryset,
    transfer_candidates,
    visits_by_month,
    years_in_remote_townships,
)
from cadrecare.care.selectors.spending import (
    SPENDING_CATEGORIES,
    SPENDING_SOURCES,
    SpendingSource,
    care_spending,
    care_spending_items,
)

__all__ = [
    "CONCERNING_CONCLUSIONS",
    "DEFAULT_DEATH_DAYS",
    "DEFAULT_FAMILY_EVENT_DAYS",
    "DEFAULT_FIRST_CONTACT_DAYS",
    "DEFAULT_HARDSHIP_REVIEW_MONTHS",
    "DEFAULT_ILLNESS_DAYS",
    "DEFAULT_MESSAGE_ANSWER_DAYS",
    "DEFAULT_SICK_LEAVE_DAYS",
    "REMOTE_GRADES",
    "SPENDING_CATEGORIES",
    "SPENDING_SOURCES",
    "UNRECORDED",
    "CarePolicyInForce",
    "SpendingSource",
    "VisitOwner",
    "cadre_condition_queryset",
    "cadres_with_hardship",
    "cadres_with_health_concern",
    "care_counts_by_area",
    "care_decision_queryset",
    "care_policy_effective",
    "care_spending",
    "care_spending_items",
    "facility_gap_queryset",
    "facility_gaps",
    "family_event_list",
    "family_event_queryset",
    "family_member_queryset",
    "hardship_case_queryset",
    "hardship_measure_queryset",
    "post_allowance_queryset",
    "sick_leave_crossed_on",
    "transfer_candidate_queryset",
    "transfer_candidates",
    "visit_list",
    "visit_obligation_queryset",
    "visit_owner_for",
    "visit_queryset",
    "visits_by_month",
    "years_in_remote_townships",
]
