"""The Django admin covers every model, scoped and audited like the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin

from cadrecare.audit.models import AuditEntry
from cadrecare.core.privacy import Level, field_levels
from cadrecare.org.access import ACCESS, ADMIN_ROLES, VIEW
from cadrecare.org.admin import ScopedAdmin
from cadrecare.rotation.models import RestFeed
from tests.cadrecare.test_access_matrix import ROLE_OF
from tests.conftest import ROLE_USERS
from tests.factories import (
    CheckupFactory,
    FacilityFactory,
    FamilyMemberFactory,
    OfficeFactory,
    RoleGrantFactory,
    UserFactory,
)


def _models() -> list[Any]:
    return [model for app in apps.get_app_configs() if app.name.startswith("cadrecare.") for model in app.get_models()]


def test_every_model_is_in_the_admin_on_its_own_or_inline() -> None:
    inlined = {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}
    assert [m._meta.label for m in _models() if m not in admin.site._registry and m not in inlined] == []


def test_no_admin_list_shows_or_filters_by_a_personal_or_sensitive_field() -> None:
    shown = []
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ScopedAdmin):
            levels = field_levels(model)
            shown += [
                f"{model._meta.label}.{name}"
                for name in [*model_admin.list_display, *model_admin.list_filter]
                if levels.get(name, Level.BASIC) > Level.BASIC
            ]
    assert shown == []


@pytest.mark.django_db
def test_an_administrator_sees_in_the_admin_only_what_their_grants_cover(cast: Any, client: Any) -> None:
    # given a facility in each county and the county A administrator
    mine, other = FacilityFactory(township=cast.town_a1), FacilityFactory(township=cast.town_b1)
    client.force_login(cast.county_a_admin)

    # then the list shows county A's facility only, and B's is not found
    page = client.get("/admin/care/facility/").content.decode()
    assert f"/admin/care/facility/{mine.pk}/change/" in page
    assert f"/admin/care/facility/{other.pk}/change/" not in page
    assert client.get(f"/admin/care/facility/{other.pk}/change/").status_code == 302  # "does not exist" redirect


@pytest.mark.django_db
def test_a_head_request_for_a_checkup_in_the_admin_is_logged_like_opening_it(cast: Any, client: Any) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_a1)
    client.force_login(cast.county_a_admin)

    response = client.head(f"/admin/health/checkup/{checkup.pk}/change/")

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="read", resource="health-checkups", object_id=str(checkup.pk))
    assert entry.actor == cast.county_a_admin and "findings" in entry.fields


@pytest.mark.django_db
def test_opening_a_checkup_in_the_admin_is_logged_and_it_cannot_be_edited_there(cast: Any, client: Any) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_a1)
    client.force_login(cast.county_a_admin)

    # when the administrator opens the check-up
    response = client.get(f"/admin/health/checkup/{checkup.pk}/change/")

    # then its findings are shown read-only, and the read is in the audit log with the fields shown
    assert response.status_code == 200 and 'name="findings"' not in response.content.decode()
    entry = AuditEntry.objects.get(action="read", resource="health-checkups", object_id=str(checkup.pk))
    assert entry.actor == cast.county_a_admin and entry.cadre_id == cast.cadre_a1.pk and "findings" in entry.fields
    assert client.post(f"/admin/health/checkup/{checkup.pk}/change/", {}).status_code == 403


@pytest.mark.django_db
def test_a_change_made_in_the_admin_is_logged_with_its_fields(cast: Any, client: Any) -> None:
    office = OfficeFactory(unit=cast.town_a1, name="综治办")
    client.force_login(cast.county_a_admin)
    form = {"unit": cast.town_a1.pk, "name": "党建办", "active": "on"}

    response = client.post(f"/admin/org/office/{office.pk}/change/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="update", resource="offices", object_id=str(office.pk))
    assert entry.actor == cast.county_a_admin and entry.fields == ["name"]


@pytest.mark.django_db
def test_a_deletion_in_the_admin_is_logged(cast: Any, client: Any) -> None:
    office = OfficeFactory(unit=cast.town_a1)
    client.force_login(cast.county_a_admin)

    response = client.post(
        "/admin/org/office/", {"action": "delete_selected", "_selected_action": [office.pk], "post": "yes"}
    )

    assert response.status_code == 302
    assert not type(office).objects.filter(pk=office.pk).exists()
    assert (
        AuditEntry.objects.filter(
            action="delete", resource="offices", object_id=str(office.pk), actor=cast.county_a_admin
        ).count()
        == 1
    )


# -- who enters the admin: the roles the access table lets in, not Django's staff flag ----------


def _admin_pages() -> list[tuple[str, str]]:
    """(changelist address, access-table resource or "" for the admins outside the table)."""
    return [
        (
            f"/admin/{model._meta.app_label}/{model._meta.model_name}/",
            model_admin.resource if isinstance(model_admin, ScopedAdmin) else "",
        )
        for model, model_admin in admin.site._registry.items()
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ROLE_USERS)
def test_each_role_the_access_table_lets_in_logs_into_the_admin_and_finds_only_its_resources(
    cast: Any, client: Any, name: str
) -> None:
    role = ROLE_OF[name]
    user = cast.user(name)
    assert not user.is_staff and not user.is_superuser

    # when they log in on the admin's own page
    response = client.post("/admin/login/", {"username": user.username, "password": "pass-word-123", "next": "/admin/"})

    if role not in ADMIN_ROLES:
        # then a cadre is refused, as a wrong password is, and stays outside
        assert response.status_code == 200 and "error" in response.content.decode()
        assert client.get("/admin/").status_code == 302
        return
    assert response.status_code == 302 and response["Location"] == "/admin/"
    index = client.get("/admin/").content.decode()
    for url, resource in _admin_pages():
        rule = ACCESS.get(resource, {}).get(role)
        readable = rule is not None and VIEW in rule.actions
        # then the index lists exactly the resources their role may view, each of which opens
        assert (f'href="{url}"' in index) == readable, url
        assert client.get(url).status_code == (200 if readable else 403), url


@pytest.mark.django_db
def test_a_secretary_in_the_admin_sees_their_township_only_and_writes_only_what_their_role_may(
    cast: Any, client: Any
) -> None:
    mine, other = FacilityFactory(township=cast.town_a1), FacilityFactory(township=cast.town_b1)
    client.force_login(cast.secretary_a1)

    page = client.get("/admin/care/facility/").content.decode()
    assert f"/admin/care/facility/{mine.pk}/change/" in page
    assert f"/admin/care/facility/{other.pk}/change/" not in page
    # (units: view only, for a secretary)
    assert client.get(f"/admin/org/orgunit/{cast.town_a1.pk}/change/").status_code == 200
    assert client.post(f"/admin/org/orgunit/{cast.town_a1.pk}/change/", {"name": "改名"}).status_code == 403
    assert client.get("/admin/org/orgunit/add/").status_code == 403


@pytest.mark.django_db
def test_a_form_in_the_admin_offers_only_what_the_user_may_name(cast: Any, client: Any) -> None:
    client.force_login(cast.secretary_a1)

    form = client.get("/admin/org/office/add/").content.decode()

    assert "石头乡" in form
    assert not [other for other in ("鲁甸乡", "期纳镇", "玉龙县") if other in form]


@pytest.mark.django_db
def test_the_admin_hides_what_the_reader_may_not_see_as_the_api_masks_it(cast: Any, client: Any) -> None:
    # given a check-up with findings, and a child under 14 in the cadre's family
    checkup = CheckupFactory(cadre=cast.cadre_a1, findings="血糖偏高，建议复查。")
    child = FamilyMemberFactory(cadre=cast.cadre_a1, relation="child", name="木小禾", birth_date=dt.date(2020, 3, 1))

    # when the secretary (who sees that check-ups happened, not their findings) opens them
    client.force_login(cast.secretary_a1)
    checkup_page = client.get(f"/admin/health/checkup/{checkup.pk}/change/").content.decode()
    child_page = client.get(f"/admin/care/familymember/{child.pk}/change/").content.decode()

    # then the findings and the child's details are not on the page, and no read is logged
    assert "2025" in checkup_page and "血糖偏高" not in checkup_page
    assert "木小禾" not in child_page and "2020" not in child_page
    assert not AuditEntry.objects.filter(action="read").exists()

    # and HR, who may read them, sees them, logged
    client.force_login(cast.hr_a1)
    assert "血糖偏高" in client.get(f"/admin/health/checkup/{checkup.pk}/change/").content.decode()
    assert AuditEntry.objects.filter(action="read", actor=cast.hr_a1, object_id=str(checkup.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "findings__icontains=血",
        "findings__startswith=血",
        "cadre__id_number__startswith=5",
        "cadre__unit__code=530722101",
    ],
)
def test_an_admin_list_refuses_lookups_it_does_not_offer(cast: Any, client: Any, query: str) -> None:
    # (a search on findings would read them a character at a time, unlogged)
    CheckupFactory(cadre=cast.cadre_a1)
    client.force_login(cast.hr_a1)

    assert client.get(f"/admin/health/checkup/?{query}").status_code == 400
    assert client.get("/admin/health/checkup/?kind__exact=annual").status_code == 200


@pytest.mark.django_db
def test_the_admin_raises_nobodys_privileges(cast: Any, client: Any) -> None:
    # given the county's admin, who may change the users of the county, themself among them
    client.force_login(cast.county_a_admin)
    page = client.get(f"/admin/org/user/{cast.county_a_admin.pk}/change/").content.decode()

    # when they post staff, superuser, groups and permissions for themself
    response = client.post(
        f"/admin/org/user/{cast.county_a_admin.pk}/change/",
        {
            "first_name": "张",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": ["1"],
            "user_permissions": ["1", "2"],
        },
    )

    # then the form had none of those fields, and the save changed only the name
    assert not [name for name in ("is_superuser", "is_staff", "user_permissions", "groups") if f'name="{name}"' in page]
    assert response.status_code == 302
    cast.county_a_admin.refresh_from_db()
    assert cast.county_a_admin.first_name == "张"
    assert not (cast.county_a_admin.is_superuser or cast.county_a_admin.is_staff)
    assert not cast.county_a_admin.user_permissions.exists() and not cast.county_a_admin.groups.exists()
    # and Django's groups, which would hand out model permissions, are not in the admin
    assert client.get("/admin/auth/group/").status_code == 404


@pytest.mark.django_db
def test_a_staff_user_with_djangos_user_permissions_changes_nobody(cast: Any, client: Any) -> None:
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__in=["change_user", "view_user", "add_user"]))
    client.force_login(staff)

    # (model permissions are not the access table's: a staff login without a grant is given nothing)
    assert client.get(f"/admin/org/user/{staff.pk}/change/").status_code == 403
    assert client.post(f"/admin/org/user/{staff.pk}/change/", {"is_superuser": "on"}).status_code == 403
    assert client.get("/admin/org/user/add/").status_code == 403
    staff.refresh_from_db()
    assert not staff.is_superuser


@pytest.mark.django_db
def test_the_admin_changes_only_users_the_administrator_manages_wholly(cast: Any, client: Any) -> None:
    # given an HR officer holding a second grant in the other county
    RoleGrantFactory(user=cast.hr_a1, role="hr", unit=cast.town_b1)
    client.force_login(cast.county_a_admin)

    # then the county's admin sees them but may not change, deactivate or unlock them
    assert client.get(f"/admin/org/user/{cast.hr_a1.pk}/change/").status_code == 200
    assert (
        client.post(f"/admin/org/user/{cast.hr_a1.pk}/change/", {"first_name": "改", "is_active": ""}).status_code
        == 403
    )
    assert (
        client.post("/admin/org/user/", {"action": "unlock_logins", "_selected_action": [cast.hr_a1.pk]}).status_code
        == 403
    )
    cast.hr_a1.refresh_from_db()
    assert cast.hr_a1.is_active and cast.hr_a1.first_name != "改"
    # and may the secretary wholly in their county
    assert (
        client.post(
            f"/admin/org/user/{cast.secretary_a1.pk}/change/", {"first_name": "和", "is_active": "on"}
        ).status_code
        == 302
    )


@pytest.mark.django_db
def test_the_calendar_feeds_secret_is_no_lookup_in_the_admin(cast: Any, client: Any) -> None:
    # (an iCalendar token was read a character at a time in 308 requests)
    RestFeed.objects.create(cadre=cast.cadre_a1, token="a" * 40)
    client.force_login(cast.secretary_a1)

    assert client.get("/admin/rotation/restfeed/?token__startswith=a").status_code == 400
    assert client.get("/admin/rotation/restfeed/?cadre__rest_feed__token__startswith=a").status_code == 400
