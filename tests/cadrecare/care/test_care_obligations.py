"""Visit obligations: who owns them (routing, vacancy, override), a cadre's
illness or death, visits that close them, waiving, overdue, due items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from cadrecare.care import services
from cadrecare.care.models import CarePolicy, VisitObligation
from cadrecare.core import clock
from cadrecare.org.choices import CadreStatus, LeaderPost, UnitKind
from cadrecare.org.models import Cadre
from cadrecare.reminders.sources import due_items, iter_due_items
from tests.factories import CadreFactory, FamilyMemberFactory, OrgUnitFactory, UserFactory, cadre_of

OBLIGATIONS = "/api/v1/visit-obligations/"
VISITS = "/api/v1/visits/"
CONDITIONS = "/api/v1/cadre-conditions/"
TODAY = dt.date(2026, 6, 10)


def _errors(response: Any) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def _event(cadre: Cadre, day: dt.date = TODAY) -> VisitObligation:
    event, _ = services.family_event_record(actor=None, cadre=cadre, kind="accident", date=day, today=day)
    return event.obligation


# -- owner routing --------------------------------------------------------------


def test_a_township_cadres_visit_is_owned_by_the_township_party_secretary(cast: Any) -> None:
    assert _event(cast.cadre_a1).owner == cast.secretary_a1


def test_a_vacant_secretary_post_leaves_the_owner_empty_with_a_note(cast: Any) -> None:
    # given township A2 has no party secretary with a login
    CadreFactory(unit=cast.town_a2, leader_post=LeaderPost.PARTY_SECRETARY)  # no user linked

    obligation = _event(cast.cadre_a2)

    assert obligation.owner is None
    assert obligation.owner_note == "鲁甸乡党委书记未开通账号，请组织部门指定走访责任人。"


def test_a_secretary_who_left_no_longer_owns_visits(cast: Any) -> None:
    Cadre.objects.filter(pk=cast.secretary_a1_cadre.pk).update(status=CadreStatus.TRANSFERRED_OUT)

    assert _event(cast.cadre_a1).owner is None


def test_the_secretarys_own_family_event_goes_to_the_organisation_department(cast: Any) -> None:
    obligation = _event(cast.secretary_a1_cadre)

    assert obligation.owner is None
    assert obligation.owner_note == "该干部本人是石头乡党委书记，请上级组织部门指定走访责任人。"


def test_outside_townships_the_unit_head_owns_the_visit(cast: Any) -> None:
    head_user = UserFactory()
    CadreFactory(unit=cast.agency_a, leader_post=LeaderPost.HEAD, user=head_user)
    staff = CadreFactory(unit=cast.agency_a)

    assert _event(staff).owner == head_user


def test_a_care_policy_may_name_the_owner_for_a_whole_county(cast: Any) -> None:
    designated = UserFactory()
    CarePolicy.objects.create(unit=cast.county_a, visit_owner=designated)

    assert _event(cast.cadre_a1).owner == designated
    assert _event(cast.cadre_b1).owner is None  # county B keeps the rule (no secretary cadre there)


def test_the_organisation_department_assigns_an_owner_to_an_unowned_obligation(cast: Any, client_for: Any) -> None:
    obligation = _event(cast.secretary_a1_cadre)
    staff = cadre_of(cast.county_a_staff, cast.county_a, name="组织部干事")

    response = client_for("county_a_admin").patch(f"{OBLIGATIONS}{obligation.pk}/", {"owner": staff.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["owner"] == staff.pk and response.json()["owner_name"] == "组织部干事"
    assert response.json()["owner_note"] == ""
    obligation.refresh_from_db()
    assert obligation.owner == cast.county_a_staff  # the login behind the cadre is what is stored


# -- a cadre's illness or death ---------------------------------------------------


def test_a_serious_illness_opens_a_condolence_visit_due_in_seven_days(cast: Any, client_for: Any) -> None:
    day = clock.today()
    response = client_for("hr_a1").post(
        CONDITIONS, {"cadre": cast.cadre_a1.pk, "kind": "illness", "date": day.isoformat()}, format="json"
    )

    assert response.status_code == 201, response.content
    obligation = VisitObligation.objects.get(pk=response.json()["obligation"])
    assert (obligation.source, obligation.deadline) == ("illness", day + dt.timedelta(days=7))
    assert Cadre.objects.get(pk=cast.cadre_a1.pk).status == CadreStatus.SERVING


def test_a_death_opens_a_three_day_condolence_visit_and_sets_the_status(cast: Any, client_for: Any) -> None:
    day = clock.today() - dt.timedelta(days=1)
    client = client_for("hr_a1")
    payload = {"cadre": cast.cadre_a1.pk, "kind": "death", "date": day.isoformat()}

    response = client.post(CONDITIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY="death-1")
    retried = client.post(CONDITIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY="death-1")

    assert response.status_code == retried.status_code == 201
    assert retried.json()["id"] == response.json()["id"]
    obligation = VisitObligation.objects.get(condition_id=response.json()["id"])
    assert (obligation.source, obligation.deadline) == ("death", day + dt.timedelta(days=3))
    assert VisitObligation.objects.count() == 1
    assert Cadre.objects.get(pk=cast.cadre_a1.pk).status == CadreStatus.DECEASED


def test_a_death_cannot_be_recorded_twice(cast: Any, client_for: Any) -> None:
    services.cadre_condition_record(actor=None, cadre=cast.cadre_a1, kind="death", date=clock.today())

    response = client_for("hr_a1").post(
        CONDITIONS, {"cadre": cast.cadre_a1.pk, "kind": "illness", "date": clock.today().isoformat()}, format="json"
    )

    assert response.status_code == 400
    assert _errors(response) == {"cadre": "该干部已登记去世。"}


def test_death_deadlines_follow_the_policy(cast: Any) -> None:
    CarePolicy.objects.create(unit=cast.city, death_days=1, illness_days=14)
    ill, _ = services.cadre_condition_record(actor=None, cadre=cast.cadre_a2, kind="illness", date=TODAY, today=TODAY)
    dead, _ = services.cadre_condition_record(actor=None, cadre=cast.cadre_a1, kind="death", date=TODAY, today=TODAY)

    assert ill.obligation.deadline == dt.date(2026, 6, 24)
    assert dead.obligation.deadline == dt.date(2026, 6, 11)


# -- visits close obligations -------------------------------------------------------


def _visit(cast: Any, **extra: Any) -> dict[str, Any]:
    return {
        "cadre": cast.cadre_a1.pk,
        "date": clock.today().isoformat(),
        "kind": "must_visit",
        "visitors": [cast.secretary_a1_cadre.pk],
        "money_amount": "1000.00",
        "goods": "米、油",
        "notes": "父亲病情稳定",
        **extra,
    }


def test_a_visit_fulfils_the_obligations_it_names(cast: Any, client_for: Any) -> None:
    day = clock.today() - dt.timedelta(days=2)
    first, second = _event(cast.cadre_a1, day), _event(cast.cadre_a1, day)

    response = client_for("secretary_a1").post(VISITS, _visit(cast, obligations=[first.pk, second.pk]), format="json")

    assert response.status_code == 201, response.content
    for obligation in (first, second):
        obligation.refresh_from_db()
        assert (obligation.status, obligation.done_on) == ("done", clock.today())
    shown = client_for("county_a_admin").get(f"{OBLIGATIONS}{first.pk}/").json()
    assert shown["status_label"] == "已走访" and shown["visits"] == [response.json()["id"]]


def test_a_visit_before_the_event_is_refused(cast: Any, client_for: Any) -> None:
    obligation = _event(cast.cadre_a1, clock.today())
    before = (clock.today() - dt.timedelta(days=1)).isoformat()

    response = client_for("secretary_a1").post(
        VISITS, _visit(cast, date=before, obligations=[obligation.pk]), format="json"
    )

    assert response.status_code == 400
    expected = f"走访日期不能早于“家庭重大变故：意外事故”的发生日期（{clock.today():%Y-%m-%d}）。"
    assert _errors(response) == {"date": expected}
    obligation.refresh_from_db()
    assert obligation.status == "open"


def test_a_visit_in_the_future_is_refused(cast: Any, client_for: Any) -> None:
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()

    response = client_for("secretary_a1").post(VISITS, _visit(cast, date=tomorrow), format="json")

    assert response.status_code == 400 and _errors(response) == {"date": "走访日期不能晚于今天。"}


def test_negative_money_is_refused(cast: Any, client_for: Any) -> None:
    response = client_for("secretary_a1").post(VISITS, _visit(cast, money_amount="-1.00"), format="json")

    assert response.status_code == 400 and _errors(response) == {"money_amount": "金额不能为负数。"}


def test_an_obligation_of_another_cadre_is_refused(cast: Any, client_for: Any) -> None:
    other = _event(cast.secretary_a1_cadre, clock.today())

    response = client_for("secretary_a1").post(VISITS, _visit(cast, obligations=[other.pk]), format="json")

    assert response.status_code == 400 and _errors(response) == {"obligations": "所选走访任务不属于该干部。"}


def test_a_done_obligation_cannot_be_fulfilled_again(cast: Any, client_for: Any) -> None:
    obligation = _event(cast.cadre_a1, clock.today())
    client = client_for("secretary_a1")
    client.post(VISITS, _visit(cast, obligations=[obligation.pk]), format="json")

    response = client.post(VISITS, _visit(cast, obligations=[obligation.pk]), format="json")

    assert response.status_code == 400
    assert _errors(response) == {"obligations": "走访任务“家庭重大变故：意外事故”的状态为“已走访”，不能再次完成。"}


def test_a_family_member_of_another_cadre_cannot_be_visited_under_this_cadre(cast: Any, client_for: Any) -> None:
    member = FamilyMemberFactory(cadre=cast.secretary_a1_cadre)

    response = client_for("secretary_a1").post(VISITS, _visit(cast, family_member=member.pk), format="json")

    assert response.status_code == 400 and _errors(response) == {"family_member": "所选家属不属于该干部。"}


def test_a_visit_needs_a_visitor(cast: Any, client_for: Any) -> None:
    response = client_for("secretary_a1").post(VISITS, _visit(cast, visitors=[]), format="json")

    assert response.status_code == 400 and "visitors" in _errors(response)


# -- waiving, overdue, due items ----------------------------------------------------


def test_waiving_needs_a_reason_and_the_org_admin(cast: Any, client_for: Any) -> None:
    obligation = _event(cast.cadre_a1, clock.today())
    url = f"{OBLIGATIONS}{obligation.pk}/waive/"

    assert client_for("secretary_a1").post(url, {"reason": "x"}, format="json").status_code == 403
    no_reason = client_for("county_a_admin").post(url, {"reason": " "}, format="json")
    assert no_reason.status_code == 400
    waived = client_for("county_a_admin").post(url, {"reason": "家属婉拒探望"}, format="json")
    assert waived.status_code == 200
    assert (waived.json()["status"], waived.json()["waived_reason"]) == ("waived", "家属婉拒探望")
    again = client_for("county_a_admin").post(url, {"reason": "再次"}, format="json")
    assert again.status_code == 400 and _errors(again) == {"status": "只有待走访的任务可以免访。"}


def test_county_staff_reassign_and_waive_with_a_reason_the_obligations_escalated_to_them(
    cast: Any, client_for: Any
) -> None:
    # given an obligation the township did not act on (the reminders escalate it to the county)
    obligation = _event(cast.cadre_a1, clock.today())
    staff = client_for("county_a_staff")

    # when the county's organization department staff hand it to the township's HR officer
    hr_a1 = cadre_of(cast.hr_a1, cast.town_a1)
    moved = staff.patch(f"{OBLIGATIONS}{obligation.pk}/", {"owner": hr_a1.pk}, format="json")

    # then the HR officer owns it; waiving it needs a reason, said in Chinese beside the field
    assert moved.status_code == 200 and moved.json()["owner"] == hr_a1.pk
    url = f"{OBLIGATIONS}{obligation.pk}/waive/"
    for missing in ({}, {"reason": "  "}):
        refused = staff.post(url, missing, format="json")
        assert refused.status_code == 400 and _errors(refused)["reason"] in ("该字段是必填项。", "该字段不能为空。")
    waived = staff.post(url, {"reason": "家属婉拒探望"}, format="json")
    assert waived.status_code == 200
    assert (waived.json()["status"], waived.json()["waived_by"]) == ("waived", cast.county_a_staff.pk)
    # and the other county's obligations stay out of their reach
    other = _event(cast.cadre_b1, clock.today())
    assert staff.post(f"{OBLIGATIONS}{other.pk}/waive/", {"reason": "x"}, format="json").status_code == 404


def test_the_overdue_filter_lists_open_obligations_past_their_deadline(cast: Any, client_for: Any) -> None:
    late = _event(cast.cadre_a1, clock.today() - dt.timedelta(days=30))
    VisitObligation.objects.filter(pk=late.pk).update(deadline=clock.today() - dt.timedelta(days=1))
    on_time = _event(cast.cadre_a1, clock.today())

    rows = client_for("secretary_a1").get(OBLIGATIONS, {"overdue": "true"}).json()["results"]
    others = client_for("secretary_a1").get(OBLIGATIONS, {"overdue": "false"}).json()["results"]

    assert [row["id"] for row in rows] == [late.pk] and rows[0]["overdue"] is True
    assert [row["id"] for row in others] == [on_time.pk]


def test_mine_lists_what_the_user_owns(cast: Any, client_for: Any) -> None:
    mine = _event(cast.cadre_a1, clock.today())

    rows = client_for("secretary_a1").get(OBLIGATIONS, {"mine": "true"}).json()["results"]

    assert [row["id"] for row in rows] == [mine.pk]


def test_a_manual_obligation_gets_the_policy_deadline_and_a_routed_owner(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").post(
        OBLIGATIONS,
        {"cadre": cast.cadre_a1.pk, "reason": "住房受损", "event_date": clock.today().isoformat()},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == "manual" and body["owner"] == cast.secretary_a1_cadre.pk
    assert body["deadline"] == (clock.today() + dt.timedelta(days=7)).isoformat()


def test_due_items_are_open_obligations_due_within_the_horizon(cast: Any) -> None:
    overdue = _event(cast.cadre_a1, dt.date(2026, 5, 1))  # deadline 2026-05-08
    soon = _event(cast.cadre_a2, dt.date(2026, 6, 8))  # deadline 2026-06-15
    _event(cast.cadre_b1, dt.date(2026, 6, 10))  # deadline 2026-06-17: beyond the horizon
    done = _event(cast.cadre_a1, dt.date(2026, 5, 2))
    VisitObligation.objects.filter(pk=done.pk).update(status="done")

    items = list(
        iter_due_items(
            due_items(
                today=TODAY, kinds=["visit_obligation"], where=Q(di_due_date__lte=TODAY + dt.timedelta(days=5))
            ).order_by("di_due_date", "di_object_id")
        )
    )

    assert [item.object_id for item in items] == [overdue.pk, soon.pk]
    assert items[0].due_date < TODAY <= items[1].due_date
    assert items[0].owner_id == cast.secretary_a1.pk and items[1].owner_id is None
    assert soon.owner_note.startswith("鲁甸乡") and items[1].owner_unit_id == cast.cadre_a2.unit.parent_id


def test_a_county_agency_without_head_falls_back_to_its_party_secretary(cast: Any) -> None:
    agency = OrgUnitFactory(kind=UnitKind.COUNTY_AGENCY, parent=cast.county_b)
    boss = UserFactory()
    CadreFactory(unit=agency, leader_post=LeaderPost.PARTY_SECRETARY, user=boss)

    assert _event(CadreFactory(unit=agency)).owner == boss
