"""What every workbench page gets from its base class (cadrecare.web.pages):
the role check against the access table, a nav showing only the pages one may
open, the API's masking and audit for personal values, and a service's
DomainError shown beside its field."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.test import Client
from django.urls import include, path

from cadrecare.audit.models import AuditEntry
from cadrecare.core.errors import DomainError
from cadrecare.core.privacy import MASK
from cadrecare.org import scoping
from cadrecare.org.api.serializers import CadreSerializer
from cadrecare.org.models import Cadre
from cadrecare.web import nav
from cadrecare.web.pages import PageView, add_service_error
from tests.conftest import Cast


class AuditLogPage(PageView):
    """A page for a resource only the organization department's admin has."""

    resource = "audit-log"

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("审计日志")


class CadrePage(PageView):
    """A page showing one cadre's record the way the API does."""

    resource = "cadres"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cadre = get_object_or_404(scoping.scoped(Cadre.objects.all(), request.user, self.resource), pk=pk)
        data = self.serialize(CadreSerializer, cadre)
        return HttpResponse(f"{data['name']} {data['phone']} {data['id_number']}")


urlpatterns = [
    path("audit/", AuditLogPage.as_view(), name="test-audit"),
    path("cadre/<int:pk>/", CadrePage.as_view(), name="test-cadre"),
    path("", include("config.urls")),
]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.urls(__name__)
def test_a_page_refuses_a_role_without_its_resource_in_chinese(cast: Cast) -> None:
    refused = _client(cast.secretary_a1).get("/audit/")
    allowed = _client(cast.city_admin).get("/audit/")

    assert refused.status_code == 403
    assert "您的角色无权使用此页面。" in refused.content.decode()
    assert 'href="/inbox/"' in refused.content.decode(), "the error page keeps the nav"
    assert allowed.status_code == 200


@pytest.mark.urls(__name__)
def test_the_nav_shows_an_entry_only_to_those_its_page_lets_in(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a nav section whose page is the audit log
    nav._page.cache_clear()
    audit_section = nav.NavSection("审计", (nav.NavEntry("test-audit", "审计日志", "eye"),))
    monkeypatch.setattr(nav, "NAV", (*nav.NAV, audit_section))

    secretary = _client(cast.secretary_a1).get("/").content.decode()
    admin = _client(cast.city_admin).get("/").content.decode()
    nav._page.cache_clear()

    assert 'href="/audit/"' not in secretary
    assert 'href="/audit/"' in admin
    assert 'href="/inbox/"' in secretary and 'href="/inbox/"' in admin


@pytest.mark.urls(__name__)
def test_a_page_masks_personal_values_for_a_role_that_may_not_see_them_and_audits_nothing(cast: Cast) -> None:
    response = _client(cast.secretary_a1).get(f"/cadre/{cast.cadre_a1.pk}/")

    assert response.status_code == 200
    assert cast.cadre_a1.phone not in response.content.decode()
    assert cast.cadre_a1.phone[-4:] not in response.content.decode()  # not even a tail: masking reveals nothing
    assert MASK in response.content.decode()
    assert not AuditEntry.objects.filter(action="read").exists()


@pytest.mark.urls(__name__)
def test_a_page_shows_personal_values_to_hr_and_audits_them_as_the_api_does(cast: Cast) -> None:
    response = _client(cast.hr_a1).get(f"/cadre/{cast.cadre_a1.pk}/")

    assert response.status_code == 200
    assert cast.cadre_a1.phone in response.content.decode()
    entry = AuditEntry.objects.get(action="read")
    assert (entry.actor_name, entry.resource, entry.object_id, entry.cadre_id) == (
        "hr_a1",
        "cadres",
        str(cast.cadre_a1.pk),
        cast.cadre_a1.pk,
    )
    assert {"phone", "id_number", "birth_date"} <= set(entry.fields)
    # the API's read of the same record writes the same entry
    api_response = _client(cast.hr_a1).get(f"/api/v1/cadres/{cast.cadre_a1.pk}/")
    assert api_response.status_code == 200
    api_entry = AuditEntry.objects.filter(action="read").exclude(pk=entry.pk).get()
    assert (api_entry.resource, api_entry.object_id, sorted(api_entry.fields)) == (
        entry.resource,
        entry.object_id,
        sorted(entry.fields),
    )


@pytest.mark.urls(__name__)
def test_a_head_request_of_a_page_with_personal_values_is_audited_like_a_get(cast: Cast) -> None:
    response = _client(cast.hr_a1).head(f"/cadre/{cast.cadre_a1.pk}/")

    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="read", resource="cadres", object_id=str(cast.cadre_a1.pk)).count() == 1


@pytest.mark.urls(__name__)
def test_a_record_outside_the_scope_is_not_found_and_not_audited(cast: Cast) -> None:
    response = _client(cast.hr_a1).get(f"/cadre/{cast.cadre_b1.pk}/")

    assert response.status_code == 404
    assert "未找到该页面或记录" in response.content.decode()
    assert not AuditEntry.objects.exists()


class _VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期")
    visitors = forms.CharField(label="走访人")


def test_a_service_error_naming_a_field_goes_beside_it_and_others_on_top() -> None:
    form = _VisitForm(data={"visited_on": "2026-12-01", "visitors": "和书记"})
    assert form.is_valid()

    add_service_error(form, DomainError("走访日期不能早于事件日期。", field="date"), {"date": "visited_on"})
    add_service_error(form, DomainError("与已有记录冲突。", field="idempotency_key"))
    add_service_error(
        form,
        DomainError(
            "走访信息有误。",
            errors=[{"field": "visitors", "message": "走访人须为本单位干部。"}, {"field": None, "message": "请核对。"}],
        ),
    )

    assert form.errors["visited_on"] == ["走访日期不能早于事件日期。"]
    assert form.errors["visitors"] == ["走访人须为本单位干部。"]
    assert form.non_field_errors() == ["与已有记录冲突。", "请核对。"]


def _sample(converter: Any) -> Any:
    """A value a path converter takes: an id, or a month (roster pages)."""
    text = next(sample for sample in ("1", "2027-03") if re.fullmatch(converter.regex, sample))
    return converter.to_python(text)


def _workbench_pages() -> list[tuple[str, Any]]:
    from django.urls import URLPattern, reverse

    from cadrecare.web import urls

    pages = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {name: _sample(converter) for name, converter in pattern.pattern.converters.items()}
        pages.append((reverse(f"web:{pattern.name}", kwargs=kwargs), pattern.callback.view_class))
    return pages


SIGN_IN_OUT = {"/login/", "/logout/"}


def test_every_workbench_page_is_a_page_view_so_it_gets_the_role_check_and_the_audit() -> None:
    assert [
        (path, view.__name__)
        for path, view in _workbench_pages()
        if path not in SIGN_IN_OUT and not issubclass(view, PageView)
    ] == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_workbench_page_asks_a_stranger_to_sign_in(db: None, method: str) -> None:
    client = Client()
    answers = {path: getattr(client, method)(path) for path, _view in _workbench_pages() if path not in SIGN_IN_OUT}

    assert {
        path: (response.status_code, response.get("Location", "").split("?")[0]) for path, response in answers.items()
    } == {path: (302, "/login/") for path in answers}
