"""我要报告: a cadre reports a family event or a difficulty of their own; it
reaches HR and the party secretary as an item to confirm; confirmed, it
becomes the family event (its must-visit and must-talk) or the hardship case,
exactly once; rejected, nothing is raised and the cadre is told why."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection

from cadrecare.audit.models import AuditEntry
from cadrecare.care.models import FamilyEvent, HardshipCase, VisitObligation
from cadrecare.core import clock
from cadrecare.reminders.models import Notice
from cadrecare.reminders.sources import due_items
from cadrecare.selfservice import services
from cadrecare.selfservice.models import SelfReport
from cadrecare.talks.models import TalkTrigger

URL = "/api/v1/self-reports/"


def _yesterday() -> str:
    return (clock.today() - dt.timedelta(days=1)).isoformat()


def _report_illness(client: Any) -> dict[str, Any]:
    response = client.post(
        URL,
        {"kind": "family_event", "event_kind": "grave_illness", "date": _yesterday(), "description": "母亲脑梗住院"},
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    return response.json()


def _raised_for(cadre: Any) -> tuple[int, int, int]:
    """(family events, visit obligations, must-talks) recorded about ``cadre``."""
    return (
        FamilyEvent.objects.filter(cadre=cadre).count(),
        VisitObligation.objects.filter(cadre=cadre).count(),
        TalkTrigger.objects.filter(cadre=cadre, kind="family_event").count(),
    )


def test_a_reported_event_reaches_hr_and_the_secretary_as_an_item_to_confirm(cast: Any, client_for: Any) -> None:
    # when cadre A1 reports their mother's grave illness
    report = _report_illness(client_for("cadre_a1_user"))

    # then it waits, about themself, and nothing is recorded yet
    assert report["status"] == "pending"
    assert report["cadre"] == cast.cadre_a1.pk
    assert _raised_for(cast.cadre_a1) == (0, 0, 0)
    # and HR and the secretary of the township are told at once
    told = set(Notice.objects.filter(kind="self_report", object_id=report["id"]).values_list("recipient", flat=True))
    assert told == {cast.hr_a1.pk, cast.secretary_a1.pk}
    # and HR owns the item to confirm; the secretary sees it in their township's list
    mine = due_items(today=clock.today(), user=cast.hr_a1, mine=True, kinds=["self_report"])
    assert [row[1] for row in mine] == [report["id"]]
    listed = due_items(today=clock.today(), user=cast.secretary_a1, kinds=["self_report"])
    assert [row[1] for row in listed] == [report["id"]]
    # and the report was audited as written by the cadre
    assert AuditEntry.objects.filter(resource="self-reports", object_id=str(report["id"]), action="create").exists()


def test_confirmed_it_raises_the_visit_and_the_talk_exactly_once(cast: Any, client_for: Any) -> None:
    # given a reported event
    report = _report_illness(client_for("cadre_a1_user"))
    hr = client_for("hr_a1")

    # when HR confirms it, and confirms it again (a double click, a retry)
    first = hr.post(f"{URL}{report['id']}/confirm/")
    second = hr.post(f"{URL}{report['id']}/confirm/")

    # then the family event, its must-visit and its must-talk exist once
    assert first.status_code == second.status_code == 200, first.content.decode()
    assert first.json()["status"] == "confirmed"
    assert first.json()["family_event"] == second.json()["family_event"] is not None
    assert _raised_for(cast.cadre_a1) == (1, 1, 1)
    # and the item to confirm is gone, and the cadre is told
    assert not list(due_items(today=clock.today(), user=cast.hr_a1, mine=True, kinds=["self_report"]))
    assert Notice.objects.filter(kind="self_report_decided", recipient=cast.cadre_a1_user).exists()


def test_a_rejected_report_raises_nothing_and_tells_the_cadre_why(cast: Any, client_for: Any) -> None:
    report = _report_illness(client_for("cadre_a1_user"))
    hr = client_for("hr_a1")

    # when HR rejects it without a reason, the reason is asked for by name
    refused = hr.post(f"{URL}{report['id']}/reject/", {"reason": " "}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "reason"

    # when HR rejects it with a reason
    rejected = hr.post(f"{URL}{report['id']}/reject/", {"reason": "已于上月登记，请勿重复报告。"}, format="json")

    # then nothing is raised, the cadre reads the reason, and it cannot be confirmed afterwards
    assert rejected.status_code == 200
    assert _raised_for(cast.cadre_a1) == (0, 0, 0)
    mine = client_for("cadre_a1_user").get(f"{URL}{report['id']}/").json()
    assert (mine["status"], mine["reject_reason"]) == ("rejected", "已于上月登记，请勿重复报告。")
    assert Notice.objects.filter(kind="self_report_decided", recipient=cast.cadre_a1_user).exists()
    late = hr.post(f"{URL}{report['id']}/confirm/")
    assert late.status_code == 400
    assert _raised_for(cast.cadre_a1) == (0, 0, 0)


def test_a_difficulty_confirmed_becomes_a_hardship_case_with_its_review(cast: Any, client_for: Any) -> None:
    cadre = client_for("cadre_a1_user")
    report = cadre.post(
        URL,
        {"kind": "hardship", "hardship_category": "financial", "date": _yesterday(), "description": "房贷压力大"},
        format="json",
    ).json()

    # the secretary may confirm family events, not open hardship cases, nor decide against one
    assert client_for("secretary_a1").post(f"{URL}{report['id']}/confirm/").status_code == 403
    assert client_for("secretary_a1").post(f"{URL}{report['id']}/reject/", {"reason": "不属实"}).status_code == 403
    assert not HardshipCase.objects.filter(cadre=cast.cadre_a1).exists()

    # HR confirms: one case, with a review date, nothing else
    confirmed = client_for("hr_a1").post(f"{URL}{report['id']}/confirm/")
    assert confirmed.status_code == 200
    case = HardshipCase.objects.get(cadre=cast.cadre_a1)
    assert confirmed.json()["hardship_case"] == case.pk
    assert case.next_review is not None
    assert _raised_for(cast.cadre_a1) == (0, 0, 0)


def test_the_secretary_confirms_a_family_event_but_sees_no_details(cast: Any, client_for: Any) -> None:
    report = _report_illness(client_for("cadre_a1_user"))
    secretary = client_for("secretary_a1")

    shown = secretary.get(f"{URL}{report['id']}/").json()
    assert shown["description"] == "***"
    assert secretary.post(f"{URL}{report['id']}/confirm/").status_code == 200
    assert _raised_for(cast.cadre_a1) == (1, 1, 1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "family_event", "date": "2020-01-01", "description": "x"}, "event_kind"),
        ({"kind": "hardship", "date": "2020-01-01", "description": "x"}, "hardship_category"),
        ({"kind": "family_event", "event_kind": "death", "date": "2099-01-01", "description": "x"}, "date"),
        ({"kind": "family_event", "event_kind": "death", "date": "2020-01-01", "description": " "}, "description"),
        ({"kind": "unknown", "date": "2020-01-01", "description": "x"}, "kind"),
    ],
)
def test_a_report_missing_what_it_needs_is_refused_naming_the_field(
    cast: Any, client_for: Any, body: dict, field: str
) -> None:
    response = client_for("cadre_a1_user").post(URL, body, format="json")
    assert response.status_code == 400
    assert field in {error["field"] for error in response.json()["errors"]}
    assert not SelfReport.objects.exists()


def test_a_cadre_cannot_report_about_anyone_else_or_confirm_their_own(cast: Any, client_for: Any) -> None:
    cadre = client_for("cadre_a1_user")
    report = cadre.post(
        URL,
        {
            "kind": "family_event",
            "event_kind": "accident",
            "date": _yesterday(),
            "description": "车祸",
            "cadre": cast.cadre_b1.pk,
        },
        format="json",
    ).json()
    assert report["cadre"] == cast.cadre_a1.pk
    assert cadre.post(f"{URL}{report['id']}/confirm/").status_code == 403
    assert client_for("secretary_b1").post(f"{URL}{report['id']}/confirm/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_raise_the_obligations_once(cast: Any) -> None:
    # given a pending report
    report = services.self_report_submit(
        actor=cast.cadre_a1_user,
        kind="family_event",
        event_kind="accident",
        date=clock.today() - dt.timedelta(days=1),
        description="车祸受伤",
    )
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def confirm(actor: Any) -> None:
        try:
            start.wait()
            services.self_report_confirm(actor=actor, report=report)
        except BaseException as error:  # noqa: BLE001 - the test reads it
            errors.append(error)
        finally:
            connection.close()

    # when HR and the secretary confirm it at the same moment
    threads = [threading.Thread(target=confirm, args=(user,)) for user in (cast.hr_a1, cast.secretary_a1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then both succeed and there is one event, one visit and one talk
    assert errors == []
    assert _raised_for(cast.cadre_a1) == (1, 1, 1)
