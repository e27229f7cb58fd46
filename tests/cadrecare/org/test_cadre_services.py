"""A cadre's record is written through its services, whichever door calls
them: each write checks the cadre rules and the placement, and writes one audit
row when it wrote, none for a refusal or a correction to what is already there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.core.errors import DomainError
from cadrecare.org.choices import Gender, LeaderPost, Rank
from cadrecare.org.models import Cadre
from cadrecare.org.rules import citizen_id_compose
from cadrecare.org.services import cadre_create, cadre_delete, cadre_update

pytestmark = pytest.mark.django_db


def _writes() -> list[tuple[str, str, str, list[str]]]:
    return list(
        AuditEntry.objects.exclude(action="read")
        .order_by("pk")
        .values_list("action", "resource", "object_id", "fields")
    )


def _new_cadre(unit: Any, **fields: Any) -> dict[str, Any]:
    birth = dt.date(1990, 4, 2)
    return {
        "name": "和丽",
        "gender": Gender.FEMALE,
        "birth_date": birth,
        "id_number": citizen_id_compose("530721", birth, 77, Gender.FEMALE),
        "rank": Rank.STAFF_MEMBER,
        "leader_post": LeaderPost.NONE,
        "unit": unit,
        "establishment_unit": unit,
        **fields,
    }


def test_creating_a_cadre_writes_one_audit_row_naming_the_fields_given(cast: Any) -> None:
    data = _new_cadre(cast.town_a1)

    cadre = cadre_create(actor=cast.hr_a1, data=data)

    assert Cadre.objects.get(pk=cadre.pk).name == "和丽"
    assert _writes() == [("create", "cadres", str(cadre.pk), sorted(data))]


def test_a_cadre_outside_the_writers_scope_is_refused_unwritten(cast: Any) -> None:
    with pytest.raises(DomainError, match="所选单位不在您的管理范围内") as refused:
        cadre_create(actor=cast.hr_a1, data=_new_cadre(cast.town_a2))

    assert refused.value.field == "unit"
    assert not Cadre.objects.filter(name="和丽").exists() and _writes() == []


def test_a_cadre_breaking_a_rule_is_refused_beside_the_field_unwritten(cast: Any) -> None:
    with pytest.raises(DomainError, match="性别与身份证号不一致") as refused:
        cadre_create(actor=cast.hr_a1, data=_new_cadre(cast.town_a1, gender=Gender.MALE))

    assert refused.value.errors == [{"field": "gender", "message": "性别与身份证号不一致。"}]
    assert not Cadre.objects.filter(name="和丽").exists() and _writes() == []


def test_correcting_a_cadre_writes_one_audit_row_of_what_changed_and_a_change_to_nothing_none(cast: Any) -> None:
    cadre = cast.cadre_a1

    cadre_update(actor=cast.hr_a1, cadre=cadre, data={"phone": "13900001111", "name": cadre.name})
    cadre_update(actor=cast.hr_a1, cadre=cadre, data={"phone": "13900001111"})

    assert Cadre.objects.get(pk=cadre.pk).phone == "13900001111"
    assert _writes() == [("update", "cadres", str(cadre.pk), ["phone"])]


def test_moving_a_cadre_outside_a_post_change_is_refused_unwritten(cast: Any) -> None:
    cadre = cast.cadre_a1

    with pytest.raises(DomainError, match="职务变动") as refused:
        cadre_update(actor=cast.hr_a1, cadre=cadre, data={"rank": Rank.DIVISION_CHIEF, "post_title": "站长"})

    assert [error["field"] for error in refused.value.errors] == ["rank", "post_title"]
    assert Cadre.objects.get(pk=cadre.pk).rank == Rank.STAFF_MEMBER and _writes() == []


def test_deleting_a_cadre_writes_one_audit_row_naming_it(cast: Any) -> None:
    cadre = Cadre.objects.create(**_new_cadre(cast.town_a1))
    pk = cadre.pk

    cadre_delete(actor=cast.county_a_admin, cadre=cadre)

    assert not Cadre.objects.filter(pk=pk).exists()
    assert _writes() == [("delete", "cadres", str(pk), [])]
