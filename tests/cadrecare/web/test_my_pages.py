"""我的: a cadre's own pages. My rest days this month and next as the API's
roster days show them, my iCalendar feed (address and QR code, renewable),
asking a colleague to swap rest blocks through the swap-request service, and
my check-ups through the API's serializer (audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.health import services as health_services
from cadrecare.org.choices import Role
from cadrecare.org.models import Cadre, RoleGrant, User
from cadrecare.rotation.models import Roster, SwapRequest
from cadrecare.rotation.services import (
    absence_save,
    generation_item_run,
    generation_request,
    notices_send,
    roster_publish,
)
from tests.cadrecare.web.conftest import DEMO_ROLES

pytestmark = pytest.mark.usefixtures("demo_for_module", "db")
# A page about oneself needs a cadre record (the secretary, HR and the county's department staff are cadres,
# the city's administrator is not); then the resource's role rule decides, as in the API: only the cadre role
# asks for swaps.
STATUS = {
    "web:my-rest": {"city_admin": 403, "county_staff": 200, "secretary": 200, "hr": 200, "cadre": 200},
    "web:my-swap": {"city_admin": 403, "county_staff": 403, "secretary": 403, "hr": 403, "cadre": 200},
    "web:my-checkups": {"city_admin": 403, "county_staff": 200, "secretary": 200, "hr": 200, "cadre": 200},
    "web:my-rest-confirm": {"city_admin": 403, "county_staff": 403, "secretary": 403, "hr": 403, "cadre": 200},
}


@pytest.fixture
def published(settings: object) -> Roster:
    """Next month's roster of the demo cadre's township, solved and published."""
    settings.ROTATION_SOLVE_SECONDS = 3  # type: ignore[attr-defined]
    town = User.objects.get(username="cadre").cadre.unit
    month = (clock.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    run = generation_request(actor=None, unit=town, month=month)
    generation_item_run(item_id=run.items.get().pk)
    return roster_publish(actor=None, roster_obj=Roster.objects.get(unit=town, month=month), confirm_provisional=True)


def _api(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


@pytest.mark.parametrize("username", DEMO_ROLES)
@pytest.mark.parametrize("url_name", list(STATUS))
def test_my_pages_are_for_cadres_by_the_access_table(
    url_name: str, username: str, signed_in: Callable[[str], Client]
) -> None:
    assert signed_in(username).get(reverse(url_name)).status_code == STATUS[url_name][username]


# -- rest days and the feed --------------------------------------------------------------------------
def test_rest_days_i_spent_on_leave_show_as_away_on_my_calendar(
    published: Roster, signed_in: Callable[[str], Client]
) -> None:
    cadre = User.objects.get(username="cadre").cadre
    rest = sorted(
        published.current.days.filter(cadre=cadre, kind="rest").values_list("date", flat=True)  # type: ignore[union-attr]
    )
    absence_save(actor=None, data={"cadre": cadre, "kind": "annual_leave", "start": rest[0], "end": rest[1]})

    response = signed_in("cadre").get(reverse("web:my-rest"))

    shown = {
        day["date"]: day["kind"]
        for month in response.context["months"]
        for week in month["weeks"]
        for day in week
        if day["in_month"]
    }
    assert (shown[rest[0]], shown[rest[1]], shown[rest[2]]) == ("away", "away", "rest")


def test_at_the_months_end_i_see_my_figures_and_correct_them_through_the_service(
    published: Roster, signed_in: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = reverse("web:my-rest-confirm")
    before = signed_in("cadre").get(page)
    assert before.status_code == 200 and not before.context["form"].fields["roster"].choices  # the month is ahead
    mine = _api("cadre").get("/api/v1/rest-compliance/", {"month": f"{published.month:%Y-%m}"}).json()["results"]
    assert [item["row"].taken for item in before.context["rows"]] == [row["taken"] for row in mine]

    last = (published.month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    monkeypatch.setattr(clock, "today", lambda: last)
    refused = signed_in("cadre").post(page, {"roster": published.pk, "answer": "correct", "days_rested": 6})
    assert refused.status_code == 400 and "更正" in str(refused.context["form"].errors["note"])
    response = signed_in("cadre").post(
        page, {"roster": published.pk, "answer": "correct", "days_rested": 6, "note": "18日被叫回防汛"}
    )
    assert response.status_code == 303
    confirmation = published.rest_confirmations.get()
    assert (confirmation.status, confirmation.days_rested) == ("corrected", 6)
    shown = signed_in("cadre").get(page)
    assert shown.context["rows"][0]["status"] == "有更正，待书记处理"


def test_my_rest_calendar_shows_the_rest_days_the_api_gives_me(
    published: Roster, signed_in: Callable[[str], Client]
) -> None:
    today = clock.today()
    api = _api("cadre").get("/api/v1/roster-days/", {"kind": "rest", "page_size": 200}).json()["results"]
    first, last = today.replace(day=1), (today.replace(day=1) + dt.timedelta(days=62)).replace(day=1)
    expected = {day["date"] for day in api if first.isoformat() <= day["date"] < last.isoformat()}

    response = signed_in("cadre").get(reverse("web:my-rest"))

    assert response.status_code == 200
    shown = {
        day["date"].isoformat()
        for month in response.context["months"]
        for week in month["weeks"]
        for day in week
        if day["in_month"] and day["kind"] == "rest"
    }
    assert shown and shown == expected
    assert "<svg" in response.content.decode()  # the QR code, drawn on the server


def test_the_feed_address_serves_my_rest_and_renewing_it_kills_the_old_one(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("cadre")
    old = client.get(reverse("web:my-rest")).context["feed_url"]
    assert Client().get(old).status_code == 200
    assert Client().get(old)["Content-Type"].startswith("text/calendar")

    response = client.post(reverse("web:my-rest"))

    assert response.status_code == 303
    new = client.get(reverse("web:my-rest")).context["feed_url"]
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


# -- swap requests -----------------------------------------------------------------------------------
def _choices(client: Client) -> tuple[list[str], list[str]]:
    form = client.get(reverse("web:my-swap")).context["form"]
    mine = [value for value, _ in form.fields["mine"].choices if value]
    theirs = [value for value, _ in form.fields["theirs"].choices]
    return mine, theirs


def _asked(client: Client) -> SwapRequest:
    mine, theirs = _choices(client)
    for value in theirs:
        response = client.post(reverse("web:my-swap"), {"mine": mine[0], "theirs": value, "reason": "家中有事"})
        if response.status_code == 303:
            return SwapRequest.objects.get(requester__user__username="cadre")
    raise AssertionError("no swap keeps the rules")


def test_asking_for_a_swap_goes_through_the_service_and_is_audited(
    published: Roster, signed_in: Callable[[str], Client]
) -> None:
    swap = _asked(signed_in("cadre"))

    assert (swap.status, swap.reason) == ("pending_counterpart", "家中有事")
    assert AuditEntry.objects.filter(action="create", resource="swap-requests", object_id=swap.pk).exists()


def test_searching_a_colleague_lists_their_blocks(published: Roster, signed_in: Callable[[str], Client]) -> None:
    client = signed_in("cadre")
    form = client.get(reverse("web:my-swap")).context["form"]
    value, label = form.fields["theirs"].choices[0]
    name = form.fields["theirs"].names[value]

    found = client.get(reverse("web:my-swap"), {"pick": "theirs", "theirs_q": name}, headers={"HX-Request": "true"})

    assert f'value="{value}"' in found.content.decode()
    assert label in found.content.decode()


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"reason": ""}, "reason", "换休理由：该字段是必填项。"),
        ({"theirs": "1:1:2000-01-01"}, "theirs", "对方及其休息段："),
    ],
)
def test_a_bad_swap_request_is_refused_beside_its_field_and_nothing_is_saved(
    post: dict[str, str], field: str, message: str, published: Roster, signed_in: Callable[[str], Client]
) -> None:
    client = signed_in("cadre")
    mine, theirs = _choices(client)

    response = client.post(reverse("web:my-swap"), {"mine": mine[0], "theirs": theirs[0], "reason": "家中有事", **post})

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not SwapRequest.objects.filter(requester__user__username="cadre").exists()


def test_the_requester_withdraws_and_the_colleague_answers_from_the_page(
    published: Roster, signed_in: Callable[[str], Client]
) -> None:
    client = signed_in("cadre")
    swap = _asked(client)
    # the colleague, given a login, sees the request and may accept it; nobody else may answer
    colleague = User.objects.create_user("colleague", first_name="同事")
    RoleGrant.objects.create(user=colleague, role=Role.CADRE, unit=swap.counterpart.unit)
    Cadre.objects.filter(pk=swap.counterpart_id).update(user=colleague)
    notices_send(  # the request's notice, as the colleague would have had it with a login
        kind="swap_request",
        object_id=swap.pk,
        unit_id=swap.roster.unit_id,
        period=swap.roster.month,
        due_date=swap.requester_start,
        url="",
        messages=[(colleague.pk, swap.counterpart_id, "同事请求与您换休", "请确认或拒绝。")],
    )
    answer = reverse("web:my-swap-answer", kwargs={"pk": swap.pk})
    notice = signed_in("colleague").get(reverse("web:inbox")).context["rows"][0]
    assert notice["action"]["url"] == reverse("web:my-swap")  # where the accept button is
    assert 'value="accept"' in signed_in("colleague").get(reverse("web:my-swap")).content.decode()
    assert client.post(answer, {"answer": "accept"}).status_code == 403  # the requester cannot accept for them
    assert signed_in("secretary").post(answer, {"answer": "accept"}).status_code == 403  # by role

    response = signed_in("colleague").post(answer, {"answer": "accept"})

    assert response.status_code == 303
    swap.refresh_from_db()
    assert swap.status == "pending_approval"

    # and the requester may still take it back
    assert client.post(answer, {"answer": "withdraw"}).status_code == 303
    swap.refresh_from_db()
    assert swap.status == "withdrawn"


# -- check-ups -----------------------------------------------------------------------------------------
def test_my_checkups_show_my_findings_and_are_audited(signed_in: Callable[[str], Client]) -> None:
    cadre = User.objects.get(username="cadre").cadre
    health_services.checkup_record(
        actor=User.objects.get(username="hr"),
        cadre=cadre,
        date=clock.today() - dt.timedelta(days=5),
        kind="annual",
        institution="县人民医院",
        conclusion="recheck",
        findings="血压偏高",
        follow_up_needed=True,
        follow_up_by=clock.today() + dt.timedelta(days=30),
    )

    response = signed_in("cadre").get(reverse("web:my-checkups"))

    assert response.status_code == 200
    assert "血压偏高" in response.content.decode()
    assert AuditEntry.objects.filter(
        action="read", resource="health-checkups", cadre_id=cadre.pk, actor__username="cadre"
    ).exists()


def test_a_secretary_reads_their_own_checkups_at_their_roles_level_masked(signed_in: Callable[[str], Client]) -> None:
    # the secretary's role reads check-ups at the basic level, their own included, as in the API
    cadre = User.objects.get(username="secretary").cadre
    health_services.checkup_record(
        actor=User.objects.get(username="hr"),
        cadre=cadre,
        date=clock.today() - dt.timedelta(days=5),
        kind="annual",
        institution="县人民医院",
        conclusion="normal",
        findings="血脂偏高",
    )
    api = _api("secretary").get("/api/v1/health-checkups/", {"cadre": cadre.pk}).json()["results"]

    response = signed_in("secretary").get(reverse("web:my-checkups"))

    assert response.status_code == 200
    assert "血脂偏高" not in response.content.decode()
    assert [row["findings"] for row in response.context["checkups"]] == [row["findings"] for row in api]
