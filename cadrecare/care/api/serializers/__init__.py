"""Shapes of the care resources, one module per concern; the rules live in
care.services. Import from here.

Label fields of personal or sensitive values declare that level in
``Meta.levels`` so a label never shows what its value masks.
"""

from cadrecare.care.api.serializers.common import (
    read_only_on_update,
)
from cadrecare.care.api.serializers.family import (
    CadreConditionSerializer,
    CarePolicySerializer,
    FamilyEventSerializer,
    FamilyMemberSerializer,
)
from cadrecare.care.api.serializers.hardship import (
    CareDecisionSerializer,
    HardshipCaseSerializer,
    HardshipFirstContactInputSerializer,
    HardshipMeasureBriefSerializer,
    HardshipMeasureSerializer,
    HardshipReviewInputSerializer,
)
from cadrecare.care.api.serializers.reports import (
    CareSpendingRowSerializer,
    TransferCandidateSerializer,
)
from cadrecare.care.api.serializers.township import (
    FacilityGapSerializer,
    FacilitySerializer,
    MonthField,
    PostAllowanceSerializer,
)
from cadrecare.care.api.serializers.visits import (
    VisitObligationSerializer,
    VisitSerializer,
    VisitWaiveSerializer,
)

__all__ = [
    "CadreConditionSerializer",
    "CareDecisionSerializer",
    "CarePolicySerializer",
    "CareSpendingRowSerializer",
    "FacilityGapSerializer",
    "FacilitySerializer",
    "FamilyEventSerializer",
    "FamilyMemberSerializer",
    "HardshipCaseSerializer",
    "HardshipFirstContactInputSerializer",
    "HardshipMeasureBriefSerializer",
    "HardshipMeasureSerializer",
    "HardshipReviewInputSerializer",
    "MonthField",
    "PostAllowanceSerializer",
    "TransferCandidateSerializer",
    "VisitObligationSerializer",
    "VisitSerializer",
    "VisitWaiveSerializer",
    "read_only_on_update",
]
