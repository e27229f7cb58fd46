"""One router: every resource under /api/v1/, plural kebab-case."""

from rest_framework.routers import DefaultRouter

from cadrecare.audit.api import AuditEntryViewSet
from cadrecare.care.api.views import (
    CadreConditionViewSet,
    CareDecisionViewSet,
    CarePolicyViewSet,
    CareSpendingViewSet,
    FacilityGapViewSet,
    FacilityViewSet,
    FamilyEventViewSet,
    FamilyMemberViewSet,
    HardshipCaseViewSet,
    HardshipMeasureViewSet,
    PostAllowanceViewSet,
    TransferCandidateViewSet,
    VisitObligationViewSet,
    VisitViewSet,
)
from cadrecare.establishment.api.views import BorrowingViewSet, EstablishmentSlotViewSet
from cadrecare.health.api.views import (
    CheckupCampaignViewSet,
    CheckupDueViewSet,
    CheckupPolicyViewSet,
    CheckupViewSet,
    HealthArchiveViewSet,
)
from cadrecare.org.api.views import (
    CadreViewSet,
    OfficeViewSet,
    OrgUnitViewSet,
    PostChangeViewSet,
    RoleGrantViewSet,
    StaffingCheckViewSet,
    UserViewSet,
)
from cadrecare.oversight.api.views import FieldVisitViewSet, InterviewPlanViewSet, TransferReviewViewSet
from cadrecare.reminders.api.views import (
    DueItemViewSet,
    JobRunViewSet,
    NotificationViewSet,
    ReminderScheduleViewSet,
)
from cadrecare.rotation.api.views import (
    AbsenceViewSet,
    GenerationRunViewSet,
    HolidayYearViewSet,
    MissedRestViewSet,
    RecallViewSet,
    RestComplianceViewSet,
    RestConfirmationViewSet,
    RestRequestViewSet,
    RosterDayViewSet,
    RosterViewSet,
    RotationPolicyViewSet,
    SwapRequestViewSet,
)
from cadrecare.secondments.api.views import ExperienceViewSet, SecondmentViewSet
from cadrecare.selfservice.api.views import FamilyMemberChangeViewSet, HeartMessageViewSet, SelfReportViewSet
from cadrecare.talks.api.views import (
    CommendationViewSet,
    InterviewRoundViewSet,
    PetitionViewSet,
    RegularTalkViewSet,
    TalkPolicyViewSet,
    TalkRouteViewSet,
    TalkSummaryViewSet,
    TalkTriggerViewSet,
    TalkViewSet,
    TeamFlagViewSet,
)
from cadrecare.training.api.views import TrainingProgrammeViewSet

router = DefaultRouter()
router.register("org-units", OrgUnitViewSet, basename="org-unit")
router.register("offices", OfficeViewSet, basename="office")
router.register("cadres", CadreViewSet, basename="cadre")
router.register("post-changes", PostChangeViewSet, basename="post-change")
router.register("staffing-check", StaffingCheckViewSet, basename="staffing-check")
router.register("establishment", EstablishmentSlotViewSet, basename="establishment-slot")
router.register("establishment-borrowings", BorrowingViewSet, basename="establishment-borrowing")
router.register("users", UserViewSet, basename="user")
router.register("role-grants", RoleGrantViewSet, basename="role-grant")
router.register("audit-log", AuditEntryViewSet, basename="audit-entry")
router.register("holiday-years", HolidayYearViewSet, basename="holiday-year")
router.register("rotation-policies", RotationPolicyViewSet, basename="rotation-policy")
router.register("absences", AbsenceViewSet, basename="absence")
router.register("rest-requests", RestRequestViewSet, basename="rest-request")
router.register("due-items", DueItemViewSet, basename="due-item")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("job-runs", JobRunViewSet, basename="job-run")
router.register("reminder-schedules", ReminderScheduleViewSet, basename="reminder-schedule")
router.register("checkup-policies", CheckupPolicyViewSet, basename="checkup-policy")
router.register("health-checkups", CheckupViewSet, basename="health-checkup")
router.register("health-archives", HealthArchiveViewSet, basename="health-archive")
router.register("checkup-due", CheckupDueViewSet, basename="checkup-due")
router.register("checkup-campaigns", CheckupCampaignViewSet, basename="checkup-campaign")
router.register("talk-triggers", TalkTriggerViewSet, basename="talk-trigger")
router.register("talks", TalkViewSet, basename="talk")
router.register("commendations", CommendationViewSet, basename="commendation")
router.register("petitions", PetitionViewSet, basename="petition")
router.register("team-flags", TeamFlagViewSet, basename="team-flag")
router.register("interview-rounds", InterviewRoundViewSet, basename="interview-round")
router.register("regular-talks", RegularTalkViewSet, basename="regular-talk")
router.register("talk-summary", TalkSummaryViewSet, basename="talk-summary")
router.register("talk-routes", TalkRouteViewSet, basename="talk-route")
router.register("talk-policies", TalkPolicyViewSet, basename="talk-policy")
router.register("care-policies", CarePolicyViewSet, basename="care-policy")
router.register("family-members", FamilyMemberViewSet, basename="family-member")
router.register("family-events", FamilyEventViewSet, basename="family-event")
router.register("cadre-conditions", CadreConditionViewSet, basename="cadre-condition")
router.register("visit-obligations", VisitObligationViewSet, basename="visit-obligation")
router.register("visits", VisitViewSet, basename="visit")
router.register("hardship-cases", HardshipCaseViewSet, basename="hardship-case")
router.register("care-decisions", CareDecisionViewSet, basename="care-decision")
router.register("hardship-measures", HardshipMeasureViewSet, basename="hardship-measure")
router.register("transfer-candidates", TransferCandidateViewSet, basename="transfer-candidate")
router.register("care-spending", CareSpendingViewSet, basename="care-spending")
router.register("facilities", FacilityViewSet, basename="facility")
router.register("facility-gaps", FacilityGapViewSet, basename="facility-gap")
router.register("post-allowances", PostAllowanceViewSet, basename="post-allowance")
router.register("training-programmes", TrainingProgrammeViewSet, basename="training-programme")
router.register("transfer-reviews", TransferReviewViewSet, basename="transfer-review")
router.register("interview-plans", InterviewPlanViewSet, basename="interview-plan")
router.register("field-visits", FieldVisitViewSet, basename="field-visit")
router.register("rosters", RosterViewSet, basename="roster")
router.register("generation-runs", GenerationRunViewSet, basename="generation-run")
router.register("roster-days", RosterDayViewSet, basename="roster-day")
router.register("recalls", RecallViewSet, basename="recall")
router.register("swap-requests", SwapRequestViewSet, basename="swap-request")
router.register("rest-compliance", RestComplianceViewSet, basename="rest-compliance")
router.register("self-reports", SelfReportViewSet, basename="self-report")
router.register("family-member-changes", FamilyMemberChangeViewSet, basename="family-member-change")
router.register("messages", HeartMessageViewSet, basename="message")
router.register("missed-rest", MissedRestViewSet, basename="missed-rest")
router.register("rest-confirmations", RestConfirmationViewSet, basename="rest-confirmation")
router.register("secondments", SecondmentViewSet, basename="secondment")
router.register("experience", ExperienceViewSet, basename="experience")
