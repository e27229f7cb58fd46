"""The admin is no second door: where it writes at all, it writes through the
resource's service with the placement checked by ``scoping``, one audit row,
and a refusal on the form; everywhere else it only shows."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.org.access import ADD
from cadrecare.org.admin import ScopedAdmin
from cadrecare.org.choices import LeaderPost, Rank, Role, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, PostChange, RoleGrant, User
from cadrecare.org.scoping import forget_cached_grants, may_in_unit, scoped
from cadrecare.org.services import org_unit_move
from cadrecare.oversight.choices import VisitCadence
from cadrecare.talks.models import TalkTrigger
from tests.factories import CadreFactory, OfficeFactory, OrgUnitFactory, RoleGrantFactory, UserFactory


def _url(model: type[models.Model], view: str = "add", pk: object = None) -> str:
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    return base + (f"{pk}/change/" if view == "change" else "add/")


# -- what each writable admin's add form takes, placed in ``unit`` (a township) or ``county`` -------------

Payload = Callable[[Any, OrgUnit, OrgUnit], dict[str, Any]]

PAYLOADS: dict[str, Payload] = {
    "org.orgunit": lambda cast, unit, county: {
        "code": "530799001",
        "name": "新村",
        "kind": UnitKind.VILLAGE,
        "parent": unit.pk,
        "remoteness": "none",
        "distance_km": "",
        "active": "on",
    },
    "org.office": lambda cast, unit, county: {"unit": unit.pk, "name": "新站所", "active": "on"},
    "org.postchange": lambda cast, unit, county: {
        "cadre": cast.cadre_a1.pk,
        "kind": "transfer",
        "date": clock.today().isoformat(),
        "to_unit": unit.pk,
        "to_rank": Rank.STAFF_MEMBER,
        "to_leader_post": LeaderPost.NONE,
        "to_post_title": "",
        "note": "",
    },
    "org.rolegrant": lambda cast, unit, county: {
        "user": UserFactory(username="new_grantee").pk,
        "role": Role.CADRE,
        "unit": unit.pk,
        "acting_post": "",
        "acting_from": "",
        "acting_until": "",
    },
    "oversight.fieldvisitpolicy": lambda cast, unit, county: {
        "county": county.pk,
        "cadence_months": VisitCadence.QUARTERLY,
    },
}

# Who tries: the county's administrator, the same with a read-only grant in the other county (so the form
# offers its units and only the placement check stands in the way), and a township's secretary.
USERS = ["county_a_admin", "county_a_admin_reading_b", "secretary_a1"]


def _user(cast: Any, name: str) -> User:
    if name == "county_a_admin_reading_b":
        RoleGrantFactory(user=cast.county_a_admin, role=Role.ORG_STAFF, unit=cast.county_b)
        forget_cached_grants(cast.county_a_admin)
        return cast.county_a_admin
    return cast.user(name)


def _request(user: User) -> Any:
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _registered() -> list[tuple[str, type[models.Model]]]:
    return [(model._meta.label_lower, model) for model in admin.site._registry]


def test_every_admin_that_may_add_says_what_it_takes() -> None:
    # (a new writable admin must come with its payload below, so the scope tests cover it)
    writable = {
        label
        for label, model in _registered()
        if isinstance(admin.site._registry[model], ScopedAdmin)
        and type(admin.site._registry[model]).has_add_permission is ScopedAdmin.has_add_permission
    }
    assert writable == set(PAYLOADS)


@pytest.mark.django_db
@pytest.mark.parametrize("name", USERS)
def test_an_admin_that_only_shows_its_records_takes_none_from_a_scoped_user(cast: Any, client: Any, name: str) -> None:
    # given a scoped login of the admin
    user = _user(cast, name)
    client.force_login(user)
    audits = AuditEntry.objects.count()
    for label, model in _registered():
        model_admin = admin.site._registry[model]
        if isinstance(model_admin, ScopedAdmin) and model_admin.has_add_permission(_request(user)):
            continue  # (the writable ones: below)
        rows = model._default_manager.count()

        # when they post its add form, pointing outside their scope
        data = PAYLOADS[label](cast, cast.town_b1, cast.county_b) if label in PAYLOADS else {}
        response = client.post(_url(model), data)

        # then nothing is taken: the admin refuses, and nothing is saved or logged
        assert response.status_code == 403, label
        assert model._default_manager.count() == rows, label
    assert AuditEntry.objects.count() == audits


@pytest.mark.django_db
@pytest.mark.parametrize("name", USERS)
@pytest.mark.parametrize("label", sorted(PAYLOADS))
def test_a_scoped_user_places_nothing_outside_their_scope_through_the_admin(
    cast: Any, client: Any, name: str, label: str
) -> None:
    # given a scoped login of the admin, and where a record would go outside their scope
    model = next(model for registered, model in _registered() if registered == label)
    user = _user(cast, name)
    model_admin = admin.site._registry[model]
    client.force_login(user)
    rows, audits = model._default_manager.count(), AuditEntry.objects.count()
    data = PAYLOADS[label](cast, cast.town_b1, cast.county_b)
    where = cast.county_b if label == "oversight.fieldvisitpolicy" else cast.town_b1
    if may_in_unit(user, model_admin.resource, ADD, where):
        pytest.skip("the user's grants place records there")

    # when they post the add form pointing outside their scope
    response = client.post(_url(model), data)

    # then the form is refused (or the page, for a role that adds none), and nothing is saved or logged
    assert response.status_code in (200, 403), response.status_code
    if response.status_code == 200:
        page = response.content.decode()
        assert 'class="errornote"' in page
        if name == "county_a_admin_reading_b" and label != "org.rolegrant":
            assert "所选单位不在您的管理范围内" in page  # (the form offered it: the placement check refused)
    assert model._default_manager.count() == rows
    assert AuditEntry.objects.count() == audits


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(PAYLOADS))
def test_an_admin_write_inside_scope_goes_through_with_one_audit_row(cast: Any, client: Any, label: str) -> None:
    # (the payloads above are valid but for their placement)
    model = next(model for name, model in _registered() if name == label)
    user = cast.county_a_admin
    client.force_login(user)
    rows = model._default_manager.count()

    response = client.post(_url(model), PAYLOADS[label](cast, cast.town_a1, cast.county_a))

    assert response.status_code == 302, re.findall(r"errorlist.*?</ul>", response.content.decode(), re.S)
    assert model._default_manager.count() == rows + 1
    created = model._default_manager.order_by("-pk").first()
    resource = admin.site._registry[model].resource
    assert AuditEntry.objects.filter(action="create", resource=resource, object_id=str(created.pk)).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["county_a_admin", "secretary_a1"])
def test_every_admin_form_offers_nothing_outside_the_users_scope(cast: Any, name: str) -> None:
    # given records in the other county for every reference the cast has
    OfficeFactory(unit=cast.town_b1, name="期纳站所")
    user = cast.user(name)
    outside = {
        OrgUnit: {cast.county_b.pk, cast.town_b1.pk, cast.city.pk},
        Cadre: {cast.cadre_b1.pk},
        User: {cast.secretary_b1.pk, cast.city_admin.pk},
    }
    offered: list[str] = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ScopedAdmin):
            continue
        form = model_admin.get_form(_request(user))
        for field_name, field in form.base_fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            # then no reference on any form reaches outside the user's scope
            related = queryset.model
            if related in outside:
                offered += [
                    f"{model._meta.label}.{field_name}:{pk}"
                    for pk in outside[related] & set(queryset.values_list("pk", flat=True))
                ]
            elif getattr(related, "SCOPE_UNIT", None) is not None:
                everything = queryset.model._default_manager.all()
                beyond = everything.exclude(pk__in=scoped(everything, user, model_admin.resource).values("pk"))
                offered += [
                    f"{model._meta.label}.{field_name}:{pk}"
                    for pk in queryset.filter(pk__in=beyond.values("pk")).values_list("pk", flat=True)
                ]
    assert offered == []


# -- a unit moved through the admin ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_unit_moved_in_the_admin_takes_its_subtree_and_its_cadres_into_the_new_scope(cast: Any, client: Any) -> None:
    # given a village under township A1 and the county B administrator
    village = OrgUnitFactory(code="530721101201", name="石头村", kind=UnitKind.VILLAGE, parent=cast.town_a1)
    villager = CadreFactory(name="和村官", unit=village)
    county_b_admin = UserFactory(username="county_b_admin")
    RoleGrantFactory(user=county_b_admin, role=Role.ORG_ADMIN, unit=cast.county_b)
    town = cast.town_a1

    # when the city's administrator moves township A1 into county B on the admin's form
    client.force_login(cast.city_admin)
    response = client.post(
        _url(OrgUnit, "change", town.pk),
        {
            "code": town.code,
            "name": town.name,
            "kind": town.kind,
            "parent": cast.county_b.pk,
            "remoteness": town.remoteness,
            "distance_km": town.distance_km or "",
            "active": "on",
        },
    )

    # then the township and its village sit under county B, paths and all
    assert response.status_code == 302, response.content.decode()[-3000:]
    town.refresh_from_db()
    village.refresh_from_db()
    assert town.parent == cast.county_b and town.path.startswith(cast.county_b.path)
    assert village.path.startswith(town.path)
    # and county B's administrator sees its cadres, county A's no longer does
    moved = {cast.cadre_a1.pk, villager.pk}
    in_b = set(scoped(Cadre.objects.all(), county_b_admin, "cadres").values_list("pk", flat=True))
    in_a = set(scoped(Cadre.objects.all(), cast.county_a_admin, "cadres").values_list("pk", flat=True))
    assert moved <= in_b and not moved & in_a
    # and the move is logged once, by who made it
    entry = AuditEntry.objects.get(action="update", resource="org-units", object_id=str(town.pk))
    assert entry.actor == cast.city_admin and entry.fields == ["parent"]


@pytest.mark.django_db
def test_a_county_admin_reading_the_other_county_cannot_move_a_township_into_it(cast: Any, client: Any) -> None:
    # given the county A administrator, who also reads county B (so the form offers it)
    user = _user(cast, "county_a_admin_reading_b")
    client.force_login(user)
    town = cast.town_a1
    path = town.path

    response = client.post(
        _url(OrgUnit, "change", town.pk),
        {
            "code": town.code,
            "name": town.name,
            "kind": town.kind,
            "parent": cast.county_b.pk,
            "remoteness": town.remoteness,
            "distance_km": "",
            "active": "on",
        },
    )

    assert response.status_code == 200 and "所选单位不在您的管理范围内" in response.content.decode()
    town.refresh_from_db()
    assert town.parent == cast.county_a and town.path == path
    assert not AuditEntry.objects.filter(resource="org-units").exists()


@pytest.mark.django_db
def test_a_unit_cannot_be_moved_under_itself_in_the_admin(cast: Any, client: Any) -> None:
    client.force_login(cast.city_admin)
    county = cast.county_a

    response = client.post(
        _url(OrgUnit, "change", county.pk),
        {
            "code": county.code,
            "name": county.name,
            "kind": county.kind,
            "parent": cast.town_a1.pk,
            "remoteness": "none",
            "distance_km": "",
            "active": "on",
        },
    )

    assert response.status_code == 200 and "不能把单位移到它自己或其下级单位之下" in response.content.decode()
    county.refresh_from_db()
    assert county.parent == cast.city


def test_a_unit_moved_through_the_api_takes_its_subtree_into_the_new_scope(cast: Any, client_for: Any) -> None:
    village = OrgUnitFactory(code="530721101201", name="石头村", kind=UnitKind.VILLAGE, parent=cast.town_a1)

    response = client_for("city_admin").patch(
        f"/api/v1/org-units/{cast.town_a1.pk}/", {"parent": cast.county_b.pk}, format="json"
    )

    assert response.status_code == 200, response.json()
    village.refresh_from_db()
    assert village.path.startswith(cast.county_b.path)
    assert client_for("secretary_b1").get(f"/api/v1/cadres/{cast.cadre_a1.pk}/").status_code == 404
    assert client_for("county_a_admin").get(f"/api/v1/cadres/{cast.cadre_a1.pk}/").status_code == 404
    assert client_for("city_admin").get(f"/api/v1/org-units/?parent={cast.county_b.pk}").status_code == 200


# -- role grants and post changes: the services' rules hold in the admin ---------------------------------


@pytest.mark.django_db
def test_a_role_grant_in_the_admin_is_refused_by_the_rank_check_like_the_api(cast: Any, client: Any) -> None:
    from cadrecare.org.access import ACCESS, Rule

    # given the county's staff, allowed here to hand out roles, and a login with none
    grantee = UserFactory()
    ACCESS["role-grants"][Role.ORG_STAFF] = Rule(frozenset({"view", "add"}))
    try:
        client.force_login(cast.county_a_staff)
        # when they grant the administrator's role, above their own, on the admin's form
        response = client.post(
            _url(RoleGrant),
            {
                "user": grantee.pk,
                "role": Role.ORG_ADMIN,
                "unit": cast.town_a1.pk,
                "acting_post": "",
                "acting_from": "",
                "acting_until": "",
            },
        )
    finally:
        del ACCESS["role-grants"][Role.ORG_STAFF]

    # then the form says why, as the API does, and no grant or audit row is made
    assert response.status_code == 200
    assert "不能授予高于本人的角色" in response.content.decode()
    assert not RoleGrant.objects.filter(user=grantee).exists()
    assert not AuditEntry.objects.filter(resource="role-grants").exists()


@pytest.mark.django_db
def test_revoking_ones_own_grant_in_the_admin_is_refused_by_the_service(cast: Any, client: Any) -> None:
    own = cast.county_a_admin.grants.get()
    client.force_login(cast.county_a_admin)

    response = client.post(f"/admin/org/rolegrant/{own.pk}/delete/", {"post": "yes"}, follow=True)

    assert "不能撤销自己的角色" in response.content.decode()
    assert RoleGrant.objects.filter(pk=own.pk).exists()
    assert not AuditEntry.objects.filter(resource="role-grants", action="delete").exists()


@pytest.mark.django_db
def test_a_post_change_in_the_admin_moves_the_cadre_and_runs_the_apis_listeners(
    cast: Any, client: Any, client_for: Any
) -> None:
    # given two cadres of township A2, one moved on the admin's form and one through the API
    by_admin, by_api = cast.cadre_a2, CadreFactory(name="和建国", unit=cast.town_a2)
    form = {
        "kind": "transfer",
        "date": clock.today().isoformat(),
        "to_unit": cast.town_a1.pk,
        "to_rank": Rank.STAFF_MEMBER,
        "to_leader_post": LeaderPost.NONE,
        "to_post_title": "",
        "note": "",
    }
    client.force_login(cast.county_a_admin)

    office = OfficeFactory(unit=cast.town_a1, name="综治办")
    response = client.post(_url(PostChange), {**form, "cadre": by_admin.pk, "to_office": office.pk})
    api = client_for("county_a_admin").post("/api/v1/post-changes/", {**form, "cadre": by_api.pk}, format="json")

    # then both cadres moved, each with the must-talk a post change opens, and each change logged once
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert api.status_code == 201, api.json()
    for cadre in (by_admin, by_api):
        cadre.refresh_from_db()
        assert cadre.unit == cast.town_a1 and cadre.establishment_unit == cast.town_a1
        assert cadre.office == (office if cadre == by_admin else None)
        change = PostChange.objects.get(cadre=cadre)
        assert change.recorded_by == cast.county_a_admin
        triggers = TalkTrigger.objects.filter(cadre=cadre)
        assert [(t.kind, t.source, t.source_key) for t in triggers] == [
            ("position_change", "post_change", str(change.pk))
        ]
        assert (
            AuditEntry.objects.filter(action="create", resource="post-changes", object_id=str(change.pk)).count() == 1
        )


def test_the_move_service_itself_keeps_a_unit_inside_its_movers_scope(cast: Any, client_for: Any) -> None:
    # given the county A administrator, who also reads county B
    user = _user(cast, "county_a_admin_reading_b")
    path = cast.town_a1.path

    # when they move township A1 into county B, through the API or by calling the service
    response = client_for("county_a_admin").patch(
        f"/api/v1/org-units/{cast.town_a1.pk}/", {"parent": cast.county_b.pk}, format="json"
    )
    with pytest.raises(DomainError, match="所选单位不在您的管理范围内"):
        org_unit_move(unit=cast.town_a1, parent=cast.county_b, actor=user)

    # then both are refused and the township's path stays under county A
    assert response.status_code == 400, response.json()
    assert OrgUnit.objects.get(pk=cast.town_a1.pk).path == path


@pytest.mark.django_db
def test_a_visit_cadence_in_the_admin_is_set_for_a_county_only(cast: Any, client: Any) -> None:
    client.force_login(cast.county_a_admin)

    response = client.post(
        "/admin/oversight/fieldvisitpolicy/add/", {"county": cast.town_a1.pk, "cadence_months": VisitCadence.QUARTERLY}
    )

    assert response.status_code == 200 and 'class="errornote"' in response.content.decode()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_post_change_in_the_admin_refuses_an_office_of_another_unit_in_the_services_words(
    cast: Any, client: Any
) -> None:
    client.force_login(cast.county_a_admin)
    office = OfficeFactory(unit=cast.town_a2, name="综治办")

    response = client.post(
        _url(PostChange),
        {
            "cadre": cast.cadre_a1.pk,
            "kind": "transfer",
            "date": clock.today().isoformat(),
            "to_unit": cast.town_a1.pk,
            "to_office": office.pk,
            "to_rank": Rank.STAFF_MEMBER,
            "to_leader_post": LeaderPost.NONE,
        },
    )

    assert response.status_code == 200 and "所选科室站所不属于新单位" in response.content.decode()
    assert not PostChange.objects.exists() and not AuditEntry.objects.exists()
