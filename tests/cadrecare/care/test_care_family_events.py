"""Major family events (家庭发生重大变故): one service records the event, opens
exactly one must-visit obligation and tells the listeners once, in one
transaction, even when the client retries the request."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from cadrecare.care import services
from cadrecare.care.models import CarePolicy, FamilyEvent, FamilyMember, VisitObligation
from cadrecare.core import clock
from cadrecare.talks.models import TalkTrigger
from tests.factories import FamilyMemberFactory

URL = "/api/v1/family-events/"


def _errors(response: Any) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


@pytest.fixture
def heard() -> Iterator[list[FamilyEvent]]:
    """Events the listeners were told about (stands in for the talks module)."""
    events: list[FamilyEvent] = []
    services.family_event_listeners.append(events.append)
    yield events
    services.family_event_listeners.remove(events.append)


def _payload(cast: Any, **extra: Any) -> dict[str, Any]:
    return {
        "cadre": cast.cadre_a1.pk,
        "kind": "grave_illness",
        "date": clock.today().isoformat(),
        "description": "父亲突发脑梗住院",
        **extra,
    }


def test_recording_an_event_opens_one_must_visit_with_a_seven_day_deadline(
    cast: Any, client_for: Any, heard: list
) -> None:
    # given a family event three days ago
    day = clock.today() - dt.timedelta(days=3)

    # when HR records it
    response = client_for("hr_a1").post(URL, _payload(cast, date=day.isoformat()), format="json")

    # then one obligation is due 7 days after the event, owned by the township party secretary
    assert response.status_code == 201, response.content
    event = FamilyEvent.objects.get(pk=response.json()["id"])
    obligation = VisitObligation.objects.get(family_event=event)
    assert response.json()["obligation"] == obligation.pk
    assert (obligation.source, obligation.status, obligation.deadline) == (
        "family_event",
        "open",
        day + dt.timedelta(days=7),
    )
    assert obligation.owner == cast.secretary_a1
    assert heard == [event]


def test_a_retried_post_with_the_same_key_returns_the_same_event_and_nothing_more(
    cast: Any, client_for: Any, heard: list
) -> None:
    client = client_for("hr_a1")

    # when the same request is sent three times with one Idempotency-Key
    responses = [client.post(URL, _payload(cast), format="json", HTTP_IDEMPOTENCY_KEY="evt-7f3a") for _ in range(3)]

    # then one event, one obligation, one notification; the retries say they were replays
    assert [r.status_code for r in responses] == [201, 201, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert FamilyEvent.objects.count() == 1
    assert VisitObligation.objects.count() == 1
    assert len(heard) == 1
    assert "Idempotent-Replayed" not in responses[0]
    assert responses[1]["Idempotent-Replayed"] == "true"


def test_the_key_may_come_in_the_body(cast: Any, client_for: Any, heard: list) -> None:
    client = client_for("hr_a1")
    first = client.post(URL, _payload(cast, request_key="form-1"), format="json")
    again = client.post(URL, _payload(cast, request_key="form-1"), format="json")

    assert first.json()["id"] == again.json()["id"]
    assert VisitObligation.objects.count() == 1 and len(heard) == 1


def test_without_a_key_two_posts_are_two_events(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    client.post(URL, _payload(cast), format="json")
    client.post(URL, _payload(cast), format="json")

    assert FamilyEvent.objects.count() == 2 and VisitObligation.objects.count() == 2


def test_a_key_reused_for_another_event_is_a_conflict(cast: Any, client_for: Any) -> None:
    client = client_for("hr_a1")
    client.post(URL, _payload(cast), format="json", HTTP_IDEMPOTENCY_KEY="k1")

    response = client.post(URL, _payload(cast, kind="accident"), format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert response.status_code == 409
    assert _errors(response)["request_key"].startswith("该请求编号（Idempotency-Key）已用于另一条登记")


def test_keys_belong_to_their_user(cast: Any, client_for: Any) -> None:
    client_for("hr_a1").post(URL, _payload(cast), format="json", HTTP_IDEMPOTENCY_KEY="same")
    client_for("county_a_admin").post(URL, _payload(cast), format="json", HTTP_IDEMPOTENCY_KEY="same")

    assert FamilyEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_retries_record_once(cast: Any) -> None:
    # given two workers handling the same retried request at the same moment
    heard: list[int] = []
    services.family_event_listeners.append(lambda event: heard.append(event.pk))
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def record() -> None:
        try:
            barrier.wait()
            event, _ = services.family_event_record(
                actor=cast.hr_a1, cadre=cast.cadre_a1, kind="accident", date=clock.today(), request_key="race-1"
            )
            results.append(event.pk)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=record) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        services.family_event_listeners.pop()

    # then both answer with the one event, and one obligation and one notification exist
    assert errors == []
    assert len(set(results)) == 1
    assert FamilyEvent.objects.count() == 1
    assert VisitObligation.objects.count() == 1
    assert len(heard) == 1


def test_a_failing_listener_leaves_nothing_behind(cast: Any, client_for: Any) -> None:
    def broken(event: FamilyEvent) -> None:
        raise RuntimeError("talks module down")

    services.family_event_listeners.append(broken)
    try:
        with pytest.raises(RuntimeError):
            services.family_event_record(actor=cast.hr_a1, cadre=cast.cadre_a1, kind="accident", date=clock.today())
    finally:
        services.family_event_listeners.remove(broken)

    assert FamilyEvent.objects.count() == 0 and VisitObligation.objects.count() == 0


def test_the_deadline_follows_the_care_policy_inherited_down_the_tree(cast: Any) -> None:
    day = dt.date(2026, 3, 10)
    CarePolicy.objects.create(unit=cast.county_a, family_event_days=3)
    inherited, _ = services.family_event_record(actor=None, cadre=cast.cadre_a1, kind="accident", date=day, today=day)
    CarePolicy.objects.create(unit=cast.town_a1, family_event_days=10)
    overridden, _ = services.family_event_record(actor=None, cadre=cast.cadre_a1, kind="accident", date=day, today=day)
    elsewhere, _ = services.family_event_record(actor=None, cadre=cast.cadre_b1, kind="accident", date=day, today=day)

    assert inherited.obligation.deadline == dt.date(2026, 3, 13)
    assert overridden.obligation.deadline == dt.date(2026, 3, 20)
    assert elsewhere.obligation.deadline == dt.date(2026, 3, 17)  # the default 7 days


def test_an_event_recorded_late_is_due_the_day_it_is_recorded(cast: Any) -> None:
    event, _ = services.family_event_record(
        actor=None, cadre=cast.cadre_a1, kind="disaster", date=dt.date(2026, 1, 2), today=dt.date(2026, 2, 1)
    )

    assert event.obligation.deadline == dt.date(2026, 2, 1)


def test_a_deadline_may_cross_a_month_end_and_a_leap_day(cast: Any) -> None:
    event, _ = services.family_event_record(
        actor=None, cadre=cast.cadre_a1, kind="accident", date=dt.date(2028, 2, 25), today=dt.date(2028, 2, 25)
    )

    assert event.obligation.deadline == dt.date(2028, 3, 3)


def test_a_death_in_the_family_marks_the_member_deceased(cast: Any) -> None:
    father = FamilyMemberFactory(cadre=cast.cadre_a1, relation="father", birth_date=dt.date(1955, 1, 1))

    services.family_event_record(
        actor=None, cadre=cast.cadre_a1, kind="death", date=clock.today(), family_member=father
    )

    assert FamilyMember.objects.get(pk=father.pk).deceased_on == clock.today()


# -- validation ---------------------------------------------------------------


def test_an_event_in_the_future_is_refused(cast: Any, client_for: Any) -> None:
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()

    response = client_for("hr_a1").post(URL, _payload(cast, date=tomorrow), format="json")

    assert response.status_code == 400
    assert _errors(response) == {"date": "发生日期不能晚于今天。"}
    assert VisitObligation.objects.count() == 0


def test_a_family_member_of_another_cadre_is_refused(cast: Any, client_for: Any) -> None:
    someone_else = FamilyMemberFactory(cadre=cast.secretary_a1_cadre)

    response = client_for("hr_a1").post(URL, _payload(cast, family_member=someone_else.pk), format="json")

    assert response.status_code == 400
    assert _errors(response) == {"family_member": "所选家属不属于该干部。"}


def test_a_member_out_of_scope_is_not_found(cast: Any, client_for: Any) -> None:
    foreign = FamilyMemberFactory(cadre=cast.cadre_b1)

    response = client_for("hr_a1").post(URL, _payload(cast, family_member=foreign.pk), format="json")

    assert response.status_code == 400
    assert "family_member" in _errors(response)


def test_only_the_description_changes_after_recording(cast: Any, client_for: Any) -> None:
    event, _ = services.family_event_record(actor=None, cadre=cast.cadre_a1, kind="accident", date=clock.today())

    response = client_for("hr_a1").patch(f"{URL}{event.pk}/", {"kind": "death", "description": "已出院"}, format="json")

    assert response.status_code == 200
    event.refresh_from_db()
    assert (event.kind, event.description) == ("accident", "已出院")


def test_an_overlong_key_is_refused(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").post(URL, _payload(cast), format="json", HTTP_IDEMPOTENCY_KEY="x" * 65)

    assert response.status_code == 400
    assert "request_key" in _errors(response)


def test_a_retried_event_raises_exactly_one_must_talk(cast: Any, client_for: Any) -> None:
    # given the talks module listening (cadrecare.talks.apps)
    client = client_for("hr_a1")

    # when the request is retried with the same key
    for _ in range(2):
        client.post(URL, _payload(cast), format="json", HTTP_IDEMPOTENCY_KEY="talk-1")

    # then one family_event must-talk exists for the one event
    triggers = TalkTrigger.objects.filter(kind="family_event", cadre=cast.cadre_a1)
    assert triggers.count() == 1
    assert triggers.get().source_key == str(FamilyEvent.objects.get().pk)
