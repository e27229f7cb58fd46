"""Every API resource as a case of the authorisation matrix.

Each case says how to make a record in scope (township A1, about cadre A1, so
the cadre role reaches it too), a record out of scope for township A1's people
(township B1) and a valid payload creating a record in township A1. The
matrix (tests/cadrecare/test_access_matrix.py) expects what
cadrecare.org.access.ACCESS says; a new resource joins by adding a case here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from cadrecare.audit.models import AuditEntry
from cadrecare.care import services as care
from cadrecare.care.models import CarePolicy, HardshipMeasure, Visit
from cadrecare.core import clock
from cadrecare.establishment.models import EstablishmentSlot
from cadrecare.establishment.services import borrowing_record
from cadrecare.health.services import campaign_plan
from cadrecare.org.choices import LeaderPost, PostChangeKind, Rank, Role, UnitKind
from cadrecare.org.models import Cadre, RoleGrant
from cadrecare.org.rules import citizen_id_compose
from cadrecare.org.services import post_change_record
from cadrecare.oversight.models import FieldVisit, InterviewPlan, TransferReview
from cadrecare.reminders.choices import Stage
from cadrecare.reminders.models import JobRun, Notice, ReminderSchedule
from cadrecare.rotation.choices import (
    AbsenceKind,
    CalendarStatus,
    DayKind,
    Mode,
    RequestKind,
    RosterStatus,
    SwapStatus,
)
from cadrecare.rotation.models import (
    Absence,
    GenerationRun,
    HolidayYear,
    MissedRest,
    Recall,
    RestConfirmation,
    RestRequest,
    Roster,
    RosterDay,
    RosterEntitlement,
    RosterVersion,
    RotationPolicy,
    SwapRequest,
)
from cadrecare.rotation.services import absence_save
from cadrecare.secondments.choices import SecondmentKind
from cadrecare.secondments.services import secondment_start
from cadrecare.selfservice.choices import ReportKind
from cadrecare.selfservice.models import FamilyMemberChange, HeartMessage, SelfReport
from cadrecare.talks.choices import TalkeeGroup, TalkerPost, TriggerKind, TriggerSource
from cadrecare.talks.models import InterviewRound, Petition, Talk, TalkPolicy, TalkRoute, TeamFlag
from cadrecare.talks.services import commendation_record, talk_trigger_raise
from cadrecare.training.services import nominations_confirm, programme_create
from tests.cadrecare.reminders.support import KIND as REVIEW_KIND
from tests.cadrecare.reminders.support import make_due, review_source
from tests.cadrecare.rotation.support import Plan, hand_roster, next_free_month, span, two_cadre_roster
from tests.factories import (
    CadreFactory,
    CheckupFactory,
    CheckupPolicyFactory,
    FacilityFactory,
    FamilyMemberFactory,
    HardshipCaseFactory,
    OfficeFactory,
    OrgUnitFactory,
    PostAllowanceFactory,
    UserFactory,
    cadre_of,
)

Factory = Callable[[Any], Any]


@dataclass(frozen=True)
class ResourceCase:
    resource: str  # key in ACCESS and router prefix
    make_in: Factory  # cast -> object in township A1, about cadre A1 where it concerns a cadre
    make_out: Factory  # cast -> object in township B1
    payload: Factory | None = None  # cast -> JSON creating a record in township A1
    update: Factory | None = None  # cast -> JSON for PATCH
    methods: frozenset[str] = field(default_factory=lambda: frozenset({"list", "retrieve"}))
    self_visible: bool = True  # whether make_in is about cadre A1 (the cadre role's own record)
    national: bool = False  # not scoped by unit: every role with "view" sees all; writes only city-wide
    # A personal inbox: make_in / make_out take (cast, acting user) and make a record addressed to that
    # user, resp. to someone else; each user reaches only their own, whatever the unit.
    inbox: bool = False
    context: Callable[[], AbstractContextManager] = nullcontext  # in force while the case runs


def _promotion_of(cadre_attr: str) -> Factory:
    def make(cast: Any) -> Any:
        cadre = getattr(cast, cadre_attr)
        return post_change_record(
            actor=None,
            cadre=cadre,
            kind=PostChangeKind.PROMOTION,
            date=dt.date(2024, 1, 5),
            to_unit=cadre.unit,
            to_rank=Rank.SECTION_DEPUTY,
        )

    return make


def _visit_with_money_in(cadre_attr: str) -> Factory:
    """A visit with money this year; the report's row for it is the cadre's unit (``id``)."""

    def make(cast: Any) -> Any:
        cadre = getattr(cast, cadre_attr)
        Visit.objects.create(cadre=cadre, date=clock.today(), kind="holiday", money_amount=100)
        return cadre.unit

    return make


def _secondment_of(cadre_attr: str) -> Factory:
    """The cadre borrowed (借调) by an agency of their own county since a month ago."""

    def make(cast: Any) -> Any:
        cadre = getattr(cast, cadre_attr)
        agency = OrgUnitFactory(kind=UnitKind.COUNTY_AGENCY, parent=cadre.unit.parent)
        today = clock.today()
        return secondment_start(
            actor=None,
            cadre=cadre,
            kind=SecondmentKind.LOAN,
            host_unit=agency,
            start=today - dt.timedelta(days=30),
            planned_end=today + dt.timedelta(days=300),
        )

    return make


def _secondment_payload(cast: Any) -> dict[str, Any]:
    cadre = CadreFactory(unit=cast.town_a1)
    return {
        "cadre": cadre.pk,
        "kind": SecondmentKind.SHADOWING,
        "host_unit": cast.agency_a.pk,
        "start": _days_ago(3),
        "planned_end": (clock.today() + dt.timedelta(days=180)).isoformat(),
    }


def cadre_payload(cast: Any) -> dict[str, Any]:
    birth = dt.date(1990, 2, 3)
    return {
        "name": "新干部",
        "gender": "female",
        "ethnicity": "纳西族",
        "birth_date": birth.isoformat(),
        "id_number": citizen_id_compose("530721", birth, 77, "female"),
        "phone": "13800001111",
        "rank": Rank.STAFF_MEMBER,
        "unit": cast.town_a1.pk,
        "establishment_unit": cast.town_a1.pk,
    }


def _grant_in(unit_attr: str) -> Factory:
    def make(cast: Any) -> RoleGrant:
        user = UserFactory()
        return RoleGrant.objects.create(user=user, role=Role.HR, unit=getattr(cast, unit_attr))

    return make


def _roster_day_of(cadre_attr: str) -> Factory:
    """A rest day of the cadre in a published roster of their unit."""

    def make(cast: Any) -> RosterDay:
        cadre = getattr(cast, cadre_attr)
        roster = Roster.objects.create(unit=cadre.unit, month=dt.date(2030, 1, 1), status=RosterStatus.PUBLISHED)
        version = RosterVersion.objects.create(
            roster=roster, number=1, solver_status="optimal", problem={}, solution={}
        )
        Roster.objects.filter(pk=roster.pk).update(current=version)
        return RosterDay.objects.create(version=version, cadre=cadre, date=dt.date(2030, 1, 5), kind=DayKind.REST)

    return make


def _swap_request_of(cadre_attr: str) -> Factory:
    """A pending request of the cadre to swap with a colleague, on a roster of a new month."""

    def make(cast: Any) -> SwapRequest:
        cadre = getattr(cast, cadre_attr)
        colleague = CadreFactory(unit=cadre.unit)
        roster = two_cadre_roster(cadre.unit, cadre, colleague)
        return SwapRequest.objects.create(
            roster=roster,
            roster_version=roster.version,
            requester=cadre,
            requester_start=roster.month.replace(day=3),
            requester_end=roster.month.replace(day=10),
            counterpart=colleague,
            counterpart_start=roster.month.replace(day=15),
            counterpart_end=roster.month.replace(day=22),
            reason="家中老人住院",
            status=SwapStatus.PENDING_COUNTERPART,
        )

    return make


def _swap_payload(cast: Any) -> dict[str, Any]:
    colleague = CadreFactory(unit=cast.town_a1)
    roster = two_cadre_roster(cast.town_a1, cast.cadre_a1, colleague)
    return {
        "roster": roster.pk,
        "requester_start": roster.month.replace(day=3).isoformat(),
        "counterpart": colleague.pk,
        "counterpart_start": roster.month.replace(day=15).isoformat(),
        "reason": "孩子中考，想换到月中陪考",
    }


def _compliance_row_of(cadre_attr: str) -> Factory:
    """The cadre's row of the rest-compliance report: a published month of their unit."""

    def make(cast: Any) -> RosterEntitlement:
        cadre = getattr(cast, cadre_attr)
        month = next_free_month(cadre.unit)
        roster = hand_roster(cadre.unit, month, {cadre: Plan(rest=span(month.replace(day=3), 8))})
        return RosterEntitlement.objects.get(version=roster.current, cadre=cadre)

    return make


