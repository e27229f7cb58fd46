"""The named cast every test speaks of, and clients logged in as each of them.

丽江市 (city)
├── 玉龙县 (county A) ── 石头乡 (township A1, remote), 鲁甸乡 (township A2), 县委组织部 (agency)
└── 永胜县 (county B) ── 期纳镇 (township B1)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from cadrecare.org.choices import LeaderPost, Remoteness, Role, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, User
from tests.factories import CadreFactory, OfficeFactory, OrgUnitFactory, RoleGrantFactory, UserFactory

pytest_plugins = ["tests.browser"]


@dataclass
class Cast:
    city: OrgUnit
    county_a: OrgUnit
    county_b: OrgUnit
    town_a1: OrgUnit
    town_a2: OrgUnit
    town_b1: OrgUnit
    agency_a: OrgUnit
    city_admin: User
    county_a_admin: User
    county_a_staff: User
    secretary_a1: User
    hr_a1: User
    cadre_a1_user: User
    secretary_b1: User
    county_a_leader: User
    secretary_a1_cadre: Cadre
    cadre_a1: Cadre
    cadre_a2: Cadre
    cadre_b1: Cadre

    def user(self, name: str) -> User:
        return getattr(self, name)


ROLE_USERS = [
    "city_admin",
    "county_a_admin",
    "county_a_staff",
    "secretary_a1",
    "hr_a1",
    "cadre_a1_user",
    "secretary_b1",
    "county_a_leader",
]


def _grant(username: str, role: str, unit: OrgUnit) -> User:
    user = UserFactory(username=username)
    RoleGrantFactory(user=user, role=role, unit=unit)
    return user


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the service's language: a request asking for English
    leaves it active in the thread (LocaleMiddleware never resets it), and a
    later test calling a service directly would get English messages."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def cast(db: None) -> Cast:
    city = OrgUnitFactory(code="5307", name="丽江市", kind=UnitKind.CITY)
    county_a = OrgUnitFactory(code="530721", name="玉龙县", kind=UnitKind.COUNTY, parent=city)
    county_b = OrgUnitFactory(code="530722", name="永胜县", kind=UnitKind.COUNTY, parent=city)
    town_a1 = OrgUnitFactory(
        code="530721101", name="石头乡", parent=county_a, remoteness=Remoteness.GRADE_2, distance_km=120
    )
    town_a2 = OrgUnitFactory(code="530721102", name="鲁甸乡", parent=county_a)
    town_b1 = OrgUnitFactory(code="530722101", name="期纳镇", parent=county_b)
    agency_a = OrgUnitFactory(code="530721001", name="玉龙县委组织部", kind=UnitKind.COUNTY_AGENCY, parent=county_a)
    office_a1 = OfficeFactory(unit=town_a1, name="党政办")
    secretary_a1 = _grant("secretary_a1", Role.SECRETARY, town_a1)
    cadre_a1_user = _grant("cadre_a1", Role.CADRE, town_a1)
    return Cast(
        city=city,
        county_a=county_a,
        county_b=county_b,
        town_a1=town_a1,
        town_a2=town_a2,
        town_b1=town_b1,
        agency_a=agency_a,
        city_admin=_grant("city_admin", Role.ORG_ADMIN, city),
        county_a_admin=_grant("county_a_admin", Role.ORG_ADMIN, county_a),
        county_a_staff=_grant("county_a_staff", Role.ORG_STAFF, county_a),
        secretary_a1=secretary_a1,
        hr_a1=_grant("hr_a1", Role.HR, town_a1),
        cadre_a1_user=cadre_a1_user,
        secretary_b1=_grant("secretary_b1", Role.SECRETARY, town_b1),
        secretary_a1_cadre=CadreFactory(
            name="和书记", unit=town_a1, leader_post=LeaderPost.PARTY_SECRETARY, user=secretary_a1, office=office_a1
        ),
        cadre_a1=CadreFactory(name="木晓梅", unit=town_a1, user=cadre_a1_user, office=office_a1),
        cadre_a2=CadreFactory(name="杨建华", unit=town_a2),
        cadre_b1=CadreFactory(name="李永胜", unit=town_b1),
        # made last, so the ids of the logins above stay what tests were written against
        county_a_leader=_grant("county_a_leader", Role.COUNTY_LEADER, county_a),
    )


@pytest.fixture
def client_for(cast: Cast) -> Callable[[str], APIClient]:
    """An API client logged in as one member of the cast, by name."""

    def make(name: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(cast.user(name))
        return client

    return make


@pytest.fixture
def count_queries() -> Callable[[Callable[[], object]], int]:
    def run(func: Callable[[], object]) -> int:
        with CaptureQueriesContext(connection) as context:
            func()
        return len(context.captured_queries)

    return run
