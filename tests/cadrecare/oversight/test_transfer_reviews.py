"""The yearly exchange review (交流研判): the county's candidates of the
transfer report each get a decision; undecided ones are the county
organization department's due items; the post change that moves the cadre
out of the remote township closes the decision as done."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.org.choices import PostChangeKind, Rank
from cadrecare.org.services import post_change_record
from cadrecare.oversight.models import TransferDecision
from cadrecare.reminders.choices import Stage
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import reminders_scan
from cadrecare.reminders.sources import due_items, iter_due_items
from tests.factories import CadreFactory

REVIEWS = "/api/v1/transfer-reviews/"


def _candidate(cast: Any, name: str = "和志强") -> Any:
    # 石头乡 (town_a1) is a remote township; twelve years there make a candidate.
    return CadreFactory(name=name, unit=cast.town_a1, rank=Rank.SECTION_DEPUTY, unit_joined=dt.date(2012, 3, 1))


def _open(client: Any, cast: Any, **extra: Any) -> dict[str, Any]:
    response = client.post(REVIEWS, {"county": cast.county_a.pk, "year": clock.today().year, **extra}, format="json")
    assert response.status_code == 201, response.content.decode()
    return response.json()


def test_the_county_opens_its_yearly_review_with_every_candidate_pending(cast: Any, client_for: Any) -> None:
    # given a long-serving section-level cadre in a remote township, and a short-serving one
    long_served = _candidate(cast)
    CadreFactory(unit=cast.town_a1, rank=Rank.SECTION_CHIEF, unit_joined=clock.today() - dt.timedelta(days=400))

    # when the county organization department opens this year's review
    review = _open(client_for("county_a_staff"), cast)

    # then the long-serving cadre alone is a candidate, pending a decision
    assert [(d["cadre"], d["outcome"], d["outcome_label"]) for d in review["decisions"]] == [
        (long_served.pk, "pending", "待研判")
    ]
    assert review["pending"] == 1 and float(review["decisions"][0]["remote_years"]) >= 12


def test_a_second_review_of_the_year_and_a_township_are_refused_in_chinese(cast: Any, client_for: Any) -> None:
    client = client_for("county_a_staff")
    _open(client, cast)

    again = client.post(REVIEWS, {"county": cast.county_a.pk, "year": clock.today().year}, format="json")
    township = client.post(REVIEWS, {"county": cast.town_a1.pk, "year": clock.today().year}, format="json")

    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "year"
    assert "已建立" in again.json()["message"]
    assert township.status_code == 400 and township.json()["message"] == "请选择县（区）。"


def test_other_counties_and_township_roles_cannot_review(cast: Any, client_for: Any) -> None:
    out_of_scope = client_for("county_a_staff").post(
        REVIEWS, {"county": cast.county_b.pk, "year": clock.today().year}, format="json"
    )
    assert out_of_scope.status_code == 400
    assert client_for("secretary_a1").get(REVIEWS).status_code == 403
    assert client_for("hr_a1").get(REVIEWS).status_code == 403


def test_each_decision_is_recorded_and_a_deferral_needs_its_reason(cast: Any, client_for: Any) -> None:
    # given a review with two candidates
    first, second = _candidate(cast, "和志强"), _candidate(cast, "杨丽")
    client = client_for("county_a_staff")
    review = _open(client, cast)
    ids = {d["cadre"]: d["id"] for d in review["decisions"]}
    url = f"{REVIEWS}{review['id']}/decide/"

    # when one is deferred without a reason, with one, and the other declines
    no_reason = client.post(url, {"decision": ids[first.pk], "outcome": "deferred"}, format="json")
    done_by_hand = client.post(url, {"decision": ids[first.pk], "outcome": "done"}, format="json")
    deferred = client.post(
        url, {"decision": ids[first.pk], "outcome": "deferred", "reason": "孩子明年中考"}, format="json"
    )
    declined = client.post(url, {"decision": ids[second.pk], "outcome": "declined"}, format="json")

    # then the reasonless deferral and a hand-made "done" are refused, by field, in Chinese
    assert no_reason.status_code == 400 and no_reason.json()["errors"] == [
        {"field": "reason", "message": "暂缓交流请写明理由。"}
    ]
    assert done_by_hand.status_code == 400 and done_by_hand.json()["errors"][0]["field"] == "outcome"
    assert deferred.status_code == 200 and declined.status_code == 200
    rows = {d["cadre"]: d for d in declined.json()["decisions"]}
    assert (rows[first.pk]["outcome"], rows[first.pk]["reason"]) == ("deferred", "孩子明年中考")
    assert rows[second.pk]["outcome"] == "declined" and declined.json()["pending"] == 0
    # and a decision is audited under the resource
    audited = AuditEntry.objects.filter(actor=cast.county_a_staff, resource="transfer-reviews", action="update")
    assert audited.count() == 2


def test_the_post_change_that_moves_the_cadre_out_closes_the_decision_as_done(cast: Any, client_for: Any) -> None:
    cadre = _candidate(cast)
    client = client_for("county_a_staff")
    review = _open(client, cast)
    client.post(
        f"{REVIEWS}{review['id']}/decide/",
        {"decision": review["decisions"][0]["id"], "outcome": "proposed"},
        format="json",
    )

    change = post_change_record(  # by the county's org admin: org staff record no post changes
        actor=cast.county_a_admin,
        cadre=cadre,
        kind=PostChangeKind.EXCHANGE,
        date=clock.today(),
        to_unit=cast.town_a2,
        to_rank=Rank.SECTION_DEPUTY,
    )

    decision = TransferDecision.objects.get(cadre=cadre)
    assert (decision.outcome, decision.post_change_id, decision.decided_on) == ("done", change.pk, clock.today())
    again = client.post(
        f"{REVIEWS}{review['id']}/decide/", {"decision": decision.pk, "outcome": "deferred", "reason": "x"}
    )
    assert again.status_code == 400 and again.json()["message"] == "该干部已交流，不能再更改研判结果。"


def test_an_undecided_candidate_is_the_county_departments_item_and_is_escalated(cast: Any, client_for: Any) -> None:
    # given a review to decide by a day
    cadre = _candidate(cast)
    decide_by = clock.today() + dt.timedelta(days=5)
    review = _open(client_for("county_a_staff"), cast, decide_by=decide_by.isoformat())

    # then the county staff find the candidate in 我的待办, due that day
    mine = client_for("county_a_staff").get("/api/v1/due-items/", {"mine": "1", "kind": "transfer_decision"})
    assert [(r["title"], r["due_date"]) for r in mine.json()["results"]] == [
        (f"{cadre.name}：交流人选研判", decide_by.isoformat())
    ]

    # when the scan runs before, on and after the deadline
    for offset in (-3, 0, 8, 21):
        reminders_scan(today=decide_by + dt.timedelta(days=offset), kinds=["transfer_decision"])

    # then the county department heard each time, and the city three weeks late
    staff = set(Notice.objects.filter(recipient=cast.county_a_staff).values_list("stage", flat=True))
    assert {Stage.UPCOMING, Stage.DUE, Stage.OVERDUE} <= staff
    city = Notice.objects.filter(recipient=cast.city_admin, kind="transfer_decision").values_list("stage", flat=True)
    assert list(city) == [Stage.CITY]

    # and once decided the item is gone
    client_for("county_a_staff").post(
        f"{REVIEWS}{review['id']}/decide/", {"decision": review["decisions"][0]["id"], "outcome": "proposed"}
    )
    assert list(iter_due_items(due_items(today=decide_by, kinds=["transfer_decision"]))) == []