def _missed_rest_of(cadre_attr: str) -> Factory:
    """Annual leave recorded over two rest days of the cadre's published month."""

    def make(cast: Any) -> MissedRest:
        cadre = getattr(cast, cadre_attr)
        month = next_free_month(cadre.unit)
        hand_roster(cadre.unit, month, {cadre: Plan(rest=span(month.replace(day=3), 8))})
        absence = absence_save(
            actor=None,
            data={
                "cadre": cadre,
                "kind": AbsenceKind.ANNUAL_LEAVE,
                "start": month.replace(day=9),
                "end": month.replace(day=12),
            },
        )
        return MissedRest.objects.get(absence=absence)

    return make


def _rest_confirmation_of(cadre_attr: str) -> Factory:
    """The cadre's correction of their published month."""

    def make(cast: Any) -> RestConfirmation:
        cadre = getattr(cast, cadre_attr)
        month = next_free_month(cadre.unit)
        roster = hand_roster(cadre.unit, month, {cadre: Plan(rest=span(month.replace(day=3), 8))})
        return RestConfirmation.objects.create(
            roster=roster, cadre=cadre, status="corrected", days_rested=6, note="两天被叫回", submitted_on=month
        )

    return make


def _audit_about(cadre_attr: str) -> Factory:
    def make(cast: Any) -> AuditEntry:
        cadre = getattr(cast, cadre_attr)
        return AuditEntry.objects.create(
            actor_name="x",
            action="read",
            resource="cadres",
            object_id=str(cadre.pk),
            cadre_id=cadre.pk,
            fields=["phone"],
        )

    return make


def _review_of(cadre_attr: str) -> Factory:
    def make(cast: Any) -> SimpleNamespace:
        cadre = make_due(getattr(cast, cadre_attr), dt.date.today() + dt.timedelta(days=10))
        return SimpleNamespace(pk=f"{REVIEW_KIND}:{cadre.pk}")

    return make


def _trigger_about(cadre_attr: str) -> Factory:
    def make(cast: Any) -> Any:
        return talk_trigger_raise(
            cadre=getattr(cast, cadre_attr),
            kind=TriggerKind.ACHIEVEMENT,
            source=TriggerSource.MANUAL,
            source_key=f"matrix-{cadre_attr}",
            event_date=dt.date(2025, 3, 1),
        )

    return make


def _notice(unit_attr: str, cadre_attr: str, *, to_actor: bool) -> Callable[[Any, Any], Notice]:
    def make(cast: Any, actor: Any) -> Notice:
        cadre = getattr(cast, cadre_attr)
        return Notice.objects.create(
            kind="test",
            object_id=cadre.pk,
            recipient=actor if to_actor else UserFactory(),
            stage=Stage.DUE,
            period=dt.date(2026, 3, 1),
            unit=getattr(cast, unit_attr),
            cadre=cadre,
            due_date=dt.date(2026, 3, 1),
            title=f"{cadre.name}：测试",
            body="今天到期。",
            created_at=dt.datetime.now(dt.UTC),
        )

    return make


