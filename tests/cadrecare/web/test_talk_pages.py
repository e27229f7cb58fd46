"""谈话 pages: the talks I must hold (my due items of the talk kinds), one form
recording a talk through ``talks.services.talk_record`` (prefilled from a
must-talk or a regular talk due), people chosen by name from what the API
lets the user name, and a follow-up's page showing its (sensitive) text only
to the talkers and the organization department, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.org.choices import LeaderPost
from cadrecare.org.models import Cadre, User
from cadrecare.talks import services
from cadrecare.talks.choices import TriggerKind, TriggerStatus
from cadrecare.talks.models import Talk, TalkTrigger
from tests.cadrecare.web.conftest import DEMO_ROLES

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")
PAGE_STATUS = {"city_admin": 200, "county_staff": 200, "secretary": 200, "hr": 403, "cadre": 403}


def _secretary() -> User:
    return User.objects.get(username="secretary")


def _cadre_here() -> Cadre:
    township = _secretary().cadre.unit
    return Cadre.objects.filter(unit=township, status="serving", leader_post=LeaderPost.NONE).order_by("pk")[1]


def _cadre_elsewhere() -> Cadre:
    township = _secretary().cadre.unit
    return Cadre.objects.filter(unit__parent=township.parent, status="serving").exclude(unit=township).order_by("pk")[0]


def _trigger(cadre: Cadre | None = None) -> TalkTrigger:
    """An achievement must-talk raised now: routed to the township's party secretary."""
    return services.talk_trigger_create(
        actor=User.objects.get(username="county_staff"),
        cadre=cadre or _cadre_here(),
        kind=TriggerKind.ACHIEVEMENT,
        event_date=clock.today() - dt.timedelta(days=3),
    )


