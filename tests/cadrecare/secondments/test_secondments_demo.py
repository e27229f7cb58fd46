"""The demo city's secondments and county teams: the experience report shows
the seed's proportions, and a term ending soon is on the county's list."""

from __future__ import annotations

import random

import pytest

from cadrecare.core import clock
from cadrecare.org.demo import build_city
from cadrecare.org.models import OrgUnit, User
from cadrecare.reminders.sources import due_items, iter_due_items
from cadrecare.secondments.demo import populate
from cadrecare.secondments.due import KIND
from cadrecare.secondments.models import Secondment
from cadrecare.secondments.selectors import team_report

pytestmark = pytest.mark.django_db


def test_the_demo_counties_teams_have_histories_and_a_term_awaits_a_decision() -> None:
    build_city(townships=12)  # the five counties, townships in two of them
    populate(rng=random.Random(2014))

    city = OrgUnit.objects.get(code="5307")
    report = team_report(user=User.objects.get(username="city_admin"), unit=city, today=clock.today())
    assert [team.members for team in report.teams] == [7] * 5
    total = report.total
    assert total is not None
    # the seed's "有基层一线工作经历的31名…有3年以上乡镇基层领导工作经历的8名…担任过乡镇党委书记的6名"
    assert (total.members, total.grassroots, total.long_leadership, total.former_secretaries) == (35, 31, 8, 6)
    assert total.sentence.startswith("丽江市班子成员35名，有基层一线工作经历的31名，占89%")

    assert Secondment.objects.filter(status="returned").count() == 1
    county = OrgUnit.objects.get(code="530702")
    due = [item for item in iter_due_items(due_items(today=clock.today(), kinds=[KIND]))]
    assert {item.owner_unit_id for item in due} == {county.pk}
    assert len(due) == 2  # the 挂职 ending in 40 days and the 借调 in 20; the 跟班见习 is three months off
