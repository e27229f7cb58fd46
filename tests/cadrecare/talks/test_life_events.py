"""A cadre's life ends what no longer applies: a death, a
retirement or a departure cancels the cadre's open must-talks, follow-ups
and interview items with the reason (去世, 离退休, 调离), in the transaction
that changes the status, audited; the regular-talk clock stops. The
condolence visit for a death stays (it is for the family); a retiree's visits
stay. After the day, the reminders scan makes no notice about the cadre but
for those visits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from cadrecare.audit.models import AuditEntry
from cadrecare.care import services as care
from cadrecare.care.models import VisitObligation
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.org import services as org
from cadrecare.org.choices import CadreStatus, Rank
from cadrecare.org.models import Cadre
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import reminders_scan
from cadrecare.reminders.sources import due_items, iter_due_items
from cadrecare.talks import services as talks
from cadrecare.talks.models import InterviewItem, TalkFollowUp, TalkTrigger
from tests.factories import HardshipCaseFactory

TODAY = dt.date(2026, 5, 4)
EVENT = dt.date(2026, 4, 28)


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.date], None]:
    """Move the service's clock (API calls read it) to a given day."""

    def move(day: dt.date) -> None:
        monkeypatch.setattr(clock, "today", lambda: day)

    move(TODAY)
    return move


@pytest.fixture
def open_items(cast: Any, talkers: Any, on_day: Any) -> dict[str, Any]:
    """木晓梅 (cadre A1, a section member) with one open item of every kind
    that is about her: a family event's must-talk and visit, her illness's
    visit, a warning-signs must-talk, a talk's follow-up, an interview item,
    a hardship case under review and her regular talk."""
    cadre = cast.cadre_a1
    Cadre.objects.filter(pk=cadre.pk).update(rank=Rank.SECTION_DEPUTY)
    event, _ = care.family_event_record(actor=cast.hr_a1, cadre=cadre, kind="grave_illness", date=EVENT, today=TODAY)
    illness, _ = care.cadre_condition_record(actor=cast.hr_a1, cadre=cadre, kind="illness", date=EVENT, today=TODAY)
    warning = talks.talk_trigger_create(
        actor=cast.county_a_staff, cadre=cadre, kind="warning_signs", event_date=EVENT, note="工作状态异常", today=TODAY
    )
    talk = talks.talk_record(
        actor=cast.secretary_a1,
        talkee=cadre,
        talkers=[cast.secretary_a1],
        date=EVENT,
        form="phone",
        follow_ups=[{"action": "协调子女入学", "due_date": TODAY}],
        today=TODAY,
    )
    round_ = talks.interview_round_plan(
        actor=cast.county_a_staff,
        unit=cast.town_a1,
        title="二季度约谈",
        start_date=TODAY,
        end_date=TODAY + dt.timedelta(days=20),
        interviewers=[talkers.org_head],
    )
    return {
        "trigger": TalkTrigger.objects.get(cadre=cadre, kind="family_event"),
        "warning": warning,
        "follow_up": TalkFollowUp.objects.get(talk=talk),
        "interview": InterviewItem.objects.get(round=round_, cadre=cadre),
        "family_visit": event.obligation,
        "illness_visit": illness.obligation,
        "hardship": HardshipCaseFactory(cadre=cadre, opened_on=EVENT, next_review=TODAY + dt.timedelta(days=5)),
    }


def _retire(client: APIClient, cadre: Cadre, status: str, day: dt.date = TODAY) -> Any:
    return client.post(f"/api/v1/cadres/{cadre.pk}/status/", {"status": status, "date": day.isoformat()}, format="json")


def _die(client: APIClient, cadre: Cadre, day: dt.date = TODAY) -> Any:
    return client.post(
        "/api/v1/cadre-conditions/", {"cadre": cadre.pk, "kind": "death", "date": day.isoformat()}, format="json"
    )


LIFE_EVENTS: dict[str, Callable[[APIClient, Cadre], Any]] = {
    CadreStatus.DECEASED: _die,
    CadreStatus.RETIRED: lambda client, cadre: _retire(client, cadre, CadreStatus.RETIRED),
    CadreStatus.TRANSFERRED_OUT: lambda client, cadre: _retire(client, cadre, CadreStatus.TRANSFERRED_OUT),
}
LABELS = {CadreStatus.DECEASED: "去世", CadreStatus.RETIRED: "离退休", CadreStatus.TRANSFERRED_OUT: "调离"}


def _due_kinds_about(cadre: Cadre) -> set[str]:
    return {item.kind for item in iter_due_items(due_items(today=TODAY)) if item.cadre_id == cadre.pk}


def test_every_kind_of_item_about_a_serving_cadre_is_due_before_anything_happens(cast, open_items) -> None:
    assert _due_kinds_about(cast.cadre_a1) == {
        "talk_trigger",
        "confidential_talk_trigger",
        "talk_follow_up",
        "interview",
        "visit_obligation",
        "hardship_review",
        "regular_talk",
        "checkup",
    }


