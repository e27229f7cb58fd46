"""The admin is no second door: where it writes at all, it writes through the
resource's service with the placement checked by ``scoping``, one audit row,
and a refusal on the form; everywhere else it only shows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.org.access import ACCESS, ADD, Rule
from cadrecare.org.admin import ScopedAdmin
from cadrecare.org.choices import LeaderPost, Rank, Role, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, PostChange, RoleGrant, User
from cadrecare.org.scoping import forget_cached_grants, may_in_unit, scoped
from cadrecare.org.services import org_unit_move
from cadrecare.oversight.choices import VisitCadence
from cadrecare.oversight.models import FieldVisitPolicy
from cadrecare.talks.models import TalkTrigger
from tests.factories import CadreFactory, OfficeFactory, OrgUnitFactory, RoleGrantFactory, UserFactory


def _url(model: type[models.Model], view: str = "add", pk: object = None) -> str:
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    return base + (f"{pk}/change/" if view == "change" else "add/")


def _post_change_form(cadre: Cadre, to_unit: OrgUnit, **changes: Any) -> dict[str, Any]:
    """A transfer of ``cadre`` to ``to_unit`` today, as the admin's form and the API take it."""
    return {
        "cadre": cadre.pk,
        "kind": "transfer",
        "date": clock.today().isoformat(),
        "to_unit": to_unit.pk,
        "to_rank": Rank.STAFF_MEMBER,
        "to_leader_post": LeaderPost.NONE,
        "to_post_title": "",
        "note": "",
        **changes,
    }


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
    "org.postchange": lambda cast, unit, county: _post_change_form(cast.cadre_a1, unit),
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


def _unit_form(unit: OrgUnit, *, parent: OrgUnit) -> dict[str, Any]:
    """The admin's change form of ``unit`` as it stands, but moved under ``parent``."""
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": parent.pk,
        "remoteness": unit.remoteness,
        "distance_km": unit.distance_km or "",
        "active": "on",
    }


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
    response = client.post(_url(OrgUnit, "change", town.pk), _unit_form(town, parent=cast.county_b))

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
def test_a_post_change_in_the_admin_moves_the_cadre_and_runs_the_apis_listeners(
    cast: Any, client: Any, client_for: Any
) -> None:
    # given two cadres of township A2, one moved on the admin's form and one through the API
    by_admin, by_api = cast.cadre_a2, CadreFactory(name="和建国", unit=cast.town_a2)
    client.force_login(cast.county_a_admin)

    office = OfficeFactory(unit=cast.town_a1, name="综治办")
    response = client.post(_url(PostChange), _post_change_form(by_admin, cast.town_a1, to_office=office.pk))
    api = client_for("county_a_admin").post(
        "/api/v1/post-changes/", _post_change_form(by_api, cast.town_a1), format="json"
    )

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


# -- writes the admin refuses: the service's rules and the form's choices ----------------------------------


@dataclass(frozen=True)
class Refused:
    """Who posts which admin form, and the words the page must refuse it in."""

    user: str
    url: Callable[[Any], str]
    form: Callable[[Any], dict[str, Any]]
    says: str
    # An access rule the case needs (role, rule on the resource), set for the case only.
    access: tuple[str, Role, Rule] | None = None


REFUSED = {
    # the county A administrator, who also reads county B (so the form offers it)
    "a township moved into a county its mover only reads": Refused(
        "county_a_admin_reading_b",
        lambda cast: _url(OrgUnit, "change", cast.town_a1.pk),
        lambda cast: _unit_form(cast.town_a1, parent=cast.county_b),
        "所选单位不在您的管理范围内",
    ),
    "a unit moved under its own township": Refused(
        "city_admin",
        lambda cast: _url(OrgUnit, "change", cast.county_a.pk),
        lambda cast: _unit_form(cast.county_a, parent=cast.town_a1),
        "不能把单位移到它自己或其下级单位之下",
    ),
    # the county's staff, allowed here to hand out roles, granting the administrator's, above their own
    "a role granted above the granter's own": Refused(
        "county_a_staff",
        lambda cast: _url(RoleGrant),
        lambda cast: {
            "user": UserFactory().pk,
            "role": Role.ORG_ADMIN,
            "unit": cast.town_a1.pk,
            "acting_post": "",
            "acting_from": "",
            "acting_until": "",
        },
        "不能授予高于本人的角色",
        access=("role-grants", Role.ORG_STAFF, Rule(frozenset({"view", "add"}))),
    ),
    "one's own grant revoked": Refused(
        "county_a_admin",
        lambda cast: f"/admin/org/rolegrant/{cast.county_a_admin.grants.get().pk}/delete/",
        lambda cast: {"post": "yes"},
        "不能撤销自己的角色",
    ),
    "a visit cadence set for a township": Refused(
        "county_a_admin",
        lambda cast: _url(FieldVisitPolicy),
        lambda cast: {"county": cast.town_a1.pk, "cadence_months": VisitCadence.QUARTERLY},
        "该选择不在可用的选项中",  # (a township is no county the form offers)
    ),
    "a post change into an office of another unit": Refused(
        "county_a_admin",
        lambda cast: _url(PostChange),
        lambda cast: _post_change_form(
            cast.cadre_a1, cast.town_a1, to_office=OfficeFactory(unit=cast.town_a2, name="综治办").pk
        ),
        "所选科室站所不属于新单位",
    ),
}


def _rows() -> dict[str, list[dict[str, Any]]]:
    """Every row a refused write could have made or changed."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in (OrgUnit, RoleGrant, PostChange, FieldVisitPolicy, AuditEntry)
    }


@pytest.mark.django_db
@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_a_write_the_admin_refuses_says_why_and_leaves_nothing_behind(
    cast: Any, client: Any, monkeypatch: pytest.MonkeyPatch, case: Refused
) -> None:
    # given a login, and a write its service refuses
    if case.access is not None:
        resource, role, rule = case.access
        monkeypatch.setitem(ACCESS[resource], role, rule)
    client.force_login(_user(cast, case.user))
    url, form = case.url(cast), case.form(cast)
    before = _rows()

    # when they post it on the admin's form
    response = client.post(url, form, follow=True)

    # then the page says why, and nothing is saved or logged
    assert case.says in response.content.decode()
    assert _rows() == before
