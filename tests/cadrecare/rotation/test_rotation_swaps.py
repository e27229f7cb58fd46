"""Swap requests (换休): cadre A asks to exchange a rest block with
cadre B, B accepts, the township's party secretary approves; the exchange is
applied atomically, as the manual swap edit, and only if the roster still
keeps every hard rule."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.core.errors import ConflictError
from cadrecare.org.choices import Role
from cadrecare.org.models import Cadre, RoleGrant, User
from cadrecare.reminders.models import Notice
from cadrecare.rotation.choices import DayKind, Mode, RosterStatus, SwapStatus
from cadrecare.rotation.models import Absence, Roster, RosterDay, RosterEntitlement, SwapRequest
from cadrecare.rotation.services import roster_lock, roster_publish, swap_request_decide
from tests.cadrecare.rotation.conftest import MARCH_2027, solved_draft, wish_apart
from tests.factories import UserFactory
from tests.roster_judge import judge

TODAY = dt.date(2027, 2, 20)  # the March roster is published; every block lies ahead


@pytest.fixture(autouse=True)
def _february(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def _published(cast: Any) -> tuple[Roster, list[Cadre]]:
    """March published; 木晓梅 (cadre_a1), cadres[6] and cadres[9], the parties
    to the exchanges below, asked to rest on days ten apart."""
    roster, cadres = solved_draft(
        cast, Mode.MONTHLY, prepare=lambda built: wish_apart([cast.cadre_a1, built[6], built[9]])
    )
    return roster_publish(actor=None, roster_obj=roster, confirm_provisional=True), cadres


def _login(cadre: Cadre) -> User:
    """A cadre-role login for ``cadre`` (self only)."""
    user = UserFactory(username=f"cadre{cadre.pk}")
    RoleGrant.objects.create(user=user, role=Role.CADRE, unit=cadre.unit)
    Cadre.objects.filter(pk=cadre.pk).update(user=user)
    cadre.user = user
    return user


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _rest(roster: Roster, cadre: Cadre) -> list[dt.date]:
    roster.refresh_from_db()
    return sorted(
        RosterDay.objects.filter(version=roster.current, cadre=cadre, kind=DayKind.REST).values_list("date", flat=True)
    )


def _ask(
    client: APIClient,
    roster: Roster,
    mine: list[dt.date],
    other: Cadre,
    theirs: list[dt.date],
    reason: str = "孩子中考，想换到月中陪考",
) -> Any:
    return client.post(
        "/api/v1/swap-requests/",
        {
            "roster": roster.pk,
            "requester_start": mine[0].isoformat(),
            "requester_end": mine[-1].isoformat(),
            "counterpart": other.pk,
            "counterpart_start": theirs[0].isoformat(),
            "reason": reason,
        },
        format="json",
    )


def _post(client: APIClient, swap_id: int, verb: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"/api/v1/swap-requests/{swap_id}/{verb}/", body or {}, format="json")


def _agreed(cast: Any, client_for: Any, roster: Roster, requester: Cadre, counterpart: Cadre) -> int:
    """A request both cadres agreed to, waiting for the secretary."""
    asker = client_for("cadre_a1_user") if requester == cast.cadre_a1 else _client(requester.user or _login(requester))
    answerer = (
        client_for("cadre_a1_user")
        if counterpart == cast.cadre_a1
        else _client(counterpart.user or _login(counterpart))
    )
    asked = _ask(asker, roster, _rest(roster, requester), counterpart, _rest(roster, counterpart))
    assert asked.status_code == 201, asked.json()
    assert _post(answerer, asked.json()["id"], "accept").status_code == 200
    return asked.json()["id"]


# ---------------------------------------------------------------------------
# The happy path, end to end through the API
# ---------------------------------------------------------------------------


def test_a_swap_agreed_by_both_and_approved_by_the_secretary_exchanges_the_blocks(cast: Any, client_for: Any) -> None:
    # given a published March and two clerks of the same office with logins
    roster, cadres = _published(cast)
    colleague = cadres[6]
    colleague_user = _login(colleague)
    mine, theirs = _rest(roster, cast.cadre_a1), _rest(roster, colleague)
    version = roster.version

    # when 木晓梅 asks, the colleague accepts and the secretary approves
    asked = _ask(client_for("cadre_a1_user"), roster, mine, colleague, theirs)
    swap_id = asked.json()["id"]
    accepted = _post(_client(colleague_user), swap_id, "accept")
    approved = _post(client_for("secretary_a1"), swap_id, "approve", {"note": "同意"})

    # then each step moved the request on, and the roster has the blocks exchanged
    assert asked.status_code == 201, asked.json()
    assert (asked.json()["status"], asked.json()["status_label"]) == ("pending_counterpart", "待对方确认")
    assert asked.json()["requester_end"] == mine[-1].isoformat()
    assert accepted.status_code == 200 and accepted.json()["status_label"] == "待书记审批"
    assert approved.status_code == 200, approved.json()
    assert (approved.json()["status"], approved.json()["status_label"]) == ("applied", "已批准并生效")
    assert _rest(roster, cast.cadre_a1) == theirs and _rest(roster, colleague) == mine
    assert roster.version == version + 1 and roster.status == RosterStatus.PUBLISHED
    assert approved.json()["applied_version"] == roster.current_id
    assert roster.current.solver_status == "edited" and f"换休申请 #{swap_id}" in roster.current.note
    assert judge(roster.current.problem, roster.current.solution)["valid"] is True
    # the new version keeps everyone's entitlement (the compliance report reads it)
    assert RosterEntitlement.objects.get(version=roster.current, cadre=cast.cadre_a1).entitled == 8
    # a cadre reads their new rest days where they always do
    days = client_for("cadre_a1_user").get("/api/v1/roster-days/", {"month": "2027-03", "kind": "rest"}).json()
    assert [row["date"] for row in days["results"]] == [d.isoformat() for d in theirs]


def test_the_counterpart_and_the_secretary_are_told_in_the_app(cast: Any, client_for: Any) -> None:
    roster, cadres = _published(cast)
    colleague = cadres[6]
    colleague_user = _login(colleague)

    swap_id = _agreed(cast, client_for, roster, cast.cadre_a1, colleague)
    asked_inbox = _client(colleague_user).get("/api/v1/notifications/").json()["results"]
    secretary_inbox = client_for("secretary_a1").get("/api/v1/notifications/").json()["results"]
    _post(client_for("secretary_a1"), swap_id, "approve")

    assert [n["title"] for n in asked_inbox if n["kind"] == "swap_request"] == ["木晓梅请求与您换休"]
    assert [n["title"] for n in secretary_inbox if n["kind"] == "swap_request_approval"] == ["换休申请待审批"]
    outcome = Notice.objects.filter(kind="swap_request_outcome", object_id=swap_id)
    assert set(outcome.values_list("recipient_id", flat=True)) == {cast.cadre_a1_user.pk, colleague_user.pk}
    assert "已批准并生效" in outcome.first().body
    # every step is in the audit log
    assert AuditEntry.objects.filter(resource="swap-requests", object_id=str(swap_id)).count() == 3
    assert AuditEntry.objects.filter(resource="rosters", object_id=str(roster.pk), action="update").exists()


def test_the_counterpart_may_decline_and_the_requester_hears_of_it(cast: Any, client_for: Any) -> None:
    roster, cadres = _published(cast)
    colleague_user = _login(cadres[6])
    asked = _ask(client_for("cadre_a1_user"), roster, _rest(roster, cast.cadre_a1), cadres[6], _rest(roster, cadres[6]))

    declined = _post(_client(colleague_user), asked.json()["id"], "decline")

    assert declined.status_code == 200 and declined.json()["status_label"] == "对方已拒绝"
    assert Notice.objects.filter(kind="swap_request_outcome", recipient=cast.cadre_a1_user).count() == 1
    assert Notice.objects.filter(kind="swap_request_approval").count() == 0


def test_the_requester_may_withdraw_while_pending_but_not_once_decided(cast: Any, client_for: Any) -> None:
    roster, cadres = _published(cast)
    _login(cadres[6])
    # a third cadre whose block differs from the colleague's (several may share one monthly block)
    third = next(c for c in cadres[7:] if _rest(roster, c) != _rest(roster, cadres[6]))
    _login(third)
    pending = _ask(
        client_for("cadre_a1_user"), roster, _rest(roster, cast.cadre_a1), cadres[6], _rest(roster, cadres[6])
    ).json()["id"]
    decided = _agreed(cast, client_for, roster, third, cadres[6])
    _post(client_for("secretary_a1"), decided, "reject", {"note": "六月防汛期间不宜调整"})

    withdrawn = _post(client_for("cadre_a1_user"), pending, "withdraw")
    too_late = _post(_client(third.user), decided, "withdraw")

    assert withdrawn.status_code == 200 and withdrawn.json()["status_label"] == "已撤回"
    assert too_late.status_code == 409 and "书记未批准" in too_late.json()["message"]
    assert SwapRequest.objects.get(pk=decided).note == "六月防汛期间不宜调整"


# ---------------------------------------------------------------------------
# Refusals: who may act, in which state, and on what roster
# ---------------------------------------------------------------------------


def test_only_the_counterpart_answers_and_only_the_requester_withdraws(cast: Any, client_for: Any) -> None:
    roster, cadres = _published(cast)
    colleague_user, bystander_user = _login(cadres[6]), _login(cadres[9])
    swap_id = _ask(
        client_for("cadre_a1_user"), roster, _rest(roster, cast.cadre_a1), cadres[6], _rest(roster, cadres[6])
    ).json()["id"]

    own_accept = _post(client_for("cadre_a1_user"), swap_id, "accept")
    their_withdraw = _post(_client(colleague_user), swap_id, "withdraw")
    bystander = _post(_client(bystander_user), swap_id, "accept")
    secretary = _post(client_for("secretary_a1"), swap_id, "accept")

    assert own_accept.status_code == 403 and cadres[6].name in own_accept.json()["message"]
    assert their_withdraw.status_code == 403 and "申请人" in their_withdraw.json()["message"]
    assert bystander.status_code == 404  # not a party: not even visible
    assert secretary.status_code == 403  # the secretary decides, she does not answer for a cadre
    assert SwapRequest.objects.get(pk=swap_id).status == SwapStatus.PENDING_COUNTERPART


def test_the_secretary_decides_only_after_the_counterpart_agreed(cast: Any, client_for: Any) -> None:
    roster, cadres = _published(cast)
    swap_id = _ask(
        client_for("cadre_a1_user"), roster, _rest(roster, cast.cadre_a1), cadres[6], _rest(roster, cadres[6])
    ).json()["id"]

    early = _post(client_for("secretary_a1"), swap_id, "approve")
    no_reason = _post(client_for("secretary_a1"), swap_id, "reject")

    assert early.status_code == 409 and "待对方确认" in early.json()["message"]
    assert no_reason.status_code == 400 and no_reason.json()["errors"][0]["field"] == "note"


def test_other_townships_and_the_county_staff_cannot_decide(cast: Any, client_for: Any) -> None:
    roster, cadres = _published(cast)
    swap_id = _agreed(cast, client_for, roster, cast.cadre_a1, cadres[6])

    assert _post(client_for("secretary_b1"), swap_id, "approve").status_code == 404
    assert client_for("secretary_b1").get(f"/api/v1/swap-requests/{swap_id}/").status_code == 404
    assert _post(client_for("county_a_staff"), swap_id, "approve").status_code == 403
    assert client_for("county_a_staff").get(f"/api/v1/swap-requests/{swap_id}/").status_code == 200
    assert SwapRequest.objects.get(pk=swap_id).status == SwapStatus.PENDING_APPROVAL


def test_a_cadre_lists_the_requests_they_are_party_to_and_the_secretary_the_townships(
    cast: Any, client_for: Any
) -> None:
    roster, cadres = _published(cast)
    colleague_user, bystander_user = _login(cadres[6]), _login(cadres[9])
    swap_id = _ask(
        client_for("cadre_a1_user"), roster, _rest(roster, cast.cadre_a1), cadres[6], _rest(roster, cadres[6])
    ).json()["id"]

    def ids(client: APIClient) -> list[int]:
        return [row["id"] for row in client.get("/api/v1/swap-requests/").json()["results"]]

    assert ids(client_for("cadre_a1_user")) == [swap_id]
    assert ids(_client(colleague_user)) == [swap_id]
    assert ids(_client(bystander_user)) == []
    assert ids(client_for("secretary_a1")) == [swap_id]
    assert ids(client_for("secretary_b1")) == []
    assert client_for("secretary_a1").get("/api/v1/swap-requests/", {"cadre": cadres[6].pk}).json()["count"] == 1


def test_a_swap_that_breaks_a_rule_is_refused_naming_rule_dates_and_cadres(cast: Any, client_for: Any) -> None:
    # given 木晓梅 away for half of March: she is entitled to 4 days, her colleague to 8
    Absence.objects.create(cadre=cast.cadre_a1, kind="training", start=MARCH_2027, end=dt.date(2027, 3, 15))
    roster, cadres = _published(cast)
    mine, theirs = _rest(roster, cast.cadre_a1), _rest(roster, cadres[6])
    assert (len(mine), len(theirs)) == (4, 8)

    # when she asks to exchange her 4 days for the colleague's 8
    response = _ask(client_for("cadre_a1_user"), roster, mine, cadres[6], theirs)

    # then rule 1 (the days each is entitled to) is named, with both cadres
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rule_broken"
    rule_1 = [e for e in body["errors"] if e["rule"] == 1]
    assert {e["cadre"] for e in rule_1} >= {cast.cadre_a1.pk, cadres[6].pk}
    assert "休息天数" in rule_1[0]["message"]
    assert SwapRequest.objects.count() == 0


def test_approval_checks_every_rule_again_and_a_break_leaves_the_roster_alone(cast: Any, client_for: Any) -> None:
    # given a request both agreed to that would now break rule 1 (a half-month absence, entered in between)
    Absence.objects.create(cadre=cast.cadre_a1, kind="training", start=MARCH_2027, end=dt.date(2027, 3, 15))
    roster, cadres = _published(cast)
    mine, theirs = _rest(roster, cast.cadre_a1), _rest(roster, cadres[6])
    swap = SwapRequest.objects.create(
        roster=roster,
        roster_version=roster.version,
        requester=cast.cadre_a1,
        requester_start=mine[0],
        requester_end=mine[-1],
        counterpart=cadres[6],
        counterpart_start=theirs[0],
        counterpart_end=theirs[-1],
        reason="陪父亲复诊",
        status=SwapStatus.PENDING_APPROVAL,
    )
    version = roster.version

    response = _post(client_for("secretary_a1"), swap.pk, "approve")

    assert response.status_code == 400 and response.json()["code"] == "rule_broken"
    assert any(e["rule"] == 1 and e["cadre"] == cast.cadre_a1.pk for e in response.json()["errors"])
    assert Roster.objects.get(pk=roster.pk).version == version and _rest(roster, cast.cadre_a1) == mine
    assert SwapRequest.objects.get(pk=swap.pk).status == SwapStatus.PENDING_APPROVAL  # she may still reject it


def test_a_request_the_roster_has_overtaken_lapses(cast: Any, client_for: Any) -> None:
    # given two agreed requests that both want 木晓梅's block
    roster, cadres = _published(cast)
    first = _agreed(cast, client_for, roster, cast.cadre_a1, cadres[6])
    second = _agreed(cast, client_for, roster, cadres[9], cast.cadre_a1)
    secretary = client_for("secretary_a1")

    # when the first is applied, her block is no longer hers
    assert _post(secretary, first, "approve").status_code == 200
    version = Roster.objects.get(pk=roster.pk).version
    stale = _post(secretary, second, "approve")

    # then the second is refused as lapsed, clearly, and the roster is untouched
    assert stale.status_code == 409
    assert "已不是一段完整的休息" in stale.json()["message"] and "已失效" in stale.json()["message"]
    lapsed = SwapRequest.objects.get(pk=second)
    assert lapsed.status == SwapStatus.EXPIRED and cast.cadre_a1.name in lapsed.note
    assert Roster.objects.get(pk=roster.pk).version == version


def test_a_draft_is_not_open_to_requests_and_a_locked_roster_takes_none(cast: Any, client_for: Any) -> None:
    draft, cadres = solved_draft(cast, Mode.MONTHLY)
    mine, theirs = _rest(draft, cast.cadre_a1), _rest(draft, cadres[6])
    on_draft = _ask(client_for("cadre_a1_user"), draft, mine, cadres[6], theirs)
    roster = roster_publish(actor=None, roster_obj=draft, confirm_provisional=True)
    pending = _ask(client_for("cadre_a1_user"), roster, mine, cadres[6], theirs).json()["id"]

    roster_lock(actor=None, roster_obj=roster, today=dt.date(2027, 4, 1))
    on_locked = _ask(client_for("cadre_a1_user"), roster, mine, cadres[6], theirs)

    assert on_draft.status_code == 400 and on_draft.json()["errors"][0]["field"] == "roster"
    assert on_locked.status_code == 409 and "锁定" in on_locked.json()["message"]
    assert SwapRequest.objects.get(pk=pending).status == SwapStatus.EXPIRED  # locking lapses what was open


def test_blocks_must_be_named_whole_and_lie_ahead(cast: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    roster, cadres = _published(cast)
    mine, theirs = _rest(roster, cast.cadre_a1), _rest(roster, cadres[6])
    client = client_for("cadre_a1_user")

    halfway = _ask(client, roster, mine[2:], cadres[6], theirs)
    monkeypatch.setattr(clock, "today", lambda: min(mine[0], theirs[0]))
    begun = _ask(client, roster, mine, cadres[6], theirs)

    assert halfway.status_code == 400 and halfway.json()["errors"][0]["field"] == "requester_start"
    assert f"{mine[0]} 至 {mine[-1]}" in halfway.json()["message"]
    assert begun.status_code == 400 and "尚未开始" in begun.json()["message"]


def test_a_second_open_request_for_the_same_block_is_a_conflict(cast: Any, client_for: Any) -> None:
    roster, cadres = _published(cast)
    mine = _rest(roster, cast.cadre_a1)
    client = client_for("cadre_a1_user")

    first = _ask(client, roster, mine, cadres[6], _rest(roster, cadres[6]))
    second = _ask(client, roster, mine, cadres[9], _rest(roster, cadres[9]))

    assert first.status_code == 201 and second.status_code == 409


# ---------------------------------------------------------------------------
# Concurrency: two approvals racing on one roster
# ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_conflicting_approvals_at_once_apply_exactly_one(cast: Any, client_for: Any) -> None:
    # given two agreed requests that both take 木晓梅's block
    roster, cadres = _published(cast)
    first = _agreed(cast, client_for, roster, cast.cadre_a1, cadres[6])
    second = _agreed(cast, client_for, roster, cadres[9], cast.cadre_a1)
    version = Roster.objects.get(pk=roster.pk).version
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def approve(swap_id: int) -> None:
        try:
            barrier.wait()
            swap_request_decide(actor=cast.secretary_a1, swap=SwapRequest(pk=swap_id), approve=True)
            outcomes[swap_id] = "applied"
        except ConflictError as error:
            outcomes[swap_id] = error.code
        except BaseException as error:  # noqa: BLE001 - reported below
            outcomes[swap_id] = repr(error)
        finally:
            connection.close()

    # when the secretary's two approvals reach the server at the same moment
    threads = [threading.Thread(target=approve, args=(swap_id,)) for swap_id in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then exactly one is applied, the other lapsed, and the roster is one valid edit further on
    assert sorted(outcomes.values()) == ["applied", "swap_lapsed"], outcomes
    statuses = sorted(SwapRequest.objects.filter(pk__in=[first, second]).values_list("status", flat=True))
    assert statuses == [SwapStatus.APPLIED, SwapStatus.EXPIRED]
    roster.refresh_from_db()
    assert roster.version == version + 1 and roster.versions.count() == 2
    assert judge(roster.current.problem, roster.current.solution)["valid"] is True
    resting = RosterDay.objects.filter(version=roster.current, kind=DayKind.REST)
    assert resting.filter(cadre=cast.cadre_a1).count() == 8
