"""Care endpoints, one module per concern: declarative viewsets on the scoped
base; writes hand the validated data to one service each. Import from here."""

from cadrecare.care.api.views.common import (
    MAX_EXPORT_ROWS,
    ExportMixin,
    RecordOnceMixin,
)
from cadrecare.care.api.views.family import (
    CadreConditionViewSet,
    CarePolicyViewSet,
    FamilyEventViewSet,
    FamilyMemberViewSet,
)
from cadrecare.care.api.views.hardship import (
    CareDecisionViewSet,
    HardshipCaseViewSet,
    HardshipMeasureViewSet,
)
from cadrecare.care.api.views.reports import (
    SPENDING_PARAMETERS,
    CareSpendingViewSet,
    TransferCandidateViewSet,
)
from cadrecare.care.api.views.township import (
    FacilityGapViewSet,
    FacilityViewSet,
    PostAllowanceViewSet,
)
from cadrecare.care.api.views.visits import (
    VisitObligationViewSet,
    VisitViewSet,
)

__all__ = [
    "CadreConditionViewSet",
    "CareDecisionViewSet",
    "CarePolicyViewSet",
    "CareSpendingViewSet",
    "ExportMixin",
    "FacilityGapViewSet",
    "FacilityViewSet",
    "FamilyEventViewSet",
    "FamilyMemberViewSet",
    "HardshipCaseViewSet",
    "HardshipMeasureViewSet",
    "MAX_EXPORT_ROWS",
    "PostAllowanceViewSet",
    "RecordOnceMixin",
    "SPENDING_PARAMETERS",
    "TransferCandidateViewSet",
    "VisitObligationViewSet",
    "VisitViewSet",
]
