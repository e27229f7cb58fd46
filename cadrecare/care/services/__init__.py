"""Writes of the care records, one module per concern: care policies, family
members, events and a cadre's illness or death, visit obligations and visits,
hardship cases, measures and care decisions, township allowances and
facilities.

Every function is keyword-only, owns its transaction and takes ``today``
(default: Asia/Shanghai today) so tests control the clock. Each write ends in
``common.written``: the record's placement checked for the actor, then its one
audit row, so the API, the workbench and the self-service confirmations that
call these leave the same trail, and a refused write none. Import from here;
the modules are how the code is kept, not an interface.

Hook for other modules: ``family_event_listeners`` (``family``) is a list of
callbacks ``(FamilyEvent) -> None`` run inside the recording transaction, once
per event; the talks module appends its ``family_event`` must-talk trigger there.
"""

from cadrecare.care.services.family import (
    ONE_LIVING,
    PARENTS,
    PHONE,
    cadre_condition_record,
    family_event_listeners,
    family_event_record,
    family_event_update,
    family_member_create,
    family_member_delete,
    family_member_problems,
    family_member_update,
    one_living_problem,
)
from cadrecare.care.services.hardship import (
    TRIGGER_REASON,
    care_decision_record,
    hardship_case_create,
    hardship_case_review,
    hardship_case_update,
    hardship_first_contact_record,
    hardship_measure_add,
    hardship_measure_update,
)
from cadrecare.care.services.policy import (
    CARE_POLICY_LIMITS,
    care_policy_delete,
    care_policy_save,
)
from cadrecare.care.services.township import (
    facility_delete,
    facility_save,
    month_end,
    post_allowance_checked,
    post_allowance_delete,
    post_allowance_pay,
    post_allowance_save,
)
from cadrecare.care.services.visits import (
    visit_obligation_create,
    visit_obligation_update,
    visit_obligation_waive,
    visit_record,
    visit_update,
    visits_end_with_service,
)

__all__ = [
    "CARE_POLICY_LIMITS",
    "ONE_LIVING",
    "PARENTS",
    "PHONE",
    "TRIGGER_REASON",
    "cadre_condition_record",
    "care_decision_record",
    "care_policy_delete",
    "care_policy_save",
    "facility_delete",
    "facility_save",
    "month_end",
    "family_event_listeners",
    "family_event_record",
    "family_event_update",
    "family_member_create",
    "family_member_delete",
    "family_member_problems",
    "family_member_update",
    "hardship_case_create",
    "hardship_case_review",
    "hardship_case_update",
    "hardship_first_contact_record",
    "hardship_measure_add",
    "hardship_measure_update",
    "one_living_problem",
    "post_allowance_checked",
    "post_allowance_delete",
    "post_allowance_pay",
    "post_allowance_save",
    "visit_obligation_create",
    "visit_obligation_update",
    "visit_obligation_waive",
    "visit_record",
    "visit_update",
    "visits_end_with_service",
]
