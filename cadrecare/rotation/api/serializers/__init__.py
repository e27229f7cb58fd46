"""Shapes of the rest-rotation resources, one module per concern; the rules
live in rotation.services. Import from here."""

from cadrecare.rotation.api.serializers.calendar import (
    HolidayDaySerializer,
    HolidayRowSerializer,
    HolidayYearLoadSerializer,
    HolidayYearPreviewSerializer,
    HolidayYearSerializer,
    LabelOf,
    PreviewChangeSerializer,
    PreviewDaySerializer,
    PreviewDiffSerializer,
    PreviewRenamedSerializer,
    PreviewRosterSerializer,
)
from cadrecare.rotation.api.serializers.common import (
    MonthField,
)
from cadrecare.rotation.api.serializers.policies import (
    RotationPolicySerializer,
)
from cadrecare.rotation.api.serializers.records import (
    AbsenceSerializer,
    RecallSerializer,
    RestRequestSerializer,
)
from cadrecare.rotation.api.serializers.rest import (
    MissedRestSerializer,
    MissedRestTakenSerializer,
    RestComplianceSerializer,
    RestComplianceUnitSerializer,
    RestConfirmationInputSerializer,
    RestConfirmationResolveSerializer,
    RestConfirmationSerializer,
    SwapDecisionSerializer,
    SwapRequestCreateSerializer,
    SwapRequestSerializer,
)
from cadrecare.rotation.api.serializers.rosters import (
    GenerationItemSerializer,
    GenerationRunSerializer,
    PublishSerializer,
    RegenerateSerializer,
    RosterDayListSerializer,
    RosterDaySerializer,
    RosterEditSerializer,
    RosterSerializer,
)

__all__ = [
    "AbsenceSerializer",
    "GenerationItemSerializer",
    "GenerationRunSerializer",
    "HolidayDaySerializer",
    "HolidayRowSerializer",
    "HolidayYearLoadSerializer",
    "HolidayYearPreviewSerializer",
    "HolidayYearSerializer",
    "LabelOf",
    "MissedRestSerializer",
    "MissedRestTakenSerializer",
    "MonthField",
    "PreviewChangeSerializer",
    "PreviewDaySerializer",
    "PreviewDiffSerializer",
    "PreviewRenamedSerializer",
    "PreviewRosterSerializer",
    "PublishSerializer",
    "RecallSerializer",
    "RegenerateSerializer",
    "RestComplianceSerializer",
    "RestComplianceUnitSerializer",
    "RestConfirmationInputSerializer",
    "RestConfirmationResolveSerializer",
    "RestConfirmationSerializer",
    "RestRequestSerializer",
    "RosterDayListSerializer",
    "RosterDaySerializer",
    "RosterEditSerializer",
    "RosterSerializer",
    "RotationPolicySerializer",
    "SwapDecisionSerializer",
    "SwapRequestCreateSerializer",
    "SwapRequestSerializer",
]
