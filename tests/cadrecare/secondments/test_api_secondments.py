"""Secondments through the API: a term moves the cadre's rest and care to the
host unit, the home unit's organization department decides it before the end
(return, extend, transfer), and the decision falls due as an item it is
reminded of and escalated like every other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from cadrecare.core import clock
from cadrecare.org import posts
from cadrecare.org.choices import CadreStatus, LeaderPost, PostChangeKind, UnitKind
from cadrecare.org.models import Cadre
from cadrecare.reminders.choices import Stage
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import reminders_scan
from cadrecare.reminders.sources import due_items, iter_due_items
from cadrecare.rotation.selectors import rostered_cadres
from cadrecare.secondments.due import KIND
from cadrecare.secondments.services import two_year_term_end
from tests.cadrecare.reminders.support import only_kinds
from tests.factories import CadreFactory, OrgUnitFactory

URL = "/api/v1/secondments/"


def _days(n: int) -> str:
    return (clock.today() + dt.timedelta(days=n)).isoformat()


def _start(client: Any, **data: Any) -> Any:
    return client.post(URL, data, format="json")


def test_a_county_cadre_hangs_post_in_a_township_for_two_years_and_the_township_looks_after_them(
    cast: Any, client_for: Any
) -> None:
    # given a county agency cadre
    cadre = CadreFactory(name="和挂职", unit=cast.agency_a)
    start = clock.today() - dt.timedelta(days=5)

    # when the county's organization department registers their 挂职 as a deputy in township A1
    response = _start(
        client_for("county_a_staff"),
        cadre=cadre.pk,
        kind="hang_post",
        host_unit=cast.town_a1.pk,
        start=start.isoformat(),
        post_title="挂职副乡长",
        host_leader_post="deputy",
    )

    # then the term runs two years, and the cadre works in the township meanwhile, establishment at home
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["planned_end"] == two_year_term_end(start).isoformat()
    assert (body["status"], body["home_unit"], body["host_unit"]) == ("active", cast.agency_a.pk, cast.town_a1.pk)
    cadre.refresh_from_db()
    assert (cadre.unit_id, cadre.establishment_unit_id, cadre.status) == (
        cast.town_a1.pk,
        cast.agency_a.pk,
        CadreStatus.SECONDED,
    )
    assert cadre.leader_post == LeaderPost.DEPUTY and cadre.post_title == "挂职副乡长"
    # the township's roster plans their rest, and a visit to them is the township secretary's
    assert cadre in rostered_cadres(unit=cast.town_a1)
    assert cadre not in rostered_cadres(unit=cast.agency_a)
    # the township's secretary (host) and the county (home) both see the term; another township does not
    for user in ("secretary_a1", "hr_a1", "county_a_staff"):
        assert client_for(user).get(f"{URL}{body['id']}/").status_code == 200, user
    assert client_for("secretary_b1").get(f"{URL}{body['id']}/").status_code == 404


def test_the_principal_posts_stay_with_the_townships_own_cadres(cast: Any, client_for: Any) -> None:
    cadre = CadreFactory(unit=cast.agency_a)

    response = _start(
        client_for("county_a_admin"),
        cadre=cadre.pk,
        kind="hang_post",
        host_unit=cast.town_a1.pk,
        start=_days(-1),
        host_leader_post="party_secretary",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "host_leader_post"
    # the township's secretary still owns what the post owns
    assert posts.holder(cast.town_a1.pk, LeaderPost.PARTY_SECRETARY, clock.today())[0] == cast.secretary_a1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"start": _days(3)}, "start", "开始日期不能晚于今天"),
        ({"planned_end": None}, "planned_end", "请填写计划结束日期"),
        ({"planned_end": _days(-9)}, "planned_end", "计划结束日期应晚于开始日期"),
        ({"notice_days": 0}, "notice_days", "提前提醒天数应在1到365天之间"),
        ({"kind": "holiday"}, "kind", ""),
    ],
)
def test_bad_terms_are_refused_in_chinese_beside_the_field(
    cast: Any, client_for: Any, change: dict[str, Any], field: str, message: str
) -> None:
    data = {
        "cadre": cast.cadre_a2.pk,
        "kind": "loan",
        "host_unit": cast.agency_a.pk,
        "start": _days(-5),
        "planned_end": _days(90),
        **change,
    }
    data = {key: value for key, value in data.items() if value is not None}

    response = _start(client_for("county_a_staff"), **data)

    assert response.status_code == 400, response.content
    error = response.json()
    assert error["errors"][0]["field"] == field
    assert message in error["message"]


def test_a_cadre_has_one_running_term_and_an_unnamed_host_is_not_found(cast: Any, client_for: Any) -> None:
    client = client_for("county_a_staff")
    first = _start(
        client, cadre=cast.cadre_a2.pk, kind="loan", host_unit=cast.agency_a.pk, start=_days(-5), planned_end=_days(90)
    )
    assert first.status_code == 201, first.content

    again = _start(
        client, cadre=cast.cadre_a2.pk, kind="loan", host_unit=cast.town_a1.pk, start=_days(-1), planned_end=_days(90)
    )
    elsewhere = _start(
        client, cadre=cast.cadre_a1.pk, kind="loan", host_unit=cast.town_b1.pk, start=_days(-1), planned_end=_days(90)
    )

    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "cadre", again.json()
    assert elsewhere.status_code == 400 and elsewhere.json()["errors"][0]["field"] == "host_unit"


@pytest.fixture
def running(cast: Any) -> Any:
    """Cadre A1 borrowed by the county agency since a year ago, due back in 30 days."""
    from cadrecare.secondments.services import secondment_start

    return secondment_start(
        actor=None,
        cadre=cast.cadre_a1,
        kind="loan",
        host_unit=cast.agency_a,
        start=clock.today() - dt.timedelta(days=365),
        planned_end=clock.today() + dt.timedelta(days=30),
        post_title="借调工作人员",
    )


def test_returning_puts_the_cadre_back_where_they_were(cast: Any, client_for: Any, running: Any) -> None:
    response = client_for("county_a_staff").post(f"{URL}{running.pk}/decide/", {"decision": "return"}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["ended_on"]) == ("returned", clock.today().isoformat())
    cadre = Cadre.objects.get(pk=cast.cadre_a1.pk)
    assert (cadre.unit_id, cadre.status, cadre.post_title) == (cast.town_a1.pk, CadreStatus.SERVING, "")
    assert cadre in rostered_cadres(unit=cast.town_a1)
    # a decided term is decided once
    again = client_for("county_a_staff").post(
        f"{URL}{running.pk}/decide/", {"decision": "extend", "new_end": _days(400)}, format="json"
    )
    assert again.status_code == 400 and "已返回" in again.json()["message"]


def test_extending_moves_the_end_and_converting_transfers_the_establishment(
    cast: Any, client_for: Any, running: Any
) -> None:
    client = client_for("county_a_admin")
    short = client.post(f"{URL}{running.pk}/decide/", {"decision": "extend", "new_end": _days(10)}, format="json")
    assert short.status_code == 400 and short.json()["errors"][0]["field"] == "new_end"

    extended = client.post(f"{URL}{running.pk}/decide/", {"decision": "extend", "new_end": _days(200)}, format="json")
    assert extended.status_code == 200 and extended.json()["status"] == "extended"
    assert extended.json()["planned_end"] == _days(200)

    converted = client.post(
        f"{URL}{running.pk}/decide/",
        {"decision": "convert", "to_post_title": "综合股股长", "to_rank": "section_deputy"},
        format="json",
    )
    assert converted.status_code == 200, converted.content
    cadre = Cadre.objects.get(pk=cast.cadre_a1.pk)
    assert (cadre.unit_id, cadre.establishment_unit_id, cadre.status) == (
        running.host_unit_id,
        running.host_unit_id,
        CadreStatus.SERVING,
    )
    assert cadre.post_changes.order_by("-id").first().kind == PostChangeKind.TRANSFER


def test_only_the_organization_department_decides_and_only_the_home_ones(cast: Any, client_for: Any) -> None:
    from cadrecare.secondments.services import secondment_start

    # a county B cadre borrowed by county A's agency: county A hosts, county B decides
    term = secondment_start(
        actor=None,
        cadre=cast.cadre_b1,
        kind="loan",
        host_unit=cast.agency_a,
        start=clock.today() - dt.timedelta(days=10),
        planned_end=clock.today() + dt.timedelta(days=10),
    )

    host = client_for("county_a_admin").post(f"{URL}{term.pk}/decide/", {"decision": "return"}, format="json")
    secretary = client_for("secretary_b1").post(f"{URL}{term.pk}/decide/", {"decision": "return"}, format="json")
    city = client_for("city_admin").post(f"{URL}{term.pk}/decide/", {"decision": "return"}, format="json")

    assert host.status_code == 403 and "原单位" in host.json()["message"]
    assert secretary.status_code == 403
    assert city.status_code == 200


# -- the decision as a due item ------------------------------------------------------------------


@pytest.fixture
def decisions_only() -> Iterator[None]:
    with only_kinds(KIND):
        yield


def test_the_decision_is_due_from_sixty_days_before_the_end_for_the_home_county(
    cast: Any, running: Any, client_for: Any
) -> None:
    end = running.planned_end

    before = list(iter_due_items(due_items(today=end - dt.timedelta(days=61), kinds=[KIND])))
    items = list(iter_due_items(due_items(today=end - dt.timedelta(days=60), kinds=[KIND])))

    assert before == []
    [item] = items
    assert (item.object_id, item.due_date, item.owner_id, item.owner_unit_id) == (
        running.pk,
        end,
        None,
        cast.county_a.pk,
    )
    assert item.title == "木晓梅：挂职（借调）期满决定" and item.leads == (60, 7)
    # in 我的待办 of the county's organization department, not of the township's secretary
    mine = client_for("county_a_staff").get("/api/v1/due-items/", {"mine": "1", "kind": KIND})
    assert [row["object_id"] for row in mine.json()["results"]] == [running.pk]
    theirs = client_for("secretary_a1").get("/api/v1/due-items/", {"mine": "1", "kind": KIND})
    assert theirs.json()["results"] == []


def test_the_scan_reminds_the_county_and_escalates_to_the_city_until_decided(
    cast: Any, running: Any, decisions_only: None, client_for: Any
) -> None:
    end = running.planned_end

    # when the scan runs from before the end to three weeks late
    for day in (
        end - dt.timedelta(days=60),
        end - dt.timedelta(days=7),
        end,
        end + dt.timedelta(days=7),
        end + dt.timedelta(days=21),
    ):
        reminders_scan(today=day)

    # then the county's organization department heard, and the city's once it was 21 days late
    staff_stages = set(Notice.objects.filter(recipient=cast.county_a_staff, kind=KIND).values_list("stage", flat=True))
    assert {Stage.UPCOMING, Stage.DUE, Stage.OVERDUE} <= staff_stages
    assert Notice.objects.filter(recipient=cast.city_admin, kind=KIND, stage=Stage.CITY).exists()

    # and once returned, no more
    client_for("county_a_staff").post(f"{URL}{running.pk}/decide/", {"decision": "return"}, format="json")
    assert list(due_items(today=end + dt.timedelta(days=22), kinds=[KIND])) == []


def test_a_city_agency_cadre_is_decided_by_the_city(cast: Any) -> None:
    from cadrecare.secondments.services import secondment_start

    agency = OrgUnitFactory(kind=UnitKind.COUNTY_AGENCY, parent=cast.city, name="市委办公室")
    cadre = CadreFactory(unit=agency)
    term = secondment_start(
        actor=cast.city_admin,
        cadre=cadre,
        kind="hang_post",
        host_unit=cast.town_b1,
        start=clock.today() - dt.timedelta(days=700),
    )

    [item] = list(iter_due_items(due_items(today=clock.today(), kinds=[KIND])))

    assert (item.object_id, item.owner_unit_id) == (term.pk, cast.city.pk)
