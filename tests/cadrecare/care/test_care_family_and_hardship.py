"""Family information stays consistent; hardship cases mark the cadre for the
roster while open, and their measures are checked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.care import services
from cadrecare.care.models import FamilyMember, HardshipCase
from cadrecare.care.selectors import cadres_with_hardship
from cadrecare.core import clock
from cadrecare.rotation.problem import _hardship_ids
from tests.factories import FamilyMemberFactory, HardshipCaseFactory

MEMBERS = "/api/v1/family-members/"
CASES = "/api/v1/hardship-cases/"
MEASURES = "/api/v1/hardship-measures/"


def _errors(response: Any) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def _member(cast: Any, **extra: Any) -> dict[str, Any]:
    return {
        "cadre": cast.cadre_a1.pk,
        "relation": "spouse",
        "name": "和丽华",
        "gender": "female",
        "birth_date": "1987-01-01",
        "phone": "13912345678",
        **extra,
    }


# -- family members ---------------------------------------------------------------


def test_hr_records_a_family_member(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").post(MEMBERS, _member(cast, lives_with_cadre=True), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["relation_label"] == "配偶" and response.json()["lives_with_cadre"] is True


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"birth_date": "2999-01-01"}, "birth_date", "出生日期不能晚于今天。"),
        (
            {"relation": "father", "birth_date": "1990-01-01"},
            "birth_date",
            "父母（岳父母/公婆）的出生日期应早于干部本人。",
        ),
        (
            {"relation": "parent_in_law", "birth_date": "1985-06-15"},
            "birth_date",
            "父母（岳父母/公婆）的出生日期应早于干部本人。",
        ),
        ({"relation": "child", "birth_date": "1980-01-01"}, "birth_date", "子女的出生日期应晚于干部本人。"),
        ({"phone": "12345"}, "phone", "联系电话应为11位手机号或带区号的固定电话。"),
        ({"deceased_on": "1980-01-01"}, "deceased_on", "去世日期不能早于出生日期。"),
    ],
)
def test_inconsistent_family_data_is_refused_in_chinese(
    cast: Any, client_for: Any, extra: dict, field: str, message: str
) -> None:
    response = client_for("hr_a1").post(MEMBERS, _member(cast, **extra), format="json")

    assert response.status_code == 400
    assert _errors(response) == {field: message}


def test_only_one_living_spouse_at_a_time(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    first = client.post(MEMBERS, _member(cast), format="json").json()

    second = client.post(MEMBERS, _member(cast, name="杨梅"), format="json")
    assert second.status_code == 400
    assert _errors(second) == {"relation": "该干部已登记配偶，同一时间只能有一位配偶。"}

    # after the first spouse's death a new spouse may be recorded
    services.family_event_record(
        actor=None,
        cadre=cast.cadre_a1,
        kind="death",
        date=clock.today(),
        family_member=FamilyMember.objects.get(pk=first["id"]),
    )
    assert client.post(MEMBERS, _member(cast, name="杨梅"), format="json").status_code == 201


def test_one_father_and_one_mother(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    client.post(MEMBERS, _member(cast, relation="father", birth_date="1958-01-01", name="木老"), format="json")

    response = client.post(
        MEMBERS, _member(cast, relation="father", birth_date="1959-01-01", name="木二"), format="json"
    )

    assert _errors(response) == {"relation": "该干部已登记父亲，同一时间只能有一位父亲。"}


def test_a_member_cannot_move_to_another_cadre(cast: Any, client_for: Any) -> None:
    member = FamilyMemberFactory(cadre=cast.cadre_a1)

    client_for("hr_a1").patch(f"{MEMBERS}{member.pk}/", {"cadre": cast.secretary_a1_cadre.pk}, format="json")

    member.refresh_from_db()
    assert member.cadre_id == cast.cadre_a1.pk


def test_changing_a_relation_is_checked_too(cast: Any, client_for: Any) -> None:
    FamilyMemberFactory(cadre=cast.cadre_a1, relation="spouse")
    sibling = FamilyMemberFactory(cadre=cast.cadre_a1, relation="sibling")

    response = client_for("hr_a1").patch(f"{MEMBERS}{sibling.pk}/", {"relation": "spouse"}, format="json")

    assert response.status_code == 400 and "relation" in _errors(response)


def test_filters_narrow_by_relation_and_living(cast: Any, client_for: Any) -> None:
    spouse = FamilyMemberFactory(cadre=cast.cadre_a1, relation="spouse")
    FamilyMemberFactory(
        cadre=cast.cadre_a1, relation="father", birth_date=dt.date(1950, 1, 1), deceased_on=dt.date(2020, 1, 1)
    )

    rows = client_for("hr_a1").get(MEMBERS, {"relation": "spouse", "living": "true"}).json()["results"]

    assert [row["id"] for row in rows] == [spouse.pk]


# -- hardship ---------------------------------------------------------------------------


def test_an_open_or_helped_case_marks_the_cadre_until_resolved(cast: Any) -> None:
    open_case = HardshipCaseFactory(cadre=cast.cadre_a1)
    HardshipCaseFactory(cadre=cast.cadre_a2, status="helping")
    HardshipCaseFactory(cadre=cast.cadre_b1, status="resolved", resolved_on=dt.date(2025, 7, 1))
    everyone = [cast.cadre_a1.pk, cast.cadre_a2.pk, cast.cadre_b1.pk, cast.secretary_a1_cadre.pk]

    assert cadres_with_hardship(everyone) == {cast.cadre_a1.pk, cast.cadre_a2.pk}

    services.hardship_case_update(actor=None, case=open_case, status="resolved")
    assert cadres_with_hardship(everyone) == {cast.cadre_a2.pk}
    assert cadres_with_hardship([]) == set()


def test_resolving_a_case_dates_it_and_reopening_clears_the_date(cast: Any, client_for: Any) -> None:
    case = HardshipCaseFactory(cadre=cast.cadre_a1)
    client = client_for("hr_a1")

    resolved = client.patch(f"{CASES}{case.pk}/", {"status": "resolved"}, format="json").json()
    reopened = client.patch(f"{CASES}{case.pk}/", {"status": "open"}, format="json").json()

    assert resolved["resolved_on"] == clock.today().isoformat() and resolved["status_label"] == "已解决"
    assert reopened["resolved_on"] is None


def test_a_review_before_the_case_opened_is_refused(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").post(
        CASES,
        {"cadre": cast.cadre_a1.pk, "category": "financial", "opened_on": "2026-01-10", "next_review": "2026-01-01"},
        format="json",
    )

    assert response.status_code == 400 and _errors(response) == {"next_review": "下次回访日期不能早于登记日期。"}


def test_the_first_measure_moves_an_open_case_to_being_helped(cast: Any, client_for: Any) -> None:
    case = HardshipCaseFactory(cadre=cast.cadre_a1)

    response = client_for("hr_a1").post(
        MEASURES,
        {
            "case": case.pk,
            "date": clock.today().isoformat(),
            "kind": "money",
            "amount": "2000.00",
            "provided_by": "县委组织部",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert HardshipCase.objects.get(pk=case.pk).status == "helping"
    listed = client_for("hr_a1").get(f"{CASES}{case.pk}/").json()
    assert [(m["kind_label"], m["amount"]) for m in listed["measures"]] == [("慰问金/补助", "2000.00")]


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"amount": "-5"}, "amount", "金额不能为负数。"),
        ({"date": "2025-05-31"}, "date", "措施日期不能早于该困难的登记日期（2025-06-01）。"),
        ({"date": "2999-01-01"}, "date", "日期不能晚于今天。"),
    ],
)
def test_bad_measures_are_refused(cast: Any, client_for: Any, extra: dict, field: str, message: str) -> None:
    case = HardshipCaseFactory(cadre=cast.cadre_a1, opened_on=dt.date(2025, 6, 1))
    payload = {
        "case": case.pk,
        "date": clock.today().isoformat(),
        "kind": "goods",
        "amount": "0",
        "provided_by": "乡党委",
        **extra,
    }

    response = client_for("hr_a1").post(MEASURES, payload, format="json")

    assert response.status_code == 400 and _errors(response) == {field: message}


def test_the_review_due_filter(cast: Any, client_for: Any) -> None:
    due = HardshipCaseFactory(cadre=cast.cadre_a1, next_review=clock.today())
    HardshipCaseFactory(cadre=cast.cadre_a1, next_review=clock.today() + dt.timedelta(days=9))

    rows = client_for("hr_a1").get(CASES, {"review_due": "true"}).json()["results"]

    assert [row["id"] for row in rows] == [due.pk]


def test_the_roster_weighs_a_cadre_with_an_open_case_as_one_who_asked(cast: Any) -> None:
    # given an open case for one cadre (the care app registers its cases with rotation when Django starts)
    HardshipCaseFactory(cadre=cast.cadre_a1)

    # then the roster problem flags that cadre, and no other, with no request of theirs
    assert _hardship_ids([cast.cadre_a1.pk, cast.cadre_a2.pk], []) == {cast.cadre_a1.pk}
