"""The Django admin covers every model, scoped and audited like the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission

from cadrecare.audit.models import AuditEntry
from cadrecare.core.privacy import Level, field_levels
from cadrecare.org.admin import ScopedAdmin
from tests.factories import CheckupFactory, FacilityFactory


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
            shown += [f"{model._meta.label}.{name}" for name in [*model_admin.list_display, *model_admin.list_filter]
                      if levels.get(name, Level.BASIC) > Level.BASIC]
    assert shown == []


def _staff(user: Any, *codenames: str) -> Any:
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.mark.django_db
def test_a_staff_member_sees_in_the_admin_only_what_their_grants_cover(cast: Any, client: Any) -> None:
    # given a facility in each county and the county A administrator as staff
    mine, other = FacilityFactory(township=cast.town_a1), FacilityFactory(township=cast.town_b1)
    client.force_login(_staff(cast.county_a_admin, "view_facility", "change_facility"))

    # then the list shows county A's facility only, and B's is not found
    page = client.get("/admin/care/facility/").content.decode()
    assert f"/admin/care/facility/{mine.pk}/change/" in page
    assert f"/admin/care/facility/{other.pk}/change/" not in page
    assert client.get(f"/admin/care/facility/{other.pk}/change/").status_code == 302  # "does not exist" redirect


@pytest.mark.django_db
def test_a_head_request_for_a_checkup_in_the_admin_is_logged_like_opening_it(cast: Any, client: Any) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_a1)
    client.force_login(_staff(cast.county_a_admin, "view_checkup"))

    response = client.head(f"/admin/health/checkup/{checkup.pk}/change/")

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="read", resource="health-checkups", object_id=str(checkup.pk))
    assert entry.actor == cast.county_a_admin and "findings" in entry.fields


@pytest.mark.django_db
def test_opening_a_checkup_in_the_admin_is_logged_and_it_cannot_be_edited_there(cast: Any, client: Any) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_a1)
    client.force_login(_staff(cast.county_a_admin, "view_checkup", "change_checkup"))

    # when the administrator opens the check-up
    response = client.get(f"/admin/health/checkup/{checkup.pk}/change/")

    # then its findings are shown read-only, and the read is in the audit log with the fields shown
    assert response.status_code == 200 and 'name="findings"' not in response.content.decode()
    entry = AuditEntry.objects.get(action="read", resource="health-checkups", object_id=str(checkup.pk))
    assert entry.actor == cast.county_a_admin and entry.cadre_id == cast.cadre_a1.pk and "findings" in entry.fields
    assert client.post(f"/admin/health/checkup/{checkup.pk}/change/", {}).status_code == 403


@pytest.mark.django_db
def test_a_change_made_in_the_admin_is_logged_with_its_fields(cast: Any, client: Any) -> None:
    facility = FacilityFactory(township=cast.town_a1, note="")
    client.force_login(_staff(cast.county_a_admin, "view_facility", "change_facility"))
    form = {"township": cast.town_a1.pk, "item": facility.item, "status": facility.status,
            "as_of": facility.as_of.isoformat(), "note": "已修缮"}

    response = client.post(f"/admin/care/facility/{facility.pk}/change/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="update", resource="facilities", object_id=str(facility.pk))
    assert entry.actor == cast.county_a_admin and entry.fields == ["note"]


@pytest.mark.django_db
def test_a_deletion_in_the_admin_is_logged(cast: Any, client: Any) -> None:
    facility = FacilityFactory(township=cast.town_a1)
    client.force_login(_staff(cast.county_a_admin, "view_facility", "delete_facility"))

    response = client.post("/admin/care/facility/", {"action": "delete_selected", "_selected_action": [facility.pk],
                                                    "post": "yes"})

    assert response.status_code == 302
    assert not type(facility).objects.filter(pk=facility.pk).exists()
    assert AuditEntry.objects.filter(action="delete", resource="facilities", object_id=str(facility.pk),
                                     actor=cast.county_a_admin).count() == 1
