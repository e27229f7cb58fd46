"""The county leaders the seed names as talkers, added to the named cast:
玉龙县's party secretary (in the county unit) and its organization-department
head (in 玉龙县委组织部), each with a login, and 石头乡's township head; and
a talk its secretary held with 木晓梅, with one follow-up owned by the HR clerk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from cadrecare.org.choices import LeaderPost, Rank
from cadrecare.org.models import Cadre, User
from cadrecare.talks.models import Talk
from cadrecare.talks.services import talk_record
from tests.cadrecare.talks.api_support import EVENT
from tests.conftest import Cast
from tests.factories import CadreFactory, UserFactory


@dataclass
class Talkers:
    county_secretary: User
    county_secretary_cadre: Cadre
    org_head: User
    org_head_cadre: Cadre
    head_a1: Cadre  # 石头乡 township head, a leadership member


@pytest.fixture
def talkers(cast: Cast) -> Talkers:
    county_secretary = UserFactory(username="county_secretary_a")
    org_head = UserFactory(username="org_head_a")
    return Talkers(
        county_secretary=county_secretary,
        county_secretary_cadre=CadreFactory(
            name="县委书记",
            unit=cast.county_a,
            rank=Rank.DIVISION_CHIEF,
            leader_post=LeaderPost.PARTY_SECRETARY,
            user=county_secretary,
        ),
        org_head=org_head,
        org_head_cadre=CadreFactory(
            name="组织部长", unit=cast.agency_a, rank=Rank.DIVISION_DEPUTY, leader_post=LeaderPost.HEAD, user=org_head
        ),
        head_a1=CadreFactory(name="乡长", unit=cast.town_a1, rank=Rank.SECTION_CHIEF, leader_post=LeaderPost.HEAD),
    )


@pytest.fixture
def talk_with_cadre(cast: Cast, talkers: Talkers) -> Talk:
    return talk_record(
        actor=cast.secretary_a1,
        talkee=cast.cadre_a1,
        talkers=[cast.secretary_a1],
        date=EVENT,
        form="face_to_face",
        summary="谈及家庭困难",
        follow_ups=[{"action": "协调子女入学", "owner": cast.hr_a1, "due_date": EVENT + dt.timedelta(days=30)}],
    )
