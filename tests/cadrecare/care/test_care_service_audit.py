"""Each care service owns its write's audit row: called directly (as the API,
the workbench and the self-service confirmations call it), a write leaves
exactly one row naming the record, in the write's transaction; a write into a
unit outside the actor's scope is refused beside the field that places it, and
leaves none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.care import services as care
from cadrecare.care.models import CarePolicy
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from tests.factories import (
    CheckupFactory,
    FacilityFactory,
    FamilyMemberFactory,
    HardshipCaseFactory,
    PostAllowanceFactory,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Write:
    name: str
    resource: str
    action: str
    call: Callable[[Any, Any, Any], Any]  # (actor, the record given, cast) -> the record written
    given: Callable[[Any, Any], Any] = lambda cadre, cast: cadre  # (cadre, cast) -> what the write is on


def _today() -> dt.date:
    return clock.today()


# What a write that changes a record is on, made for a cadre (of the cast).


def _policy(cadre: Any, cast: Any) -> Any:
    return CarePolicy.objects.create(unit=cadre.unit)


def _member(cadre: Any, cast: Any) -> Any:
    return FamilyMemberFactory(cadre=cadre)


def _case(cadre: Any, cast: Any) -> Any:
    return HardshipCaseFactory(cadre=cadre)


def _checkup(cadre: Any, cast: Any) -> Any:
    return CheckupFactory(cadre=cadre, conclusion="treatment")


def _facility(cadre: Any, cast: Any) -> Any:
    return FacilityFactory(township=cadre.unit)


def _obligation(cadre: Any, cast: Any) -> Any:
    return care.visit_obligation_create(actor=None, cadre=cadre, reason="春节前走访", event_date=_today())


def _visit(cadre: Any, cast: Any) -> Any:
    return care.visit_record(actor=None, cadre=cadre, date=_today(), kind="holiday", visitors=[cast.secretary_a1])


def _measure(cadre: Any, cast: Any) -> Any:
    return care.hardship_measure_add(
        actor=None, case=_case(cadre, cast), date=_today(), kind="goods", provided_by="乡党委"
    )


def _deleted(delete: Callable[..., None], name: str) -> Callable[[Any, Any, Any], Any]:
    def call(actor: Any, record: Any, cast: Any) -> Any:
        pk = record.pk
        delete(actor=actor, **{name: record})
        record.pk = pk  # the row names the record as it was
        return record

    return call


WRITES = [
    Write(
        "care_policy_save",
        "care-policies",
        "create",
        lambda a, c, cast: care.care_policy_save(actor=a, unit=c.unit, death_days=2),
    ),
    Write(
        "care_policy_save-update",
        "care-policies",
        "update",
        lambda a, p, cast: care.care_policy_save(actor=a, unit=p.unit, policy=p, death_days=2),
        _policy,
    ),
    Write(
        "care_policy_delete",
        "care-policies",
        "delete",
        _deleted(care.care_policy_delete, "policy"),
        _policy,
    ),
    Write(
        "family_member_create",
        "family-members",
        "create",
        lambda a, c, cast: care.family_member_create(actor=a, cadre=c, relation="sibling", name="木晓兰"),
    ),
    Write(
        "family_member_update",
        "family-members",
        "update",
        lambda a, m, cast: care.family_member_update(actor=a, member=m, notes="已退休"),
        _member,
    ),
    Write(
        "family_member_delete",
        "family-members",
        "delete",
        _deleted(care.family_member_delete, "member"),
        _member,
    ),
    Write(
        "family_event_record",
        "family-events",
        "create",
        lambda a, c, cast: care.family_event_record(actor=a, cadre=c, kind="accident", date=_today())[0],
    ),
    Write(
        "cadre_condition_record",
        "cadre-conditions",
        "create",
        lambda a, c, cast: care.cadre_condition_record(actor=a, cadre=c, kind="illness", date=_today())[0],
    ),
    Write(
        "visit_obligation_create",
        "visit-obligations",
        "create",
        lambda a, c, cast: care.visit_obligation_create(actor=a, cadre=c, reason="家中失火", event_date=_today()),
    ),
    Write(
        "visit_obligation_update",
        "visit-obligations",
        "update",
        lambda a, o, cast: care.visit_obligation_update(actor=a, obligation=o, reason="家中失火"),
        _obligation,
    ),
    Write(
        "visit_obligation_waive",
        "visit-obligations",
        "update",
        lambda a, o, cast: care.visit_obligation_waive(actor=a, obligation=o, reason="已调离"),
        _obligation,
    ),
    Write(
        "visit_record",
        "visits",
        "create",
        lambda a, c, cast: care.visit_record(
            actor=a, cadre=c, date=_today(), kind="holiday", visitors=[cast.secretary_a1]
        ),
    ),
    Write(
        "visit_update",
        "visits",
        "update",
        lambda a, v, cast: care.visit_update(actor=a, visit=v, goods="米、油"),
        _visit,
    ),
    Write(
        "hardship_case_create",
        "hardship-cases",
        "create",
        lambda a, c, cast: care.hardship_case_create(actor=a, cadre=c, category="illness"),
    ),
    Write(
        "hardship_case_update",
        "hardship-cases",
        "update",
        lambda a, h, cast: care.hardship_case_update(actor=a, case=h, status="helping"),
        _case,
    ),
    Write(
        "hardship_case_review",
        "hardship-cases",
        "update",
        lambda a, h, cast: care.hardship_case_review(actor=a, case=h),
        _case,
    ),
    Write(
        "hardship_first_contact_record",
        "hardship-cases",
        "update",
        lambda a, h, cast: care.hardship_first_contact_record(actor=a, case=h, way="call"),
        _case,
    ),
    Write(
        "hardship_measure_add",
        "hardship-measures",
        "create",
        lambda a, h, cast: care.hardship_measure_add(
            actor=a, case=h, date=_today(), kind="goods", provided_by="乡党委"
        ),
        _case,
    ),
    Write(
        "hardship_measure_update",
        "hardship-measures",
        "update",
        lambda a, m, cast: care.hardship_measure_update(actor=a, measure=m, note="已送达"),
        _measure,
    ),
    Write(
        "care_decision_record",
        "care-decisions",
        "create",
        lambda a, checkup, cast: care.care_decision_record(actor=a, checkup=checkup, outcome="closed", reason="已住院"),
        _checkup,
    ),
    Write(
        "facility_save",
        "facilities",
        "create",
        lambda a, c, cast: care.facility_save(
            actor=a, township=c.unit, item="bathhouse", status="building", as_of=_today()
        ),
    ),
    Write(
        "facility_save-update",
        "facilities",
        "update",
        lambda a, f, cast: care.facility_save(actor=a, facility=f, note="已验收"),
        _facility,
    ),
    Write(
        "facility_delete",
        "facilities",
        "delete",
        _deleted(care.facility_delete, "facility"),
        _facility,
    ),
    Write(
        "post_allowance_save",
        "post-allowances",
        "create",
        lambda a, c, cast: care.post_allowance_save(
            actor=a, township=c.unit, month=dt.date(2025, 3, 1), due_amount=Decimal("600")
        ),
    ),
    Write(
        "post_allowance_save-update",
        "post-allowances",
        "update",
        lambda a, p, cast: care.post_allowance_save(actor=a, allowance=p, note="已补发"),
        lambda c, cast: PostAllowanceFactory(township=c.unit),
    ),
    Write(
        "post_allowance_delete",
        "post-allowances",
        "delete",
        _deleted(care.post_allowance_delete, "allowance"),
        lambda c, cast: PostAllowanceFactory(township=c.unit),
    ),
]


@dataclass(frozen=True)
class Trail:
    """The audit rows (reads aside) written after the row ``since``."""

    since: int

    def rows(self) -> list[tuple[str, str, str]]:
        entries = AuditEntry.objects.exclude(action="read").filter(pk__gt=self.since).order_by("pk")
        return list(entries.values_list("action", "resource", "object_id"))


def _given(write: Write, cadre: Any, cast: Any) -> tuple[Any, Trail]:
    """What ``write`` is on, for ``cadre``, and the trail from there on: the
    rows the setup itself wrote are not the write's."""
    record = write.given(cadre, cast)
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    return record, Trail(since=last or 0)


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.name)
def test_a_care_service_writes_exactly_one_audit_row(cast: Any, write: Write) -> None:
    # given what the write is on, about a cadre of county A
    given, trail = _given(write, cast.cadre_a1, cast)

    # when the county's organization department writes it
    record = write.call(cast.county_a_admin, given, cast)

    # then one row names the write, its resource and its record, and no other row was added
    assert trail.rows() == [(write.action, write.resource, str(record.pk))]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.name)
def test_a_care_write_outside_the_actors_scope_is_refused_and_leaves_no_row(cast: Any, write: Write) -> None:
    # given what the write is on, about a cadre of county B
    given, trail = _given(write, cast.cadre_b1, cast)

    # when township A1's HR officer writes it
    with pytest.raises(DomainError) as refused:
        write.call(cast.hr_a1, given, cast)

    # then it is refused as a placement outside scope, and nothing is audited
    assert str(refused.value.message) == "所选单位不在您的管理范围内。"
    assert trail.rows() == []