def _good_post(trigger: TalkTrigger, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "talkee": trigger.cadre_id,
        "talkers": [_secretary().pk],
        "date": clock.today().isoformat(),
        "form": "face_to_face",
        "place": "党委书记办公室",
        "summary": "肯定成绩，提醒注意身体。",
        "triggers": [trigger.pk],
        "follow_up_action": "协调解决住宿",
        "follow_up_due": (clock.today() + dt.timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


# -- who may open the pages -------------------------------------------------------------------------
@pytest.mark.parametrize("username", DEMO_ROLES)
def test_talk_pages_follow_the_access_table_for_adding_talks(username: str, signed_in: Callable[[str], Client]) -> None:
    client = signed_in(username)
    assert client.get(reverse("web:talks")).status_code == PAGE_STATUS[username]
    assert client.get(reverse("web:talk-record")).status_code == PAGE_STATUS[username]


def test_the_talks_page_lists_my_talk_items_with_a_link_to_record_each(signed_in: Callable[[str], Client]) -> None:
    # given a must-talk routed to the secretary
    trigger = _trigger()
    assert trigger.talker == _secretary()

    # when the secretary opens 谈话 on everything due
    response = signed_in("secretary").get(reverse("web:talks"), {"within": "all"})

    # then only talk kinds are listed, theirs, and the must-talk links to its form
    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows and {row["kind"] for row in rows} <= {
        "talk_trigger",
        "confidential_talk_trigger",
        "regular_talk",
        "talk_follow_up",
    }
    assert reverse("web:talk-trigger-record", kwargs={"pk": trigger.pk}) in response.content.decode()
    assert not AuditEntry.objects.filter(action="read").exists()


# -- the form -----------------------------------------------------------------------------------------
def test_the_form_is_prefilled_from_the_must_talk(signed_in: Callable[[str], Client]) -> None:
    trigger = _trigger()

    response = signed_in("secretary").get(reverse("web:talk-trigger-record", kwargs={"pk": trigger.pk}))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["talkee"] == trigger.cadre_id
    assert form.initial["talkers"] == [_secretary().pk]
    assert form.initial["triggers"] == [trigger.pk]
    page = response.content.decode()
    # talkee and talker shown by name, chosen, sent as the server's ids
    assert f'name="talkee" value="{trigger.cadre_id}" checked' in page
    assert trigger.cadre.name in page


def test_a_must_talk_of_another_township_is_not_found(signed_in: Callable[[str], Client]) -> None:
    trigger = _trigger(_cadre_elsewhere())

    response = signed_in("secretary").get(reverse("web:talk-trigger-record", kwargs={"pk": trigger.pk}))

    assert response.status_code == 404


def test_the_regular_talk_form_names_the_cadre_and_when_it_is_due(signed_in: Callable[[str], Client]) -> None:
    cadre = _cadre_here()

    response = signed_in("secretary").get(reverse("web:regular-talk-record", kwargs={"pk": cadre.pk}))

    assert response.status_code == 200
    assert response.context["form"].initial["talkee"] == cadre.pk
    assert response.context["item"]["due_date"] is not None
    other = signed_in("secretary").get(reverse("web:regular-talk-record", kwargs={"pk": _cadre_elsewhere().pk}))
    assert other.status_code == 404


def test_searching_a_name_finds_only_people_the_user_may_name(signed_in: Callable[[str], Client]) -> None:
    here, elsewhere = _cadre_here(), _cadre_elsewhere()
    client = signed_in("secretary")
    url = reverse("web:talk-record")

    found = client.get(url, {"pick": "talkee", "talkee_q": here.name}, headers={"HX-Request": "true"})
    missing = client.get(url, {"pick": "talkee", "talkee_q": elsewhere.name}, headers={"HX-Request": "true"})
    talkers = client.get(
        url, {"pick": "talkers", "talkers_q": _secretary().cadre.name[:1]}, headers={"HX-Request": "true"}
    )

    assert found.status_code == 200
    assert f'name="talkee" value="{here.pk}"' in found.content.decode()
    assert "<html" not in found.content.decode()  # the fragment only
    assert f'value="{elsewhere.pk}"' not in missing.content.decode()
    assert "没有找到姓名含" in missing.content.decode()
    assert f'name="talkers" value="{_secretary().pk}"' in talkers.content.decode()


def test_recording_a_talk_closes_the_must_talk_and_audits_the_create(signed_in: Callable[[str], Client]) -> None:
    trigger = _trigger()

    response = signed_in("secretary").post(
        reverse("web:talk-trigger-record", kwargs={"pk": trigger.pk}), _good_post(trigger)
    )

    assert response.status_code == 303
    assert response["Location"] == reverse("web:talks")
    talk = Talk.objects.get(talkee=trigger.cadre, summary="肯定成绩，提醒注意身体。")
    assert list(talk.talkers.all()) == [_secretary()]
    assert talk.summary == "肯定成绩，提醒注意身体。"
    assert [(f.action, f.owner) for f in talk.follow_ups.all()] == [("协调解决住宿", _secretary())]
    trigger.refresh_from_db()
    assert (trigger.status, trigger.talk) == (TriggerStatus.DONE, talk)
    entry = AuditEntry.objects.get(action="create", resource="talks", object_id=talk.pk)
    assert "summary" in entry.fields and "talkers" in entry.fields


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"talkers": []}, "talkers", "谈话人：该字段是必填项。"),
        ({"date": 1}, "date", "谈话日期"),
        (
            {"next_talk_date": -10},
            "next_talk_date",
            "下次谈话日期不能早于本次谈话日期。",
        ),
        ({"follow_up_due": ""}, "follow_up_due", "填写了跟进事项时，请填写完成期限。"),
        (
            {"follow_up_due": -1},
            "follow_up_due",
            "跟进事项的完成期限不能早于谈话日期。",
        ),
    ],
)
def test_a_bad_talk_is_refused_beside_its_field_and_nothing_is_saved(
    overrides: dict[str, object], field: str, message: str, signed_in: Callable[[str], Client]
) -> None:
    # a whole number is a day counted from today, taken when the test runs (not when it is collected,
    # which may be the day before)
    dated = {
        name: (clock.today() + dt.timedelta(days=value)).isoformat() if isinstance(value, int) else value
        for name, value in overrides.items()
    }
    trigger = _trigger()
    talks_before = Talk.objects.count()

    response = signed_in("secretary").post(
        reverse("web:talk-trigger-record", kwargs={"pk": trigger.pk}), _good_post(trigger, **dated)
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert message in response.content.decode()
    assert Talk.objects.count() == talks_before
    trigger.refresh_from_db()
    assert trigger.status == TriggerStatus.OPEN


def test_a_talkee_outside_scope_cannot_be_named(signed_in: Callable[[str], Client]) -> None:
    trigger = _trigger()
    talks_before = Talk.objects.count()

    response = signed_in("secretary").post(
        reverse("web:talk-record"), _good_post(trigger, talkee=_cadre_elsewhere().pk, triggers=[])
    )

    assert response.status_code == 400
    assert "talkee" in response.context["form"].errors
    assert Talk.objects.count() == talks_before


# -- a follow-up ---------------------------------------------------------------------------------------
def _talk_with_follow_up() -> Talk:
    return services.talk_record(
        actor=_secretary(),
        talkee=_cadre_here(),
        talkers=[_secretary()],
        date=clock.today(),
        form="face_to_face",
        summary="谈心",
        follow_ups=[{"action": "落实住房补贴", "due_date": clock.today(), "owner": _secretary()}],
    )


@pytest.mark.parametrize(
    ("username", "status", "sees_text"),
    [
        ("secretary", 200, True),
        ("county_staff", 200, True),
        ("city_admin", 200, True),
        ("hr", 403, False),
        ("cadre", 404, False),
    ],
)
def test_a_follow_up_shows_its_text_to_the_talker_and_the_org_department_audited(
    username: str, status: int, sees_text: bool, signed_in: Callable[[str], Client]
) -> None:
    follow_up = _talk_with_follow_up().follow_ups.get()

    response = signed_in(username).get(reverse("web:talk-follow-up", kwargs={"pk": follow_up.pk}))

    assert response.status_code == status
    assert ("落实住房补贴" in response.content.decode()) is sees_text
    audited = AuditEntry.objects.filter(
        action="read", resource="talks", object_id=follow_up.talk_id, actor__username=username
    )
    assert audited.exists() is sees_text


def test_closing_a_follow_up_goes_through_the_service(signed_in: Callable[[str], Client]) -> None:
    follow_up = _talk_with_follow_up().follow_ups.get()

    response = signed_in("secretary").post(reverse("web:talk-follow-up", kwargs={"pk": follow_up.pk}))

    assert response.status_code == 303
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.done_date) == ("done", clock.today())
    entry = AuditEntry.objects.get(action="update", resource="talks", object_id=follow_up.talk_id)  # one row
    assert entry.fields == ["follow_ups"]


