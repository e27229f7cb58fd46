"""Each organisation service writes the audit row of its write itself, once,
whichever door calls it (the API, the admin, the shell), and none when it
wrote nothing: a refusal, or a change to what is already there."""

from __future__ import annotations

from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.org.choices import PostChangeKind, Rank, Role
from cadrecare.org.models import RoleGrant
from cadrecare.org.services import (
    post_change_record,
    role_grant_create,
    role_grant_revoke,
    user_create,
    user_update,
)
from cadrecare.rotation.services import generation_run_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _writes() -> list[tuple[str, str, str, list[str]]]:
    return list(
        AuditEntry.objects.exclude(action="read")
        .order_by("pk")
        .values_list("action", "resource", "object_id", "fields")
    )


def test_recording_a_post_change_writes_one_audit_row(cast: Any) -> None:
    change = post_change_record(
        actor=cast.county_a_admin,
        cadre=cast.cadre_a1,
        kind=PostChangeKind.TRANSFER,
        date=clock.today(),
        to_unit=cast.town_a2,
        to_rank=Rank.STAFF_MEMBER,
    )

    assert _writes() == [
        (
            "create",
            "post-changes",
            str(change.pk),
            ["cadre", "kind", "date", "to_unit", "to_rank", "to_leader_post", "to_post_title", "note"],
        )
    ]


def test_a_post_change_into_a_unit_outside_the_recorders_scope_is_refused_unwritten(cast: Any) -> None:
    with pytest.raises(DomainError, match="所选单位不在您的管理范围内") as refused:
        post_change_record(
            actor=cast.hr_a1,
            cadre=cast.cadre_a1,
            kind=PostChangeKind.TRANSFER,
            date=clock.today(),
            to_unit=cast.town_a2,
            to_rank=Rank.STAFF_MEMBER,
        )

    assert refused.value.field == "to_unit"
    assert cast.cadre_a1.post_changes.count() == 0 and _writes() == []


def test_granting_a_role_writes_one_audit_row_and_the_same_grant_again_none(cast: Any) -> None:
    user = UserFactory()

    grant = role_grant_create(actor=cast.county_a_admin, user=user, role=Role.HR, unit=cast.town_a1)
    again = role_grant_create(actor=cast.county_a_admin, user=user, role=Role.HR, unit=cast.town_a1)

    assert again.pk == grant.pk
    assert _writes() == [("create", "role-grants", str(grant.pk), ["user", "role", "unit"])]


def test_revoking_a_grant_writes_one_audit_row_naming_it(cast: Any) -> None:
    grant = RoleGrant.objects.create(user=UserFactory(), role=Role.HR, unit=cast.town_a1)
    grant_id = grant.pk

    role_grant_revoke(actor=cast.county_a_admin, grant=grant)

    assert not RoleGrant.objects.filter(pk=grant_id).exists()
    assert _writes() == [("delete", "role-grants", str(grant_id), ["user", "role", "unit"])]


def test_revoking_ones_own_grant_is_refused_unwritten(cast: Any) -> None:
    own = RoleGrant.objects.get(user=cast.county_a_admin, unit=cast.county_a)

    with pytest.raises(DomainError, match="不能撤销自己的角色"):
        role_grant_revoke(actor=cast.county_a_admin, grant=own)

    assert RoleGrant.objects.filter(pk=own.pk).exists() and _writes() == []


def test_a_new_login_with_its_first_grant_writes_one_audit_row(cast: Any) -> None:
    user = user_create(
        actor=cast.county_a_admin, username="hr_a2", password="Tz-9!qWx-77", role=Role.HR, unit=cast.town_a2
    )

    assert _writes() == [("create", "users", str(user.pk), ["username", "role", "unit"])]


def test_changing_a_login_writes_one_audit_row_of_what_changed_and_a_change_to_nothing_none(cast: Any) -> None:
    user = cast.hr_a1

    user_update(actor=cast.county_a_admin, user=user, first_name="改", email=user.email)
    user_update(actor=cast.county_a_admin, user=user, first_name="改")

    user.refresh_from_db()
    assert user.first_name == "改"
    assert _writes() == [("update", "users", str(user.pk), ["first_name"])]


def test_generating_a_month_writes_one_audit_row(cast: Any) -> None:
    month = clock.today().replace(day=1)

    run = generation_run_create(actor=cast.secretary_a1, unit=cast.town_a1, month=month)

    assert _writes() == [("create", "generation-runs", str(run.pk), ["month", "unit"])]
