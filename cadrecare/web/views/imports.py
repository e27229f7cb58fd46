"""导入 for HR (and whoever may import a resource): upload an xlsx or csv, see
the dry run (how many rows would be added, changed or left as they are, and
the rows; or every bad row and column named in Chinese, nothing saved), then
apply it, all rows or none, through the same machinery as the API's
``/api/v1/<resource>/import/`` (``cadrecare.core.imports``). The page offers
the resource's template. One view serves every resource in ``IMPORTS``."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from cadrecare.care.imports import FamilyMemberImporter, PostAllowanceImporter
from cadrecare.core.authenticated import AuthenticatedHttpRequest
from cadrecare.core.errors import DomainError
from cadrecare.core.imports import CREATE, UNCHANGED, UPDATE, Importer, import_apply, import_check
from cadrecare.health.imports import CheckupImporter
from cadrecare.org.imports import CadreImporter
from cadrecare.rotation.imports import AbsenceImporter
from cadrecare.web.pages import PageView, add_service_error, redirect_after_post

PREVIEW_ROWS = 50
UPLOAD_SECONDS = 30 * 60  # how long a checked file waits to be applied
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ImportPage:
    importer: type[Importer]
    title: Promise
    file_label: Promise
    back: str  # the page the import returns to


IMPORTS = {
    "cadres": ImportPage(CadreImporter, _("导入干部"), _("干部名册文件"), "web:cadres"),
    "family-members": ImportPage(FamilyMemberImporter, _("导入家属信息"), _("家属信息文件"), "web:family"),
    "health-checkups": ImportPage(CheckupImporter, _("导入体检结果"), _("体检结果文件"), "web:checkups"),
    "post-allowances": ImportPage(PostAllowanceImporter, _("导入岗位补贴发放"), _("岗位补贴文件"), "web:imports"),
    "absences": ImportPage(AbsenceImporter, _("导入外出与请假"), _("外出与请假文件"), "web:roster"),
}


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text=_("Excel（.xlsx）或 CSV（UTF-8 或 GBK），列与模板相同，第一行为表头。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, label: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = label

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("只能导入 .xlsx 或 .csv 文件。"))
        return upload


class ImportsView(PageView):
    """批量导入: the imports this person may use, each with its template."""

    resource = "cadres"
    nav_entry = "web:cadres"
    template_name = "web/imports.html"

    @classmethod
    def allowed(cls, user: Any) -> bool:
        return any(view.allowed(user) for view in VIEWS.values())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["imports"] = [
            {
                "title": page.title,
                "url": reverse(f"web:import-{resource}"),
                "template_url": f"/api/v1/{resource}/import-template/",
            }
            for resource, page in IMPORTS.items()
            if VIEWS[resource].allowed(self.request.user)
        ]
        return context


class ImportView(PageView):
    """A POST with a file is the dry run; a POST with the checked file's token
    applies it. The file waits for the apply in the cache, under the
    uploader's id, for half an hour."""

    action = "import"
    template_name = "web/import.html"
    http_method_names = ["get", "post"]
    page: ImportPage

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=self.form()))

    def form(self, *args: Any) -> ImportForm:
        return ImportForm(*args, label=self.page.file_label)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=self.page.title,
            here=reverse(f"web:import-{self.resource}"),
            back=reverse(self.page.back),
            template_url=f"/api/v1/{self.resource}/import-template/",
            options=self.importer_options(),
        )
        return context

    def importer_options(self) -> dict[str, str]:
        """The importer's options as given on the page's address (?campaign=…)."""
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        return {name: source[name] for name in ("campaign", "close") if source.get(name)}

    def _key(self, token: str) -> str:
        return f"web:import:{self.resource}:{self.request.user.pk}:{token}"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = request.POST.get("token", "")
        if token:
            return self.apply(self.request, token)
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            return self.answer(form, status=400)
        upload = form.cleaned_data["file"]
        content = upload.read()
        importer = self.page.importer(request=request, options=self.importer_options())
        try:
            plan = import_check(importer, upload_name=upload.name, content=content)
        except DomainError as error:
            return self.refused(form, error)
        token = secrets.token_urlsafe(16)
        cache.set(self._key(token), (upload.name, content), UPLOAD_SECONDS)
        return self.answer(
            self.form(),
            headers=list(plan.rows[0].shown) if plan.rows else [],
            preview=[
                {"row": row.row, "outcome": row.outcome, "cells": list(row.shown.items())}
                for row in plan.rows[:PREVIEW_ROWS]
            ],
            count=len(plan.rows),
            counts=plan.counts,
            token=token,
            file_name=upload.name,
        )

    def apply(self, request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
        stored = cache.get(self._key(token))
        if stored is None:
            return self.answer(self.form(), status=400, failure=_t("预览已过期，请重新选择文件检查。"))
        name, content = stored
        importer = self.page.importer(request=request, options=self.importer_options())
        try:
            plan = import_apply(importer, upload_name=name, content=content)
        except DomainError as error:  # the data changed since the check (a unit removed, an id taken)
            return self.refused(self.form(), error)
        cache.delete(self._key(token))
        messages.success(
            request,
            _t("已导入：新增 %(created)d 条，修改 %(updated)d 条，不变 %(unchanged)d 条。")
            % {"created": plan.count(CREATE), "updated": plan.count(UPDATE), "unchanged": plan.count(UNCHANGED)},
        )
        return redirect_after_post(request, reverse(self.page.back))

    def refused(self, form: ImportForm, error: DomainError) -> HttpResponse:
        if not error.errors or all(entry.get("row") is None for entry in error.errors):
            add_service_error(form, error)  # the file itself (unreadable, too many rows): beside the file field
            return self.answer(form, status=error.status_code)
        return self.answer(
            form,
            status=error.status_code,
            failure=error.message,
            problems=[entry["message"] for entry in error.errors],
        )

    def answer(self, form: ImportForm, status: int = 200, **extra: Any) -> HttpResponse:
        response = self.render_to_response(self.get_context_data(form=form, **extra))
        response.status_code = status
        return response


def import_view(resource: str, page: ImportPage) -> type[ImportView]:
    """The import page of ``resource``: an ``ImportView`` naming it and its page."""
    view = type(
        f"Import{resource.title().replace('-', '')}View",
        (ImportView,),
        {"resource": resource, "page": page, "nav_entry": page.back},
    )
    assert issubclass(view, ImportView)  # type() is typed as making any class
    return view


VIEWS = {resource: import_view(resource, page) for resource, page in IMPORTS.items()}

urlpatterns = [
    path("imports/", ImportsView.as_view(), name="imports"),
    path("cadres/import/", VIEWS["cadres"].as_view(), name="cadre-import"),
    *[
        path(
            "cadres/import/" if resource == "cadres" else f"imports/{resource}/",
            view.as_view(),
            name=f"import-{resource}",
        )
        for resource, view in VIEWS.items()
    ],
]
