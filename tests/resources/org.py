"""The organisation's resources: units, offices, cadres and their post changes,
establishment, users and grants, the audit log, secondments, experience and training."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.establishment.models import EstablishmentSlot
from cadrecare.establishment.services import borrowing_record
from cadrecare.org.choices import PostChangeKind, Rank, Role, UnitKind
from cadrecare.org.models import RoleGrant
from cadrecare.org.rules import citizen_id_compose
from cadrecare.org.services import post_change_record
from cadrecare.secondments.choices import SecondmentKind
from cadrecare.secondments.services import secondment_start
from cadrecare.training.services import nominations_confirm, programme_create
from tests.factories import CadreFactory, OfficeFactory, OrgUnitFactory, UserFactory
from tests.resources.common import Factory, ResourceCase, days_ago


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
        "start": days_ago(3),
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


def _day(offset: int) -> dt.date:
    return clock.today() + dt.timedelta(days=offset)


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
            "start": days_ago(5),
            "until": days_ago(-85),
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
]
