"""Care's resources: policies, family, events, visits, hardship, care decisions,
the reports and township conditions."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from cadrecare.care import services as care
from cadrecare.care.models import CarePolicy, HardshipMeasure, Visit
from cadrecare.core import clock
from cadrecare.org.choices import Rank, UnitKind
from cadrecare.org.models import Cadre
from tests.factories import (
    CadreFactory,
    CheckupFactory,
    FacilityFactory,
    FamilyMemberFactory,
    HardshipCaseFactory,
    OrgUnitFactory,
    PostAllowanceFactory,
)
from tests.resources.common import Factory, ResourceCase, days_ago


def _visit_with_money_in(cadre_attr: str) -> Factory:
    """A visit with money this year; the report's row for it is the cadre's unit (``id``)."""

    def make(cast: Any) -> Any:
        cadre = getattr(cast, cadre_attr)
        Visit.objects.create(cadre=cadre, date=clock.today(), kind="holiday", money_amount=100)
        return cadre.unit

    return make


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


CASES: list[ResourceCase] = [
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
            "date": days_ago(1),
            "description": "父亲脑梗住院",
        },
        update=lambda c: {"description": "父亲脑梗住院，已脱离危险"},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "cadre-conditions",
        make_in=_illness_of("cadre_a1"),
        make_out=_illness_of("cadre_b1"),
        payload=lambda c: {"cadre": c.cadre_a1.pk, "kind": "illness", "date": days_ago(2), "description": "手术"},
        methods=frozenset({"list", "retrieve", "create"}),
    ),
    ResourceCase(
        "visit-obligations",
        make_in=_obligation_of("cadre_a1"),
        make_out=_obligation_of("cadre_b1"),
        payload=lambda c: {"cadre": c.cadre_a1.pk, "reason": "家中失火，上门慰问", "event_date": days_ago(1)},
        update=lambda c: {"deadline": (clock.today() + dt.timedelta(days=10)).isoformat()},
        methods=frozenset({"list", "retrieve", "create", "update"}),
    ),
    ResourceCase(
        "visits",
        make_in=_visit_of("cadre_a1"),
        make_out=_visit_of("cadre_b1"),
        payload=lambda c: {
            "cadre": c.cadre_a1.pk,
            "date": days_ago(0),
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
            "date": days_ago(0),
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
        payload=lambda c: {"township": c.town_a1.pk, "item": "bathhouse", "status": "building", "as_of": days_ago(3)},
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
]
