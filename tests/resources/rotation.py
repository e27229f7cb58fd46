"""The rest rotation's resources: holidays, policies, absences, requests, rosters and what hangs on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.rotation.choices import AbsenceKind, CalendarStatus, DayKind, Mode, RequestKind, RosterStatus, SwapStatus
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
from tests.cadrecare.rotation.support import Plan, hand_roster, next_free_month, span, two_cadre_roster
from tests.factories import CadreFactory
from tests.resources.common import Factory, ResourceCase


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


CASES: list[ResourceCase] = [
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
]
