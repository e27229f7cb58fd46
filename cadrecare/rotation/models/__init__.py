"""The rest rotation (轮休, seed section 三): the public-holiday calendar, each
unit's rotation policy, cadres' absences and rest requests, recalls, and the
monthly rosters with the generation runs that produce them.

The rules themselves are fixed in ``docs/roster-format.md`` (exchange format
v1); ``cadrecare.rotation.problem`` turns these rows into that format and
``scheduler.roster`` solves it.

One module per concern; every model is imported here, where Django and the
rest of the code find them.
"""

from cadrecare.rotation.models.absences import Absence, Recall, RestRequest
from cadrecare.rotation.models.calendar import HolidayDay, HolidayYear
from cadrecare.rotation.models.generation import GenerationItem, GenerationRun
from cadrecare.rotation.models.policy import DEFAULT_MIN_ON_DUTY_RATIO, RotationPolicy, reducing_kinds_default
from cadrecare.rotation.models.rest import MissedRest, RestConfirmation, RestFeed
from cadrecare.rotation.models.rosters import Roster, RosterDay, RosterEntitlement, RosterVersion
from cadrecare.rotation.models.swaps import SwapRequest

__all__ = [
    "DEFAULT_MIN_ON_DUTY_RATIO",
    "Absence",
    "GenerationItem",
    "GenerationRun",
    "HolidayDay",
    "HolidayYear",
    "MissedRest",
    "Recall",
    "RestConfirmation",
    "RestFeed",
    "RestRequest",
    "Roster",
    "RosterDay",
    "RosterEntitlement",
    "RosterVersion",
    "RotationPolicy",
    "SwapRequest",
    "reducing_kinds_default",
]