def _talk_with(cadre_attr: str, talker_attr: str) -> Factory:
    def make(cast: Any) -> Talk:
        talk = Talk.objects.create(talkee=getattr(cast, cadre_attr), date=dt.date(2025, 3, 2), summary="谈话内容")
        talk.talkers.set([getattr(cast, talker_attr)])
        return talk

    return make


def _job_run(cast: Any) -> JobRun:
    return JobRun.objects.create(name="reminders_scan", started_at=dt.datetime.now(dt.UTC))


def _campaign_in(unit_attr: str, cadre_attr: str) -> Factory:
    def make(cast: Any) -> Any:
        return campaign_plan(
            actor=None,
            unit=getattr(cast, unit_attr),
            name="2026年度体检",
            date_from=dt.date(2026, 3, 1),
            date_to=dt.date(2026, 3, 31),
            institution="县人民医院",
            cadres=[getattr(cast, cadre_attr)],
        )

    return make


def _programme_in(unit_attr: str, cadre_attr: str) -> Factory:
    """A training programme organised by the unit, with the cadre nominated to it."""

    def make(cast: Any) -> Any:
        programme = programme_create(
            actor=None,
            data={
                "unit": getattr(cast, unit_attr),
                "kind": "training",
                "name": "乡镇干部能力提升培训班",
                "date_from": dt.date(2025, 5, 6),
                "date_to": dt.date(2025, 5, 9),
                "location": "市委党校",
                "places": 5,
            },
        )
        nominations_confirm(actor=None, programme=programme, cadres=[getattr(cast, cadre_attr)])
        return programme

    return make


def _units_with_triggers(cadre_attr: str, unit_attr: str) -> Factory:
    def make(cast: Any) -> Any:
        _trigger_about(cadre_attr)(cast)
        return getattr(cast, unit_attr)

    return make


def _interview_payload(cast: Any) -> dict[str, Any]:
    CadreFactory(unit=cast.town_a1, rank=Rank.SECTION_DEPUTY)
    return {
        "unit": cast.town_a1.pk,
        "title": "2025年二季度约谈",
        "start_date": "2025-04-01",
        "end_date": "2025-04-30",
        "interviewers": [cadre_of(cast.county_a_staff, cast.agency_a).pk],
    }


def _this_year() -> int:
    return clock.today().year


def _oversight_plan_payload(cast: Any) -> dict[str, Any]:
    CadreFactory(unit=cast.town_a1, rank=Rank.SECTION_CHIEF)
    return {
        "county": cast.county_a.pk,
        "year": _this_year(),
        "checkpoints": 4,
        "interviewers": [cadre_of(cast.county_a_staff, cast.agency_a).pk],
    }


def _field_visit_in(unit_attr: str) -> Factory:
    def make(cast: Any) -> FieldVisit:
        return FieldVisit.objects.create(township=getattr(cast, unit_attr), date=clock.today(), notes="座谈")

    return make


def _days_ago(days: int) -> str:
    return (clock.today() - dt.timedelta(days=days)).isoformat()


def _day(offset: int) -> dt.date:
    return clock.today() + dt.timedelta(days=offset)


def _family_event_of(cadre_attr: str) -> Factory:
    def make(cast: Any) -> Any:
        event, _ = care.family_event_record(
            actor=None, cadre=getattr(cast, cadre_attr), kind="accident", date=clock.today(), description="车祸受伤"
        )
        return event

    return make


def _illness_of(cadre_attr: str) -> Factory:
    def make(cast: Any) -> Any:
        condition, _ = care.cadre_condition_record(
            actor=None, cadre=getattr(cast, cadre_attr), kind="illness", date=clock.today(), description="住院治疗"
        )
        return condition

    return make


def _obligation_of(cadre_attr: str) -> Factory:
    def make(cast: Any) -> Any:
        return care.visit_obligation_create(
            actor=None, cadre=getattr(cast, cadre_attr), reason="春节前走访", event_date=clock.today()
        )

    return make


def _visit_of(cadre_attr: str) -> Factory:
    def make(cast: Any) -> Any:
        return care.visit_record(
            actor=None,
            cadre=getattr(cast, cadre_attr),
            date=clock.today(),
            kind="holiday",
            visitors=[cast.secretary_a1],
            notes="家中老人身体欠佳",
        )

    return make


_checkup_days = itertools.count(1)


def _treatment_checkup(cadre: Cadre) -> Any:
    """A check-up concluding 需治疗, each on a day of its own (one check-up of a kind per day)."""
    return CheckupFactory(
        cadre=cadre, conclusion="treatment", date=clock.today() - dt.timedelta(days=next(_checkup_days))
    )


def _care_decision_for(cadre_attr: str) -> Factory:
    def make(cast: Any) -> Any:
        checkup = _treatment_checkup(getattr(cast, cadre_attr))
        return care.care_decision_record(actor=None, checkup=checkup, outcome="closed", reason="已住院治疗")

    return make


def _measure_of(cadre_attr: str) -> Factory:
    def make(cast: Any) -> HardshipMeasure:
        case = HardshipCaseFactory(cadre=getattr(cast, cadre_attr))
        return care.hardship_measure_add(
            actor=None,
            case=case,
            date=clock.today(),
            kind="money",
            amount=2000,
            provided_by="县委组织部",
            note="春节慰问",
        )

    return make


def _transfer_candidate_in(unit_attr: str) -> Factory:
    def make(cast: Any) -> Any:
        unit = getattr(cast, unit_attr)
        if not unit.is_remote:
            type(unit).objects.filter(pk=unit.pk).update(remoteness="grade_1")
            unit.refresh_from_db()
        return CadreFactory(unit=unit, rank=Rank.SECTION_DEPUTY, unit_joined=dt.date(2012, 3, 1))

    return make


