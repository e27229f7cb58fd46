"""关爱政策, 提醒规则, 谈话分工 and 谈话期限 on forms: each through the one
service the API (where it has the resource) calls too, with its audit row;
an error shown beside its field in Chinese with nothing saved; open to those
who may change the policy (the organisation department's administrator), 403
to other roles, 404 for a unit out of scope."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cadrecare.audit.models import AuditEntry
from cadrecare.care.models import CarePolicy
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.reminders.models import ReminderSchedule
from cadrecare.talks.models import TalkPolicy, TalkRoute
from cadrecare.talks.routing import county_of
from tests.cadrecare.web.conftest import DEMO_ROLES

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")

PAGES = ["web:care-policy", "web:reminder-schedule", "web:talk-routes", "web:talk-due-days"]


def _township() -> OrgUnit:
    return Cadre.objects.get(user__username="secretary").unit


def _audited(action: str, resource: str, record: object) -> bool:
    return AuditEntry.objects.filter(action=action, resource=resource, object_id=str(record.pk)).exists()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("username", DEMO_ROLES)
def test_policy_forms_open_to_those_who_may_change_policies(
    page: str, username: str, signed_in: Callable[[str], Client]
) -> None:
    response = signed_in(username).get(reverse(page))

    assert response.status_code == (200 if username == "city_admin" else 403)


@pytest.mark.parametrize("page", PAGES)
def test_a_unit_out_of_scope_is_404(page: str, signed_in: Callable[[str], Client]) -> None:
    assert signed_in("city_admin").get(reverse(page), {"unit": 10**9}).status_code == 404


# -- 关爱政策 -------------------------------------------------------------------------------------------
def test_a_township_sets_its_own_visit_deadlines_and_owner_by_name(signed_in: Callable[[str], Client]) -> None:
    township = _township()
    owner = User.objects.get(username="secretary")
    client = signed_in("city_admin")

    # the owner is found by name among the people the administrator may name
    found = client.get(reverse("web:care-policy"), {"pick": "visit_owner", "visit_owner_q": owner.cadre.name})
    assert f'value="{owner.pk}"' in found.content.decode()

    response = client.post(
        reverse("web:care-policy") + f"?unit={township.pk}",
        {"unit_id": township.pk, "family_event_days": 5, "death_days": "", "visit_owner": [owner.pk]},
    )

    assert response.status_code == 303
    policy = CarePolicy.objects.get(unit=township)
    assert (policy.family_event_days, policy.death_days, policy.visit_owner) == (5, None, owner)
    assert _audited("create", "care-policies", policy)
    page = client.get(reverse("web:care-policy"), {"unit": township.pk}).content.decode()
    assert "5 天" in page and owner.cadre.name in page  # in force now, and chosen in the form


@pytest.mark.parametrize(
    ("data", "field_label"),
    [
        ({"family_event_days": 61}, "家庭变故必访期限（天）"),
        ({"hardship_review_months": "三"}, "困难帮扶回访周期（月）"),
        ({"visit_owner": [10**9]}, "指定走访责任人"),
    ],
)
def test_bad_care_settings_are_refused_beside_their_field(
    data: dict, field_label: str, signed_in: Callable[[str], Client]
) -> None:
    township = _township()

    response = signed_in("city_admin").post(
        reverse("web:care-policy") + f"?unit={township.pk}", {"unit_id": township.pk, **data}
    )

    assert response.status_code == 400
    assert f"{field_label}：" in response.content.decode()
    assert not CarePolicy.objects.filter(unit=township).exists()


def test_two_visit_owners_are_refused(signed_in: Callable[[str], Client]) -> None:
    township = _township()
    two = list(User.objects.filter(username__in=["secretary", "hr"]).values_list("pk", flat=True))

    response = signed_in("city_admin").post(
        reverse("web:care-policy") + f"?unit={township.pk}", {"unit_id": township.pk, "visit_owner": two}
    )

    assert response.status_code == 400
    assert "只能选择一人。" in response.content.decode()
    assert not CarePolicy.objects.filter(unit=township).exists()


# -- 提醒规则 -------------------------------------------------------------------------------------------
def test_a_township_gets_its_own_reminder_schedule(signed_in: Callable[[str], Client]) -> None:
    township = _township()
    client = signed_in("city_admin")
    assert client.get(reverse("web:reminder-schedule"), {"unit": township.pk}).context["form"].initial == {
        "lead_days": 3,
        "county_after_days": 7,
        "city_after_days": 14,
    }  # the schedule in force, as a start

    response = client.post(
        reverse("web:reminder-schedule") + f"?unit={township.pk}",
        {"unit_id": township.pk, "lead_days": 5, "county_after_days": 3, "city_after_days": 10},
    )

    assert response.status_code == 303
    schedule = ReminderSchedule.objects.get(unit=township)
    assert (schedule.lead_days, schedule.county_after_days, schedule.city_after_days) == (5, 3, 10)
    written = AuditEntry.objects.filter(resource="reminder-schedules", object_id=str(schedule.pk))
    assert list(written.exclude(action="read").values_list("action", flat=True)) == ["create"]  # one row


def test_a_bad_reminder_schedule_is_refused_beside_its_field(signed_in: Callable[[str], Client]) -> None:
    township = _township()

    response = signed_in("city_admin").post(
        reverse("web:reminder-schedule") + f"?unit={township.pk}",
        {"unit_id": township.pk, "lead_days": 3, "county_after_days": 0, "city_after_days": "十"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "逾期几天上报县委组织部：" in page and "上报县委组织部后再过几天上报市委组织部：" in page
    assert not ReminderSchedule.objects.filter(unit=township).exists()


# -- 谈话分工 -------------------------------------------------------------------------------------------
def test_a_county_routes_its_township_cadres_talks(signed_in: Callable[[str], Client]) -> None:
    township = _township()
    county = county_of(township)
    client = signed_in("city_admin")
    page = client.get(reverse("web:talk-routes"), {"unit": county.pk, "group": "township_cadre"})
    assert page.context["form"].initial["talker_post"] == "township_party_secretary"  # the seed's default

    response = client.post(
        reverse("web:talk-routes") + f"?unit={county.pk}&group=township_cadre",
        {
            "unit_id": county.pk,
            "group": "township_cadre",
            "talker_post": "township_party_secretary",
            "talker_leader_post": "head",
            "talker_unit": "",
            "cadence_months": 6,
        },
    )

    assert response.status_code == 303
    route = TalkRoute.objects.get(county=county, talkee_group="township_cadre")
    assert (route.talker_leader_post, route.talker_unit, route.cadence_months) == ("head", None, 6)
    assert _audited("create", "talk-routes", route)


def test_a_talker_unit_outside_the_county_and_a_bad_cadence_are_refused(signed_in: Callable[[str], Client]) -> None:
    county = county_of(_township())
    elsewhere = OrgUnit.objects.exclude(path__startswith=county.path).first()

    response = signed_in("city_admin").post(
        reverse("web:talk-routes") + f"?unit={county.pk}",
        {
            "unit_id": county.pk,
            "group": "township_leader",
            "talker_post": "org_department_head",
            "talker_leader_post": "head",
            "talker_unit": elsewhere.pk,
            "cadence_months": 0,
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "谈话人所在单位：" in page and "经常性谈话周期（月）：" in page
    assert not TalkRoute.objects.filter(county=county).exists()


def test_talk_routes_are_set_per_county_only(signed_in: Callable[[str], Client]) -> None:
    assert signed_in("city_admin").get(reverse("web:talk-routes"), {"unit": _township().pk}).status_code == 404


# -- 谈话期限 -------------------------------------------------------------------------------------------
def test_a_township_sets_and_then_clears_its_own_due_days(signed_in: Callable[[str], Client]) -> None:
    township = _township()
    client = signed_in("city_admin")
    url = reverse("web:talk-due-days") + f"?unit={township.pk}"

    assert client.post(url, {"unit_id": township.pk, "team_discord": 10, "petition": ""}).status_code == 303
    policy = TalkPolicy.objects.get(unit=township)
    assert (policy.kind, policy.due_days) == ("team_discord", 10)
    assert _audited("create", "talk-policies", policy)
    assert "现行 10 天" in client.get(url).content.decode()

    assert client.post(url, {"unit_id": township.pk, "team_discord": ""}).status_code == 303
    assert not TalkPolicy.objects.filter(unit=township).exists()  # back to the unit above or the default
    assert _audited("delete", "talk-policies", policy)


def test_bad_due_days_are_refused_beside_their_kind(signed_in: Callable[[str], Client]) -> None:
    township = _township()

    response = signed_in("city_admin").post(
        reverse("web:talk-due-days") + f"?unit={township.pk}",
        {"unit_id": township.pk, "team_discord": 10, "petition": 0},
    )

    assert response.status_code == 400
    assert "有重要信访反映（天）：" in response.content.decode()
    assert not TalkPolicy.objects.filter(unit=township).exists()


@pytest.mark.parametrize(
    ("page", "english"),
    [
        ("web:care-policy", "Leave empty to follow the unit above (default 7 days)."),
        ("web:reminder-schedule", "Days overdue before the county organization department is told"),
        ("web:talk-routes", "Routes in force"),
        ("web:talk-due-days", "days in force; leave empty to follow the unit above or the default."),
    ],
)
def test_the_policy_forms_read_in_english_through_the_language_switch(
    page: str, english: str, signed_in: Callable[[str], Client]
) -> None:
    client = signed_in("city_admin")
    client.cookies["django_language"] = "en"

    assert english in client.get(reverse(page)).content.decode()
