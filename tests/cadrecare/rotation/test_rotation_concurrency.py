"""Writers of one roster serialise instead of refusing each other:
every writer takes the roster's row lock, and one that waited for it
works on what the holder committed. Asking for the same thing at once makes
it once: a unique constraint decides, not a check before the insert. Threads against real PostgreSQL, each on
its own connection; a race is made certain by holding the lock in one
transaction until the other writer is seen waiting for it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, transaction

from cadrecare.core import clock
from cadrecare.org.choices import LeaderPost
from cadrecare.org.models import Cadre
from cadrecare.rotation.choices import Mode, RosterStatus, RunStatus, SwapStatus
from cadrecare.rotation.models import GenerationItem, GenerationRun, Roster, SwapRequest
from cadrecare.rotation.services import roster_edit, roster_publish, swap_request_decide
from tests.cadrecare.rotation.conftest import solved_draft, wish_apart
from tests.cadrecare.rotation.test_rotation_swaps import TODAY, _agreed, _rest
from tests.processes import wait_until
from tests.roster_judge import judge

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _february(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def in_thread(action: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Start ``action`` on a thread (and connection) of its own; the dict gets
    its result or the error it raised."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = action()
        except BaseException as error:  # noqa: BLE001 - the test reads it
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@contextmanager
def holding(write: Callable[[], Any]) -> Iterator[dict[str, Any]]:
    """``write`` done in another thread's transaction that stays open (its
    row locks held, its rows not yet committed) until the block ends."""
    done, release = threading.Event(), threading.Event()

    def hold() -> Any:
        with transaction.atomic():
            result = write()
            done.set()
            release.wait(60)
        return result

    thread, outcome = in_thread(hold)
    assert done.wait(60) or "error" not in outcome, outcome.get("error")
    try:
        yield outcome
    finally:
        release.set()
        thread.join()
    assert "error" not in outcome, outcome["error"]


def someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
        return cursor.fetchone() is not None


def published(cast: Any, size: int) -> tuple[Roster, list[Cadre]]:
    """March published, its staff having asked to rest on days spread over the month."""
    roster, cadres = solved_draft(
        cast,
        Mode.MONTHLY,
        size=size,
        prepare=lambda built: wish_apart([c for c in built if c.leader_post == LeaderPost.NONE]),
    )
    return roster_publish(actor=None, roster_obj=roster, confirm_provisional=True), cadres


def staff_pairs(roster: Roster, cadres: list[Cadre]) -> list[tuple[Cadre, Cadre]]:
    """Pairs of cadres of one office outside the leadership resting on
    different days: exchanging their blocks keeps as many on duty each day, in
    each office, and every leader where they were, whatever other such exchanges
    are made, and whichever blocks the solver chose (asking and accepting check
    every rule anyway)."""
    staff = list(Cadre.objects.filter(pk__in=[c.pk for c in cadres], leader_post=LeaderPost.NONE).order_by("pk"))
    pairs = []
    while staff:
        first = staff.pop(0)
        other = next(
            (c for c in staff if c.office_id == first.office_id and _rest(roster, c) != _rest(roster, first)), None
        )
        if other is not None:
            staff.remove(other)
            pairs.append((first, other))
    return pairs


def test_seven_valid_swaps_approved_at_once_are_all_applied(cast: Any, client_for: Any) -> None:
    # given a published March and seven agreed requests, each between two staff members
    roster, cadres = published(cast, size=24)
    pairs = staff_pairs(roster, cadres)[:7]
    assert len(pairs) == 7
    before = {cadre.pk: _rest(roster, cadre) for pair in pairs for cadre in pair}
    swaps = [_agreed(cast, client_for, roster, first, other) for first, other in pairs]
    version = Roster.objects.get(pk=roster.pk).version
    barrier = threading.Barrier(len(swaps))

    def approve(swap_id: int) -> Callable[[], Any]:
        def run() -> Any:
            barrier.wait()
            return swap_request_decide(actor=cast.secretary_a1, swap=SwapRequest(pk=swap_id), approve=True)

        return run

    # when the secretary approves all seven at the same moment
    started = [in_thread(approve(swap_id)) for swap_id in swaps]
    for thread, _ in started:
        thread.join()

    # then each is applied, one after another, and the roster is seven valid edits further on
    assert [outcome.get("error") for _, outcome in started] == [None] * 7
    assert set(SwapRequest.objects.filter(pk__in=swaps).values_list("status", flat=True)) == {SwapStatus.APPLIED}
    roster.refresh_from_db()
    assert roster.version == version + 7 and roster.versions.count() == 1 + 7
    assert judge(roster.current.problem, roster.current.solution)["valid"] is True
    for first, other in pairs:
        assert (_rest(roster, first), _rest(roster, other)) == (before[other.pk], before[first.pk])


def test_an_approval_that_waited_for_another_applies_on_top_of_it(cast: Any, client_for: Any) -> None:
    # given two agreed requests between four staff members
    roster, cadres = published(cast, size=16)
    (a, b), (c, d) = staff_pairs(roster, cadres)[:2]
    first, second = _agreed(cast, client_for, roster, a, b), _agreed(cast, client_for, roster, c, d)
    a_rest, c_rest = _rest(roster, a), _rest(roster, c)

    # when the second approval comes while the first holds the roster, not yet committed
    with holding(lambda: swap_request_decide(actor=cast.secretary_a1, swap=SwapRequest(pk=first), approve=True)):
        waiter, outcome = in_thread(
            lambda: swap_request_decide(actor=cast.secretary_a1, swap=SwapRequest(pk=second), approve=True)
        )
        assert wait_until(someone_waits_for_a_lock, 30)
    waiter.join()

    # then it waited, read the roster as the first left it, and applied its exchange too
    assert "error" not in outcome, outcome["error"]
    assert SwapRequest.objects.get(pk=second).status == SwapStatus.APPLIED
    assert _rest(roster, b) == a_rest and _rest(roster, d) == c_rest
    assert roster.current.number == 3


def test_a_publish_that_waited_for_an_edit_publishes_the_edited_roster(cast: Any) -> None:
    # given a draft, and the secretary's edit pinning a block, holding the roster, not yet committed
    roster, cadres = solved_draft(cast, Mode.MONTHLY)
    block = _rest(roster, cadres[5])
    edit = dict(
        actor=cast.secretary_a1,
        roster_obj=roster,
        expected_version=roster.version,
        op="pin",
        cadre=cadres[5],
        date=block[0],
    )

    # when the roster is published meanwhile
    with holding(lambda: roster_edit(**edit)):
        waiter, outcome = in_thread(
            lambda: roster_publish(actor=cast.secretary_a1, roster_obj=roster, confirm_provisional=True)
        )
        assert wait_until(someone_waits_for_a_lock, 30)
    waiter.join()

    # then the publish waited for the edit and published the edited version (not "no feasible plan")
    assert "error" not in outcome, outcome["error"]
    roster.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED
    assert roster.current.number == 2 and roster.current.solver_status == "edited"
    assert roster.version == edit["expected_version"] + 2


def test_twenty_identical_generation_requests_at_once_make_one_run(cast: Any, client_for: Any) -> None:
    # given the secretary's client, twenty times over
    clients = [client_for("secretary_a1") for _ in range(20)]
    barrier = threading.Barrier(len(clients))

    def ask(client: Any) -> Callable[[], Any]:
        def run() -> Any:
            barrier.wait()
            response = client.post(
                "/api/v1/generation-runs/", {"unit": cast.town_a1.pk, "month": "2027-03"}, format="json"
            )
            return response.status_code, response.json().get("id")

        return run

    # when twenty requests to generate township A1's March arrive at the same moment
    started = [in_thread(ask(client)) for client in clients]
    for thread, _ in started:
        thread.join()

    # then every one is answered with the same run, and one unit's month is queued once
    answers = [outcome.get("result", outcome.get("error")) for _, outcome in started]
    assert {status for status, _ in answers} == {201}, answers
    assert len({run_id for _, run_id in answers}) == 1
    assert GenerationRun.objects.filter(unit=cast.town_a1).count() == 1
    assert GenerationItem.objects.filter(unit=cast.town_a1, status=RunStatus.QUEUED).count() == 1