@pytest.mark.parametrize("status", list(LIFE_EVENTS))
def test_a_life_event_cancels_the_cadres_talks_with_its_reason_and_date(cast, client_for, open_items, status) -> None:
    # when HR records the death, retirement or departure through the API
    response = LIFE_EVENTS[status](client_for("hr_a1"), cast.cadre_a1)

    # then the must-talks, the follow-up and the interview item are cancelled, saying why and when
    assert response.status_code in (200, 201), response.content
    for name in ("trigger", "warning", "follow_up", "interview"):
        item = type(open_items[name]).objects.get(pk=open_items[name].pk)
        assert (item.status, item.cancel_reason, item.cancelled_on) == ("cancelled", status, TODAY), name
    # and no talk of any kind (the regular talk included) is due about the cadre any more
    assert not _due_kinds_about(cast.cadre_a1) & {
        "talk_trigger",
        "confidential_talk_trigger",
        "talk_follow_up",
        "interview",
        "regular_talk",
        "checkup",
    }
    cadre = Cadre.objects.get(pk=cast.cadre_a1.pk)
    assert (cadre.status, cadre.status_changed_on) == (status, TODAY)


@pytest.mark.parametrize("status", list(LIFE_EVENTS))
def test_the_reader_sees_the_reason_in_chinese_or_english(cast, client_for, open_items, status) -> None:
    LIFE_EVENTS[status](client_for("hr_a1"), cast.cadre_a1)
    staff = client_for("county_a_staff")

    trigger = staff.get(f"/api/v1/talk-triggers/{open_items['trigger'].pk}/").json()
    english = staff.get(f"/api/v1/talk-triggers/{open_items['trigger'].pk}/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert (trigger["status_label"], trigger["cancel_reason_label"], trigger["cancelled_on"]) == (
        "已撤销",
        LABELS[status],
        TODAY.isoformat(),
    )
    assert english["status_label"] == "Cancelled"


@pytest.mark.parametrize(
    ("status", "still_open"),
    [
        (CadreStatus.DECEASED, {"condolence"}),
        (CadreStatus.RETIRED, {"family_visit", "illness_visit"}),
        (CadreStatus.TRANSFERRED_OUT, set()),
    ],
)
def test_the_care_the_family_is_still_owed_stays_open(cast, client_for, open_items, status, still_open) -> None:
    LIFE_EVENTS[status](client_for("hr_a1"), cast.cadre_a1)

    visits = {"family_visit": open_items["family_visit"], "illness_visit": open_items["illness_visit"]}
    condolence = VisitObligation.objects.filter(cadre=cast.cadre_a1, source="death").first()
    if condolence is not None:
        visits["condolence"] = condolence
    opened = {name for name, visit in visits.items() if VisitObligation.objects.get(pk=visit.pk).status == "open"}
    assert opened == still_open
    for name in set(visits) - still_open:
        visit = VisitObligation.objects.get(pk=visits[name].pk)
        assert (visit.status, visit.cancel_reason, visit.cancelled_on) == ("cancelled", status, TODAY)
    # a retiree's hardship case is still reviewed; after a death or a departure it is not
    assert ("hardship_review" in _due_kinds_about(cast.cadre_a1)) == (status == CadreStatus.RETIRED)


def test_every_cancellation_is_audited_as_the_recorder(cast, client_for, open_items) -> None:
    _retire(client_for("hr_a1"), cast.cadre_a1, CadreStatus.RETIRED)

    audited = set(AuditEntry.objects.filter(actor=cast.hr_a1, action="update").values_list("resource", "object_id"))

    assert {
        ("talk-triggers", str(open_items["trigger"].pk)),
        ("talk-triggers", str(open_items["warning"].pk)),
        ("talks", str(open_items["follow_up"].pk)),
        ("interview-rounds", str(open_items["interview"].pk)),
        ("cadres", str(cast.cadre_a1.pk)),
    } <= audited


def test_the_status_and_the_cancellations_land_together_or_not_at_all(cast, open_items) -> None:
    # given a module whose listener fails after the others ran
    def broken(change: org.ServiceEnded) -> None:
        raise RuntimeError("listener failed")

    org.cadre_status_listeners.append(broken)  # the list the service reads, wherever it is defined
    try:
        with pytest.raises(RuntimeError):
            org.cadre_status_change(
                actor=cast.hr_a1, cadre=cast.cadre_a1, status=CadreStatus.RETIRED, date=TODAY, today=TODAY
            )
    finally:
        org.cadre_status_listeners.remove(broken)

    assert Cadre.objects.get(pk=cast.cadre_a1.pk).status == CadreStatus.SERVING
    assert TalkTrigger.objects.get(pk=open_items["trigger"].pk).status == "open"


