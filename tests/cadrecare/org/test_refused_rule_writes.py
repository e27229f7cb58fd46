"""A write of an organisation or rotation resource that parses but breaks its
rule is refused by the service, in Chinese naming the field, and leaves no
row in the append-only audit log: the service writes its audit row only when
it wrote (the rest of the resources: tests/cadrecare/core/test_refused_writes.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.org.choices import Rank, Role
from cadrecare.org.models import RoleGrant
from cadrecare.rotation.choices import AbsenceKind, Mode, RequestKind
from cadrecare.rotation.models import Absence, RotationPolicy
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _reading_b(cast: Any) -> None:
    """County A's org admin also reads county B: its units may be named, not written into."""
    RoleGrant.objects.create(user=cast.county_a_admin, role=Role.ORG_STAFF, unit=cast.county_b)


def _absence_of_a1(cast: Any) -> None:
    Absence.objects.create(cadre=cast.cadre_a1, kind=AbsenceKind.LEAVE, start=_day(10), end=_day(12))


def _day(offset: int) -> str:
    return (clock.today() + dt.timedelta(days=offset)).isoformat()


@dataclass(frozen=True)
class RuleRefusal:
    """``who`` sends ``method`` to ``url`` with ``body``, after ``given``; the rule answers ``status``."""

    who: str
    method: str
    url: Callable[[Any], str]
    body: Callable[[Any], dict[str, Any]]
    status: int
    given: Callable[[Any], object] = lambda cast: None


def _promotion(cast: Any, **changes: Any) -> dict[str, Any]:
    return {
        "cadre": cast.cadre_a1.pk,
        "kind": "promotion",
        "date": _day(0),
        "to_unit": cast.town_a1.pk,
        "to_rank": Rank.SECTION_DEPUTY,
        **changes,
    }


def _new_login(cast: Any, **changes: Any) -> dict[str, Any]:
    return {"username": "new_hr", "password": "Tz-9!qWx-77", "role": Role.HR, "unit": cast.town_a1.pk, **changes}


def _login_beyond_reach(cast: Any) -> int:
    user = UserFactory()
    RoleGrant.objects.create(user=user, role=Role.HR, unit=cast.town_a1)
    RoleGrant.objects.create(user=user, role=Role.HR, unit=cast.town_b1)
    return user.pk


def _policy_used_since_2026(cast: Any) -> int:
    return RotationPolicy.objects.create(unit=cast.county_a, effective_from=dt.date(2026, 1, 1), mode=Mode.WEEKLY).pk


def _own_grant(cast: Any) -> int:
    return RoleGrant.objects.get(user=cast.county_a_admin, unit=cast.county_a).pk


RULE_REFUSALS = {
    "org-units: moved under its own township": RuleRefusal(
        "city_admin", "patch", lambda c: f"org-units/{c.county_a.pk}/", lambda c: {"parent": c.town_a1.pk}, 400
    ),
    "offices: placed in a unit only read": RuleRefusal(
        "county_a_admin",
        "post",
        lambda c: "offices/",
        lambda c: {"unit": c.town_b1.pk, "name": "新站所"},
        400,
        _reading_b,
    ),
    "cadres: a post field changed outside a post change": RuleRefusal(
        "county_a_admin", "patch", lambda c: f"cadres/{c.cadre_a1.pk}/", lambda c: {"rank": Rank.SECTION_CHIEF}, 400
    ),
    "offices: in a unit only read": RuleRefusal(
        "county_a_admin",
        "post",
        lambda c: "offices/",
        lambda c: {"unit": c.town_b1.pk, "name": "综治中心"},
        400,
        _reading_b,
    ),
    "post-changes: dated tomorrow": RuleRefusal(
        "county_a_admin", "post", lambda c: "post-changes/", lambda c: _promotion(c, date=_day(1)), 400
    ),
    "post-changes: into a unit only read": RuleRefusal(
        "county_a_admin",
        "post",
        lambda c: "post-changes/",
        lambda c: _promotion(c, to_unit=c.town_b1.pk),
        400,
        _reading_b,
    ),
    "users: a login on a unit only read": RuleRefusal(
        "county_a_admin", "post", lambda c: "users/", lambda c: _new_login(c, unit=c.town_b1.pk), 400, _reading_b
    ),
    "users: a login with a grant beyond reach": RuleRefusal(
        "county_a_admin", "patch", lambda c: f"users/{_login_beyond_reach(c)}/", lambda c: {"first_name": "改"}, 403
    ),
    "role-grants: acting with no end": RuleRefusal(
        "county_a_admin",
        "post",
        lambda c: "role-grants/",
        lambda c: {"user": UserFactory().pk, "role": Role.HR, "unit": c.town_a1.pk, "acting_from": _day(0)},
        400,
    ),
    "role-grants: one's own revoked": RuleRefusal(
        "county_a_admin", "delete", lambda c: f"role-grants/{_own_grant(c)}/", lambda c: {}, 400
    ),
    "rotation-policies: a version used by past months deleted": RuleRefusal(
        "city_admin",
        "delete",
        lambda c: f"rotation-policies/{_policy_used_since_2026(c)}/",
        lambda c: {},
        400,
    ),
    "absences: overlapping another": RuleRefusal(
        "secretary_a1",
        "post",
        lambda c: "absences/",
        lambda c: {"cadre": c.cadre_a1.pk, "kind": AbsenceKind.TRAINING, "start": _day(11), "end": _day(13)},
        400,
        _absence_of_a1,
    ),
    "rest-requests: for a past day": RuleRefusal(
        "cadre_a1_user",
        "post",
        lambda c: "rest-requests/",
        lambda c: {
            "cadre": c.cadre_a1.pk,
            "kind": RequestKind.PREFER,
            "reason": "家中有事",
            "start": _day(-2),
            "end": _day(-1),
        },
        400,
    ),
    "recalls: one still to come": RuleRefusal(
        "secretary_a1",
        "post",
        lambda c: "recalls/",
        lambda c: {"cadre": c.cadre_a1.pk, "date": _day(3), "days_lost": 1, "reason": "防汛"},
        400,
    ),
    "generation-runs: a month gone by": RuleRefusal(
        "secretary_a1",
        "post",
        lambda c: "generation-runs/",
        lambda c: {"unit": c.town_a1.pk, "month": f"{clock.today().year - 1}-01"},
        400,
    ),
}


@pytest.mark.parametrize("label", sorted(RULE_REFUSALS))
def test_a_well_formed_write_its_rule_refuses_writes_nothing_and_no_audit_row(
    cast: Any, client_for: Any, label: str
) -> None:
    # given a write of an organisation or rotation resource that parses, and the rule it breaks
    refusal = RULE_REFUSALS[label]
    refusal.given(cast)
    url = f"/api/v1/{refusal.url(cast)}"
    before = AuditEntry.objects.exclude(action="read").count()

    # when it is sent
    response = getattr(client_for(refusal.who), refusal.method)(url, refusal.body(cast), format="json")

    # then the rule refuses it, in Chinese naming the field, and the audit log says nothing was written
    assert response.status_code == refusal.status, response.content.decode()[:300]
    assert response.json()["errors"][0]["field"]
    assert AuditEntry.objects.exclude(action="read").count() == before