def _self_report_of(cadre_attr: str) -> Factory:
    def make(cast: Any) -> SelfReport:
        return SelfReport.objects.create(
            cadre=getattr(cast, cadre_attr),
            kind=ReportKind.FAMILY_EVENT,
            event_kind="grave_illness",
            date=clock.today() - dt.timedelta(days=2),
            description="父亲住院",
            confirm_by=clock.today(),
        )

    return make


def _family_change_of(cadre_attr: str) -> Factory:
    def make(cast: Any) -> FamilyMemberChange:
        return FamilyMemberChange.objects.create(
            cadre=getattr(cast, cadre_attr),
            action="create",
            proposed={"relation": "sibling", "name": "木晓兰"},
            confirm_by=clock.today(),
        )

    return make


def _message_to(cast: Any, actor: Any) -> HeartMessage:
    """A 心里话 the acting user reads: theirs if a cadre, else one addressed to the role they hold on their unit."""
    role, unit = RoleGrant.objects.filter(user=actor).values_list("role", "unit").first()
    if role == Role.CADRE:
        cadre = Cadre.objects.get(user=actor)
        return HeartMessage.objects.create(
            sender=actor,
            sender_cadre=cadre,
            addressee="secretary",
            addressee_unit=cadre.unit,
            body="想聊聊",
            answer_due=clock.today(),
        )
    addressee = "secretary" if role == Role.SECRETARY else "org_department"
    return HeartMessage.objects.create(
        sender=cast.cadre_a1_user,
        sender_cadre=cast.cadre_a1,
        addressee=addressee,
        addressee_unit_id=unit,
        body="想聊聊",
        answer_due=clock.today(),
    )


def _message_elsewhere(cast: Any, actor: Any) -> HeartMessage:
    """A 心里话 to township A2's secretary, whom nobody of the cast is."""
    return HeartMessage.objects.create(
        sender=UserFactory(),
        sender_cadre=cast.cadre_a2,
        addressee="secretary",
        addressee_unit=cast.town_a2,
        body="想聊聊",
        answer_due=clock.today(),
    )


