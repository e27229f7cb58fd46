"""The demo data is what a year of kept records looks like to the reminders:
most check-ups and regular talks done within their interval, a few percent
overdue, and the demo logins' township with overdue items that have reached
the county and the city."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from cadrecare.core import clock
from cadrecare.org.models import Cadre, User
from cadrecare.reminders.choices import Stage
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import reminders_scan
from cadrecare.reminders.sources import DueItem, due_items

pytestmark = pytest.mark.django_db(transaction=True)  # seed_demo ends with VACUUM


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", townships=15, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _overdue_share(kind: str, today: dt.date) -> float:
    items = [DueItem.from_row(row) for row in due_items(today=today, kinds=[kind])]
    return sum(item.due_date < today for item in items) / len(items)


def test_a_few_percent_of_checkups_and_regular_talks_are_overdue(demo: None) -> None:
    today = clock.today()

    assert 0.01 <= _overdue_share("checkup", today) <= 0.08
    assert 0.01 <= _overdue_share("regular_talk", today) <= 0.08
    assert _overdue_share("checkup_recheck", today) <= 0.5  # of the few rechecks still open


def test_the_demo_logins_see_overdue_items_and_their_escalations(demo: None) -> None:
    # when the day's scan runs
    reminders_scan()

    def heard(username: str) -> set[tuple[str, str]]:
        return set(Notice.objects.filter(recipient=User.objects.get(username=username))
                   .values_list("kind", "stage"))

    # then the HR officer is reminded of overdue check-ups, the secretary of overdue regular talks,
    # and the county and city organization departments hear of both
    assert ("checkup", Stage.OVERDUE) in heard("hr")
    assert ("regular_talk", Stage.OVERDUE) in heard("secretary")
    for kind in ("checkup", "regular_talk"):
        assert (kind, Stage.COUNTY) in heard("county_staff")
        assert (kind, Stage.CITY) in heard("city_admin")
    township = Cadre.objects.get(user__username="secretary").unit_id
    assert Notice.objects.filter(recipient__username="county_staff", unit_id=township).exists()