def test_the_status_changes_only_through_its_own_door_with_a_date(cast, client_for, on_day) -> None:
    client = client_for("hr_a1")
    url = f"/api/v1/cadres/{cast.cadre_a1.pk}/"

    patched = client.patch(url, {"status": "retired"}, format="json")
    future = _retire(client, cast.cadre_a1, CadreStatus.RETIRED, TODAY + dt.timedelta(days=1))
    death = _retire(client, cast.cadre_a1, CadreStatus.DECEASED)
    by_secretary = _retire(client_for("secretary_a1"), cast.cadre_a1, CadreStatus.RETIRED)

    assert patched.status_code == 400 and patched.json()["errors"][0]["field"] == "status"
    assert future.status_code == 400 and future.json()["errors"][0] == {
        "field": "date",
        "message": "变动日期不能晚于今天。",
    }
    assert death.status_code == 400  # a death is a cadre condition, which opens the condolence visit
    assert by_secretary.status_code == 403
    assert Cadre.objects.get(pk=cast.cadre_a1.pk).status == CadreStatus.SERVING


def test_a_status_cannot_change_after_death(cast) -> None:
    org.cadre_status_change(actor=None, cadre=cast.cadre_a1, status=CadreStatus.DECEASED, date=TODAY, today=TODAY)

    with pytest.raises(DomainError, match="已登记去世"):
        org.cadre_status_change(actor=None, cadre=cast.cadre_a1, status=CadreStatus.RETIRED, date=TODAY, today=TODAY)


def test_a_cadre_posted_to_another_township_leaves_the_old_townships_interview_round(cast, talkers, open_items) -> None:
    change = org.post_change_record(
        actor=cast.county_a_admin,  # the county moves a cadre between its townships
        cadre=cast.cadre_a1,
        kind="exchange",
        date=TODAY,
        to_unit=cast.town_a2,
        to_rank=Rank.SECTION_DEPUTY,
    )

    item = InterviewItem.objects.get(pk=open_items["interview"].pk)
    assert (item.status, item.cancel_reason, item.cancelled_on) == ("cancelled", "transferred_out", change.date)
    # the must-talks stay: they follow the cadre
    assert TalkTrigger.objects.get(pk=open_items["trigger"].pk).status == "open"


def test_nothing_raises_a_talk_about_a_cadre_whose_service_ended(cast, talkers) -> None:
    org.cadre_status_change(actor=None, cadre=cast.cadre_a1, status=CadreStatus.RETIRED, date=EVENT, today=TODAY)
    retired = Cadre.objects.get(pk=cast.cadre_a1.pk)

    event, _ = care.family_event_record(actor=None, cadre=retired, kind="accident", date=TODAY, today=TODAY)
    assert event.obligation.status == "open"  # a retiree's family is still visited
    care.cadre_condition_record(actor=None, cadre=retired, kind="death", date=TODAY, today=TODAY)
    dead = Cadre.objects.get(pk=cast.cadre_a1.pk)
    talks.commendation_record(actor=None, cadre=dead, level="county", title="优秀共产党员", date=TODAY, today=TODAY)
    talks.petition_record(
        actor=None, cadre=dead, date=TODAY, summary="反映问题", seriousness="minor", important=True, today=TODAY
    )

    assert not TalkTrigger.objects.filter(cadre=cast.cadre_a1).exists()


@pytest.mark.parametrize("status", list(LIFE_EVENTS))
def test_the_daily_scan_makes_no_notice_about_the_cadre_after_the_day(
    cast, client_for, open_items, on_day, status
) -> None:
    # given the reminders scan running every day, the items falling due and overdue
    first = TODAY - dt.timedelta(days=3)
    for offset in range(0, 3):
        reminders_scan(today=first + dt.timedelta(days=offset))
    assert Notice.objects.filter(cadre_id=cast.cadre_a1.pk).exists()
    before = set(Notice.objects.values_list("pk", flat=True))

    # when the life event is recorded on TODAY, and the scan goes on for five weeks
    LIFE_EVENTS[status](client_for("hr_a1"), cast.cadre_a1)
    for offset in range(0, 36):
        day = TODAY + dt.timedelta(days=offset)
        on_day(day)
        reminders_scan(today=day)

    # then every notice about the cadre made since is about the care still owed to the family
    after = Notice.objects.filter(cadre_id=cast.cadre_a1.pk).exclude(pk__in=before)
    kept = {
        CadreStatus.DECEASED: {"visit_obligation"},
        CadreStatus.RETIRED: {"visit_obligation", "hardship_review"},
        CadreStatus.TRANSFERRED_OUT: set(),
    }[status]
    assert set(after.values_list("kind", flat=True)) <= kept
    if status == CadreStatus.DECEASED:
        condolence = VisitObligation.objects.get(cadre=cast.cadre_a1, source="death")
        assert set(after.values_list("object_id", flat=True)) == {condolence.pk}
