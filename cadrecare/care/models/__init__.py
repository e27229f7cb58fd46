"""Family care, visits, hardship help and township conditions (seed section
三(二) 亲情关怀/走访慰问/困难帮扶 and 三(三) 五小/岗位补贴).

Records are written through ``cadrecare.care.services``; the rules (deadlines,
owners, exactly-once recording) live there, the shapes and the last-line
database constraints here, one module per concern. Import from here: Django
finds the app's models through this module, which imports every one.
"""

from cadrecare.care.models.family import CadreCondition, FamilyEvent, FamilyMember, RecordedEvent
from cadrecare.care.models.hardship import CareDecision, HardshipCase, HardshipMeasure
from cadrecare.care.models.policy import CarePolicy
from cadrecare.care.models.township import Facility, PostAllowance
from cadrecare.care.models.visits import Visit, VisitObligation

__all__ = [
    "CadreCondition",
    "CareDecision",
    "CarePolicy",
    "Facility",
    "FamilyEvent",
    "FamilyMember",
    "HardshipCase",
    "HardshipMeasure",
    "PostAllowance",
    "RecordedEvent",
    "Visit",
    "VisitObligation",
]