def test_the_owner_who_was_not_a_talker_sees_the_follow_up_masked_and_nothing_is_audited(
    signed_in: Callable[[str], Client],
) -> None:
    # given a talk the county's officer held, whose follow-up the secretary owns
    county = User.objects.get(username="county_staff")
    talk = services.talk_record(
        actor=county,
        talkee=_cadre_here(),
        talkers=[county],
        date=clock.today(),
        form="face_to_face",
        summary="谈心",
        follow_ups=[{"action": "落实住房补贴", "due_date": clock.today(), "owner": _secretary()}],
    )

    response = signed_in("secretary").get(reverse("web:talk-follow-up", kwargs={"pk": talk.follow_ups.get().pk}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "落实住房补贴" not in page and "谈心" not in page
    assert "跟进事项的内容仅谈话人和组织部门可查看。" in page
    assert not AuditEntry.objects.filter(action="read", actor__username="secretary").exists()


def test_a_confidential_must_talk_is_not_found_by_anyone_but_its_talker_and_the_org_department(
    signed_in: Callable[[str], Client],
) -> None:
    trigger = services.talk_trigger_create(
        actor=User.objects.get(username="county_staff"),
        cadre=_cadre_here(),
        kind=TriggerKind.WARNING_SIGNS,
        event_date=clock.today(),
    )
    url = reverse("web:talk-trigger-record", kwargs={"pk": trigger.pk})
    # assigned by hand to the county officer (no longer the post's)
    TalkTrigger.objects.filter(pk=trigger.pk).update(
        talker=User.objects.get(username="county_staff"), owner_post="", owner_post_unit=None
    )

    assert signed_in("secretary").get(url).status_code == 404
    assert signed_in("county_staff").get(url).status_code == 200