CASES: list[ResourceCase] = [
    ResourceCase(
        "org-units",
        make_in=lambda c: c.town_a1,
        make_out=lambda c: c.town_b1,
        payload=lambda c: {"code": "530721101201", "name": "石头村", "kind": UnitKind.VILLAGE, "parent": c.town_a1.pk},
        update=lambda c: {"distance_km": 130},
        methods=frozenset({"list", "retrieve", "create", "update"}),
        self_visible=False,
    ),
    ResourceCase(
        "offices",
        make_in=lambda c: OfficeFactory(unit=c.town_a1),
        make_out=lambda c: OfficeFactory(unit=c.town_b1),
        payload=lambda c: {"unit": c.town_a1.pk, "name": "综治中心"},
        update=lambda c: {"active": False},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
        self_visible=False,
    ),
    ResourceCase(
        "cadres",
        make_in=lambda c: c.cadre_a1,
        make_out=lambda c: c.cadre_b1,
        payload=cadre_payload,
        update=lambda c: {"phone": "13900002222"},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
    ),
    ResourceCase(
        "post-changes",
        make_in=_promotion_of("cadre_a1"),
        make_out=_promotion_of("cadre_b1"),
        payload=lambda c: {
            "cadre": c.cadre_a1.pk,
            "kind": PostChangeKind.PROMOTION,
            "date": "2025-01-02",
            "to_unit": c.town_a1.pk,
            "to_rank": Rank.SECTION_DEPUTY,
            "to_leader_post": "none",
            "to_post_title": "副乡长",
        },
        methods=frozenset({"list", "retrieve", "create"}),
    ),
    ResourceCase(
        "establishment",
        make_in=lambda c: EstablishmentSlot.objects.create(township=c.town_a1, approved=30),
        make_out=lambda c: EstablishmentSlot.objects.create(township=c.town_b1, approved=30),
        # township A2: A1 has its one slot count already (county A's writers cover both)
        payload=lambda c: {"township": c.town_a2.pk, "approved": 24, "approved_on": "2025-12-01"},
        update=lambda c: {"approved": 32},
        methods=frozenset({"list", "retrieve", "create", "update"}),
        self_visible=False,
    ),
    ResourceCase(
        "establishment-borrowings",
        make_in=lambda c: borrowing_record(
            actor=None, cadre=c.cadre_a1, borrower=c.agency_a, start=_day(-30), until=_day(60), reason="专项工作"
        ),
        make_out=lambda c: borrowing_record(
            actor=None, cadre=c.cadre_b1, borrower=c.county_b, start=_day(-30), until=_day(60), reason="专项工作"
        ),
        payload=lambda c: {
            "cadre": c.secretary_a1_cadre.pk,
            "borrower": c.agency_a.pk,
            "start": _days_ago(5),
            "until": _days_ago(-85),
            "reason": "抽调参加县委巡察组",
        },
        update=lambda c: {"reason": "借调参与脱贫攻坚专项工作"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
        self_visible=False,
    ),
    ResourceCase(
        "staffing-check",
        make_in=lambda c: CadreFactory(unit=c.agency_a, establishment_unit=c.town_a1),
        make_out=lambda c: CadreFactory(
            unit=OrgUnitFactory(kind=UnitKind.COUNTY_AGENCY, parent=c.county_b), establishment_unit=c.town_b1
        ),
        methods=frozenset({"list"}),
        self_visible=False,
    ),
    ResourceCase(
        "users",
        make_in=lambda c: c.hr_a1,
        make_out=lambda c: c.secretary_b1,
        payload=lambda c: {
            "username": "new_hr",
            "password": "Tz-9!qWx-77",
            "role": Role.HR,
            "unit": c.town_a1.pk,
            "first_name": "新",
        },
        update=lambda c: {"first_name": "改"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
        self_visible=False,
    ),
    ResourceCase(
        "role-grants",
        make_in=_grant_in("town_a1"),
        make_out=_grant_in("town_b1"),
        payload=lambda c: {"user": UserFactory().pk, "role": Role.HR, "unit": c.town_a1.pk},
        methods=frozenset({"list", "retrieve", "create", "delete"}),
        self_visible=False,
    ),
    ResourceCase(
        "audit-log",
        make_in=_audit_about("cadre_a1"),
        make_out=_audit_about("cadre_b1"),
        methods=frozenset({"list", "retrieve"}),
        self_visible=False,
    ),
    ResourceCase(
        "holiday-years",
        make_in=lambda c: HolidayYear.objects.create(year=2031, status=CalendarStatus.PROVISIONAL, checksum="x"),
        make_out=lambda c: HolidayYear.objects.create(year=2032, status=CalendarStatus.PROVISIONAL, checksum="y"),
        payload=lambda c: {
            "year": 2033,
            "source_ref": "国办发明电〔2032〕1号",
            "rows": [{"date": "2033-01-01", "kind": "holiday", "name": "元旦"}],
        },
        methods=frozenset({"list", "retrieve", "create"}),
        self_visible=False,
        national=True,
    ),
    ResourceCase(
        "rotation-policies",
        make_in=lambda c: RotationPolicy.objects.create(
            unit=c.town_a1, effective_from=dt.date(2030, 1, 1), mode=Mode.WEEKLY
        ),
        make_out=lambda c: RotationPolicy.objects.create(
            unit=c.town_b1, effective_from=dt.date(2030, 1, 1), mode=Mode.MONTHLY
        ),
        payload=lambda c: {"unit": c.town_a1.pk, "effective_from": "2030-06", "mode": Mode.HALF_MONTH},
        update=lambda c: {"generation_day": 22},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
        self_visible=False,
    ),
    ResourceCase(
        "absences",
        make_in=lambda c: Absence.objects.create(
            cadre=c.cadre_a1, kind=AbsenceKind.TRAINING, start=dt.date(2030, 1, 5), end=dt.date(2030, 1, 7)
        ),
        make_out=lambda c: Absence.objects.create(
            cadre=c.cadre_b1, kind=AbsenceKind.LEAVE, start=dt.date(2030, 1, 5), end=dt.date(2030, 1, 7)
        ),
        payload=lambda c: {
            "cadre": c.cadre_a1.pk,
            "kind": AbsenceKind.LEAVE,
            "start": "2030-02-01",
            "end": "2030-02-03",
        },
        update=lambda c: {"note": "县委党校培训"},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
    ),
    ResourceCase(
        "rest-requests",
        make_in=lambda c: RestRequest.objects.create(
            cadre=c.cadre_a1,
            kind=RequestKind.PREFER,
            reason="孩子开家长会",
            start=dt.date(2030, 1, 10),
            end=dt.date(2030, 1, 11),
        ),
        make_out=lambda c: RestRequest.objects.create(
            cadre=c.cadre_b1,
            kind=RequestKind.AVOID,
            reason="值班",
            start=dt.date(2030, 1, 10),
            end=dt.date(2030, 1, 11),
        ),
        payload=lambda c: {
            "cadre": c.cadre_a1.pk,
            "kind": RequestKind.PREFER,
            "start": "2030-03-01",
            "end": "2030-03-02",
            "reason": "陪父亲复诊",
        },
        update=lambda c: {"reason": "陪母亲复诊"},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
    ),
    ResourceCase(
        "due-items",
        make_in=_review_of("cadre_a1"),
        make_out=_review_of("cadre_b1"),
        methods=frozenset({"list"}),
        context=review_source,
    ),
    ResourceCase(
        "notifications",
        make_in=_notice("town_a1", "cadre_a1", to_actor=True),
        make_out=_notice("town_b1", "cadre_b1", to_actor=False),
        inbox=True,
    ),
    ResourceCase(
        "job-runs",
        make_in=_job_run,
        make_out=_job_run,
        self_visible=False,
        national=True,
    ),
    ResourceCase(
        "reminder-schedules",
        make_in=lambda c: ReminderSchedule.objects.create(unit=c.town_a1, lead_days=4),
        make_out=lambda c: ReminderSchedule.objects.create(unit=c.town_b1, lead_days=4),
        payload=lambda c: {"unit": OrgUnitFactory(kind=UnitKind.VILLAGE, parent=c.town_a1).pk, "lead_days": 5},
        update=lambda c: {"county_after_days": 10},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
        self_visible=False,
    ),
    ResourceCase(
        "checkup-policies",
        make_in=lambda c: CheckupPolicyFactory(unit=c.town_a1),
        make_out=lambda c: CheckupPolicyFactory(unit=c.town_b1),
        payload=lambda c: {
            "unit": OrgUnitFactory(kind=UnitKind.VILLAGE, parent=c.town_a1).pk,
            "interval_months": 6,
            "reminder_days": [30, 7],
        },
        update=lambda c: {"interval_months": 24},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
        self_visible=False,
    ),
    ResourceCase(
        "health-checkups",
        make_in=lambda c: CheckupFactory(cadre=c.cadre_a1),
        make_out=lambda c: CheckupFactory(cadre=c.cadre_b1),
        payload=lambda c: {
            "cadre": c.cadre_a1.pk,
            "date": "2025-09-01",
            "institution": "玉龙县人民医院",
            "kind": "annual",
            "cost": "380.00",
            "conclusion": "normal",
            "findings": "未见异常",
        },
        update=lambda c: {"institution": "丽江市中医医院"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "health-archives",
        make_in=lambda c: c.cadre_a1,
        make_out=lambda c: c.cadre_b1,
        methods=frozenset({"retrieve"}),
    ),
    ResourceCase(
        "checkup-due",
        make_in=lambda c: c.cadre_a1,
        make_out=lambda c: c.cadre_b1,
        methods=frozenset({"list"}),
    ),
    ResourceCase(
        "checkup-campaigns",
        make_in=_campaign_in("town_a1", "cadre_a1"),
        make_out=_campaign_in("town_b1", "cadre_b1"),
        payload=lambda c: {
            "unit": c.town_a1.pk,
            "name": "石头乡2026年度体检",
            "date_from": "2026-04-01",
            "date_to": "2026-04-30",
            "institution": "玉龙县人民医院",
            "cadres": [c.cadre_a1.pk],
        },
        update=lambda c: {"note": "分两批进行"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
        self_visible=False,
    ),
    ResourceCase(
        "talk-routes",  # a county's, so "in A1's scope" means county A's
        make_in=lambda c: TalkRoute.objects.create(
            county=c.county_a,
            talkee_group=TalkeeGroup.TOWNSHIP_LEADER,
            talker_post=TalkerPost.COUNTY_PARTY_SECRETARY,
            talker_leader_post=LeaderPost.PARTY_SECRETARY,
        ),
        make_out=lambda c: TalkRoute.objects.create(
            county=c.county_b,
            talkee_group=TalkeeGroup.TOWNSHIP_LEADER,
            talker_post=TalkerPost.COUNTY_PARTY_SECRETARY,
            talker_leader_post=LeaderPost.PARTY_SECRETARY,
        ),
        payload=lambda c: {
            "county": c.county_a.pk,
            "talkee_group": TalkeeGroup.TOWNSHIP_CADRE,
            "talker_post": TalkerPost.TOWNSHIP_PARTY_SECRETARY,
            "talker_leader_post": LeaderPost.PARTY_SECRETARY,
            "cadence_months": 6,
        },
        update=lambda c: {"cadence_months": 6},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
        self_visible=False,
    ),
    ResourceCase(
        "talk-policies",
        make_in=lambda c: TalkPolicy.objects.create(unit=c.town_a1, kind=TriggerKind.PETITION, due_days=10),
        make_out=lambda c: TalkPolicy.objects.create(unit=c.town_b1, kind=TriggerKind.PETITION, due_days=10),
        payload=lambda c: {"unit": c.town_a1.pk, "kind": TriggerKind.ACHIEVEMENT, "due_days": 30},
        update=lambda c: {"due_days": 20},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
        self_visible=False,
    ),
    ResourceCase(
        "talk-triggers",
        make_in=_trigger_about("cadre_a1"),
        make_out=_trigger_about("cadre_b1"),
        payload=lambda c: {
            "cadre": c.cadre_a1.pk,
            "kind": TriggerKind.WARNING_SIGNS,
            "event_date": "2025-02-01",
            "note": "近期多次迟到早退",
        },
        update=lambda c: {"due_date": "2025-04-30"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "talks",
        make_in=_talk_with("cadre_a1", "secretary_a1"),
        make_out=_talk_with("cadre_b1", "secretary_b1"),
        payload=lambda c: {
            "talkee": c.cadre_a1.pk,
            "talkers": [c.secretary_a1_cadre.pk],
            "date": "2025-03-05",
            "form": "face_to_face",
            "summary": "了解工作生活情况",
        },
        update=lambda c: {"place": "乡党委会议室"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "commendations",
        make_in=lambda c: commendation_record(
            actor=None, cadre=c.cadre_a1, level="county", title="优秀共产党员", date=dt.date(2025, 7, 1)
        ),
        make_out=lambda c: commendation_record(
            actor=None, cadre=c.cadre_b1, level="county", title="优秀共产党员", date=dt.date(2025, 7, 1)
        ),
        payload=lambda c: {"cadre": c.cadre_a1.pk, "level": "city", "title": "脱贫攻坚先进个人", "date": "2025-06-01"},
        update=lambda c: {"level": "provincial"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "petitions",
        make_in=lambda c: Petition.objects.create(
            cadre=c.cadre_a1, date=dt.date(2025, 5, 1), summary="反映作风问题", seriousness="minor"
        ),
        make_out=lambda c: Petition.objects.create(
            cadre=c.cadre_b1, date=dt.date(2025, 5, 1), summary="反映作风问题", seriousness="minor"
        ),
        payload=lambda c: {
            "cadre": c.cadre_a1.pk,
            "date": "2025-05-02",
            "summary": "群众反映办事推诿",
            "seriousness": "serious",
            "important": True,
        },
        update=lambda c: {"important": True},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "team-flags",
        make_in=lambda c: TeamFlag.objects.create(unit=c.town_a1, date=dt.date(2025, 4, 1), note="书记乡长不团结"),
        make_out=lambda c: TeamFlag.objects.create(unit=c.town_b1, date=dt.date(2025, 4, 1), note="书记镇长不团结"),
        payload=lambda c: {"unit": c.town_a1.pk, "date": "2025-04-02", "note": "班子成员分工推诿"},
        update=lambda c: {"note": "补充说明"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
        self_visible=False,
    ),
    ResourceCase(
        "interview-rounds",
        make_in=lambda c: InterviewRound.objects.create(
            unit=c.town_a1, title="一季度约谈", start_date=dt.date(2025, 1, 6), end_date=dt.date(2025, 1, 31)
        ),
        make_out=lambda c: InterviewRound.objects.create(
            unit=c.town_b1, title="一季度约谈", start_date=dt.date(2025, 1, 6), end_date=dt.date(2025, 1, 31)
        ),
        payload=_interview_payload,
        update=lambda c: {"title": "一季度约谈（调整）"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
        self_visible=False,
    ),
    ResourceCase(
        "regular-talks",
        make_in=lambda c: c.cadre_a1,
        make_out=lambda c: c.cadre_b1,
        methods=frozenset({"list"}),
        self_visible=False,
    ),
    ResourceCase(
        "talk-summary",
        make_in=_units_with_triggers("cadre_a1", "town_a1"),
        make_out=_units_with_triggers("cadre_b1", "town_b1"),
        methods=frozenset({"list"}),
        self_visible=False,
    ),
    ResourceCase(
        "care-policies",
        make_in=lambda c: CarePolicy.objects.create(unit=c.town_a1, family_event_days=5),
        make_out=lambda c: CarePolicy.objects.create(unit=c.town_b1, family_event_days=5),
        payload=lambda c: {"unit": OrgUnitFactory(kind=UnitKind.VILLAGE, parent=c.town_a1).pk, "death_days": 2},
        update=lambda c: {"illness_days": 10},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
        self_visible=False,
    ),
    ResourceCase(
        "family-members",
        make_in=lambda c: FamilyMemberFactory(cadre=c.cadre_a1),
        make_out=lambda c: FamilyMemberFactory(cadre=c.cadre_b1),
        payload=lambda c: {
            "cadre": c.cadre_a1.pk,
            "relation": "child",
            "name": "木小禾",
            "gender": "female",
            "birth_date": "2013-09-01",
            "work_unit": "石头乡中心小学",
        },
        update=lambda c: {"work_unit": "丽江市第一中学"},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
    ),
    ResourceCase(
        "family-events",
        make_in=_family_event_of("cadre_a1"),
        make_out=_family_event_of("cadre_b1"),
        payload=lambda c: {
            "cadre": c.cadre_a1.pk,
            "kind": "grave_illness",
            "date": _days_ago(1),
            "description": "父亲脑梗住院",
        },
        update=lambda c: {"description": "父亲脑梗住院，已脱离危险"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "cadre-conditions",
        make_in=_illness_of("cadre_a1"),
        make_out=_illness_of("cadre_b1"),
        payload=lambda c: {"cadre": c.cadre_a1.pk, "kind": "illness", "date": _days_ago(2), "description": "手术"},
        methods=frozenset({"list", "retrieve", "create"}),
    ),
    ResourceCase(
        "visit-obligations",
        make_in=_obligation_of("cadre_a1"),
        make_out=_obligation_of("cadre_b1"),
        payload=lambda c: {"cadre": c.cadre_a1.pk, "reason": "家中失火，上门慰问", "event_date": _days_ago(1)},
        update=lambda c: {"deadline": (clock.today() + dt.timedelta(days=10)).isoformat()},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "visits",
        make_in=_visit_of("cadre_a1"),
        make_out=_visit_of("cadre_b1"),
        payload=lambda c: {
            "cadre": c.cadre_a1.pk,
            "date": _days_ago(0),
            "kind": "holiday",
            "visitors": [c.secretary_a1_cadre.pk],
            "money_amount": "500.00",
            "goods": "米、油",
        },
        update=lambda c: {"goods": "米、油、慰问信"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "hardship-cases",
        make_in=lambda c: HardshipCaseFactory(cadre=c.cadre_a1),
        make_out=lambda c: HardshipCaseFactory(cadre=c.cadre_b1),
        payload=lambda c: {
            "cadre": c.cadre_a1.pk,
            "category": "illness",
            "description": "母亲癌症晚期",
            "next_review": (clock.today() + dt.timedelta(days=30)).isoformat(),
        },
        update=lambda c: {"status": "helping"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "care-decisions",
        make_in=_care_decision_for("cadre_a1"),
        make_out=_care_decision_for("cadre_b1"),
        payload=lambda c: {
            "checkup": _treatment_checkup(c.cadre_a1).pk,
            "outcome": "closed",
            "reason": "已在市医院住院治疗，家属照料周全",
        },
        methods=frozenset({"list", "retrieve", "create"}),
        self_visible=False,
    ),
    ResourceCase(
        "hardship-measures",
        make_in=_measure_of("cadre_a1"),
        make_out=_measure_of("cadre_b1"),
        payload=lambda c: {
            "case": HardshipCaseFactory(cadre=c.cadre_a1).pk,
            "date": _days_ago(0),
            "kind": "goods",
            "amount": "0",
            "provided_by": "石头乡党委",
        },
        update=lambda c: {"note": "已送达"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "transfer-candidates",
        make_in=_transfer_candidate_in("town_a1"),
        make_out=_transfer_candidate_in("town_b1"),
        methods=frozenset({"list"}),
        self_visible=False,
    ),
    ResourceCase(
        "care-spending",
        make_in=_visit_with_money_in("cadre_a1"),
        make_out=_visit_with_money_in("cadre_b1"),
        methods=frozenset({"list"}),
        self_visible=False,
    ),
    ResourceCase(
        "facilities",
        make_in=lambda c: FacilityFactory(township=c.town_a1),
        make_out=lambda c: FacilityFactory(township=c.town_b1),
        payload=lambda c: {"township": c.town_a1.pk, "item": "bathhouse", "status": "building", "as_of": _days_ago(3)},
        update=lambda c: {"note": "已验收"},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
        self_visible=False,
    ),
    ResourceCase(
        "facility-gaps",
        make_in=lambda c: c.town_a1,
        make_out=lambda c: c.town_b1,
        methods=frozenset({"list"}),
        self_visible=False,
    ),
    ResourceCase(
        "post-allowances",
        make_in=lambda c: PostAllowanceFactory(township=c.town_a1),
        make_out=lambda c: PostAllowanceFactory(township=c.town_b1),
        payload=lambda c: {
            "township": c.town_a1.pk,
            "month": "2025-02",
            "due_amount": "600.00",
            "paid_amount": "600.00",
            "paid_on": "2025-02-25",
        },
        update=lambda c: {"paid_amount": "450.00"},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
        self_visible=False,
    ),
    ResourceCase(
        "training-programmes",
        make_in=_programme_in("town_a1", "cadre_a1"),
        make_out=_programme_in("town_b1", "cadre_b1"),
        payload=lambda c: {
            "unit": c.town_a1.pk,
            "kind": "study_tour",
            "name": "赴先进乡镇参观考察",
            "date_from": "2026-06-01",
            "date_to": "2026-06-03",
            "location": "大理州",
            "places": 10,
        },
        update=lambda c: {"note": "分两批出发"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "transfer-reviews",
        make_in=lambda c: TransferReview.objects.create(
            county=c.county_a, year=_this_year() - 1, decide_by=clock.today()
        ),
        make_out=lambda c: TransferReview.objects.create(
            county=c.county_b, year=_this_year() - 1, decide_by=clock.today()
        ),
        payload=lambda c: {"county": c.county_a.pk, "year": _this_year()},
        update=lambda c: {"decide_by": (clock.today() + dt.timedelta(days=30)).isoformat()},
        methods=frozenset({"list", "retrieve", "create", "update"}),
        self_visible=False,
    ),
    ResourceCase(
        "interview-plans",
        make_in=lambda c: InterviewPlan.objects.create(county=c.county_a, year=_this_year() - 1),
        make_out=lambda c: InterviewPlan.objects.create(county=c.county_b, year=_this_year() - 1),
        payload=_oversight_plan_payload,
        update=lambda c: {"checkpoints": 2},
        methods=frozenset({"list", "retrieve", "create", "update"}),
        self_visible=False,
    ),
    ResourceCase(
        "field-visits",
        make_in=_field_visit_in("town_a1"),
        make_out=_field_visit_in("town_b1"),
        payload=lambda c: {
            "township": c.town_a1.pk,
            "date": _days_ago(1),
            "visitors": [cadre_of(c.county_a_staff, c.agency_a).pk],
            "notes": "与班子成员座谈",
        },
        update=lambda c: {"notes": "补记：看望了两名生病干部"},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
        self_visible=False,
    ),
    ResourceCase(
        "secondments",
        make_in=_secondment_of("cadre_a1"),
        make_out=_secondment_of("cadre_b1"),
        payload=_secondment_payload,
        methods=frozenset({"list", "retrieve", "create"}),
    ),
    ResourceCase(
        "experience",
        make_in=lambda c: c.cadre_a1,
        make_out=lambda c: c.cadre_b1,
        methods=frozenset({"list"}),
        self_visible=False,
    ),
    ResourceCase(
        "rosters",
        make_in=lambda c: Roster.objects.create(unit=c.town_a1, month=dt.date(2030, 1, 1)),
        make_out=lambda c: Roster.objects.create(unit=c.town_b1, month=dt.date(2030, 1, 1)),
        self_visible=False,
    ),
    ResourceCase(
        "generation-runs",
        make_in=lambda c: GenerationRun.objects.create(unit=c.town_a1, month=dt.date(2030, 1, 1)),
        make_out=lambda c: GenerationRun.objects.create(unit=c.town_b1, month=dt.date(2030, 1, 1)),
        payload=lambda c: {"unit": c.town_a1.pk, "month": "2030-05"},
        methods=frozenset({"list", "retrieve", "create"}),
        self_visible=False,
    ),
    ResourceCase(
        "roster-days",
        make_in=_roster_day_of("cadre_a1"),
        make_out=_roster_day_of("cadre_b1"),
    ),
    ResourceCase(
        "recalls",
        make_in=lambda c: Recall.objects.create(cadre=c.cadre_a1, date=dt.date(2026, 1, 5), days_lost=2, reason="防汛"),
        make_out=lambda c: Recall.objects.create(
            cadre=c.cadre_b1, date=dt.date(2026, 1, 5), days_lost=2, reason="防汛"
        ),
        payload=lambda c: {"cadre": c.cadre_a1.pk, "date": "2026-02-07", "days_lost": 1, "reason": "森林防火"},
        update=lambda c: {"reason": "森林火情扑救"},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
    ),
    ResourceCase(
        "swap-requests",
        make_in=_swap_request_of("cadre_a1"),
        make_out=_swap_request_of("cadre_b1"),
        payload=_swap_payload,
        methods=frozenset({"list", "retrieve", "create"}),
    ),
    ResourceCase("missed-rest", make_in=_missed_rest_of("cadre_a1"), make_out=_missed_rest_of("cadre_b1")),
    ResourceCase(
        "rest-confirmations",
        make_in=_rest_confirmation_of("cadre_a1"),
        make_out=_rest_confirmation_of("cadre_b1"),
    ),
    ResourceCase(
        "rest-compliance",
        make_in=_compliance_row_of("cadre_a1"),
        make_out=_compliance_row_of("cadre_b1"),
        methods=frozenset({"list"}),
    ),
    ResourceCase(
        "self-reports",
        make_in=_self_report_of("cadre_a1"),
        make_out=_self_report_of("cadre_b1"),
        payload=lambda c: {
            "kind": "family_event",
            "event_kind": "grave_illness",
            "date": (clock.today() - dt.timedelta(days=1)).isoformat(),
            "description": "母亲住院手术",
        },
        methods=frozenset({"list", "retrieve", "create"}),
    ),
    ResourceCase(
        "family-member-changes",
        make_in=_family_change_of("cadre_a1"),
        make_out=_family_change_of("cadre_b1"),
        payload=lambda c: {"action": "create", "proposed": {"relation": "sibling", "name": "木晓兰"}},
        methods=frozenset({"list", "retrieve", "create"}),
    ),
    ResourceCase(
        "messages",
        make_in=_message_to,
        make_out=_message_elsewhere,
        payload=lambda c: {"addressee": "secretary", "body": "最近家里有些困难，想和书记聊聊。"},
        methods=frozenset({"list", "retrieve", "create"}),
        inbox=True,
    ),
]
