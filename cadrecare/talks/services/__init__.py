"""Writes on the six must-talks: raising triggers from their source events
exactly once, recording the source events, holding talks and interviews.

Every function is keyword-only, owns its transaction and takes ``today`` so
tests control the clock (default: cadrecare.core.clock.today()).

One module per concern: who talks with whom and by when, triggers, what ends
with a cadre's service, the source events recorded here, talks, interviews.
Import from here; the modules are how the code is kept.
"""

from cadrecare.talks.services.config import (
    MAX_CADENCE_MONTHS,
    MAX_DUE_DAYS,
    talk_due_days_set,
    talk_route_delete,
    talk_route_save,
)
from cadrecare.talks.services.ending import interview_items_end_on_move, talk_items_end_with_service
from cadrecare.talks.services.interviews import interview_round_plan, interview_round_update
from cadrecare.talks.services.sources import (
    COMMENDATION_CORRECTABLE,
    commendation_record,
    commendation_update,
    petition_record,
    petition_update,
    team_flag_record,
    team_flag_update,
)
from cadrecare.talks.services.talks import (
    speaks_for_org_department,
    talk_follow_up_close,
    talk_listeners,
    talk_record,
    talk_update,
)
from cadrecare.talks.services.triggers import (
    talk_trigger_create,
    talk_trigger_for_family_event,
    talk_trigger_for_post_change,
    talk_trigger_for_recorded_family_event,
    talk_trigger_raise,
    talk_trigger_update,
    talk_trigger_waive,
)

__all__ = [
    "COMMENDATION_CORRECTABLE",
    "MAX_CADENCE_MONTHS",
    "MAX_DUE_DAYS",
    "commendation_record",
    "commendation_update",
    "interview_items_end_on_move",
    "interview_round_plan",
    "interview_round_update",
    "petition_record",
    "petition_update",
    "speaks_for_org_department",
    "talk_due_days_set",
    "talk_follow_up_close",
    "talk_items_end_with_service",
    "talk_listeners",
    "talk_record",
    "talk_route_delete",
    "talk_route_save",
    "talk_trigger_create",
    "talk_trigger_for_family_event",
    "talk_trigger_for_post_change",
    "talk_trigger_for_recorded_family_event",
    "talk_trigger_raise",
    "talk_trigger_update",
    "talk_trigger_waive",
    "talk_update",
    "team_flag_record",
    "team_flag_update",
]
