"""干部档案 for HR officers (and whoever reads cadres): search my units' cadres,
a cadre's page (details masked and audited as ``/api/v1/cadres/<pk>/``, post
history, published rest days, check-ups, family, talks and visits, each only
where the reader's roles reach it), the export through the API's audited
``/api/v1/cadres/export/``, and the import: upload an xlsx or csv, see the dry
run (every row checked as the API checks one cadre, each bad row named in
Chinese), then apply it, all rows or none (``cadrecare.org.imports``)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from cadrecare.care.selectors import family_member_queryset, visit_queryset
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.health.selectors import checkup_queryset
from cadrecare.org import scoping
from cadrecare.org.access import VIEW
from cadrecare.org.api.serializers import CadreSerializer
from cadrecare.org.imports import cadre_import, cadre_import_check
from cadrecare.org.selectors import cadre_list_queryset, cadre_queryset
from cadrecare.rotation.selectors import published_rest_days
from cadrecare.talks.selectors import talk_list
from cadrecare.web.pages import PageView, add_service_error, redirect_after_post

PAGE_SIZE = 30
RECENT = 10  # rows of each history shown on a cadre's page
PREVIEW_ROWS = 50
UPLOAD_SECONDS = 30 * 60  # how long a checked file waits to be applied
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class CadreSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名"), required=False, max_length=50)


class CadreSearchView(PageView):
    """Cadres in my scope by name, each linking to their page; the export of the same list."""

    resource = "cadres"
    template_name = "web/cadres/search.html"
    partial = "rows"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = CadreSearchForm(self.request.GET or None)
        q = form.cleaned_data["q"] if form.is_valid() else ""
        cadres = scoping.scoped(cadre_list_queryset(), user, self.resource).order_by("unit__path", "id")
        if q:
            cadres = cadres.filter(name__contains=q)
        page = Paginator(cadres, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            page=page,
            query=query.urlencode(),
            export_url=(
                f"{reverse('cadre-export')}?{urlencode({'q': q})}"
                if scoping.may(user, self.resource, "export")
                else None
            ),
            may_import=CadreImportView.allowed(user),
        )
        return context


class CadreDetailView(PageView):
    """A cadre's page: details as the API shows them to this reader, and each
    history the reader's roles reach (newest first), linking on to its page."""

    resource = "cadres"
    nav_entry = "web:cadres"
    template_name = "web/cadres/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        cadre = get_object_or_404(scoping.scoped(cadre_queryset(), user, self.resource), pk=self.kwargs["pk"])

        def reaches(resource: str) -> bool:
            return scoping.may_for_cadre(user, resource, VIEW, cadre)

        today = clock.today()
        # Histories show only basic fields (dates, kinds, names): no personal value, so no audit row.
        context.update(
            cadre=self.serialize(CadreSerializer, cadre),
            posts=list(cadre.post_changes.all())[::-1] if reaches("post-changes") else None,
            rest_days=[
                day
                for day, _unit in published_rest_days(cadre=cadre, around=today)
                if today - dt.timedelta(days=31) <= day
            ]
            if reaches("roster-days")
            else None,
            checkups=list(checkup_queryset().filter(cadre=cadre).order_by("-date", "-id")[:RECENT])
            if reaches("health-checkups")
            else None,
            may_archive=reaches("health-archives"),
            family_count=family_member_queryset().filter(cadre=cadre).count() if reaches("family-members") else None,
            talks=list(talk_list(user=user).filter(talkee=cadre).order_by("-date", "-id")[:RECENT])
            if scoping.may(user, "talks", VIEW)
            else None,
            visits=list(visit_queryset().filter(cadre=cadre).order_by("-date", "-id")[:RECENT])
            if reaches("visits")
            else None,
        )
        return context


# -- import ----------------------------------------------------------------------------------------
class CadreImportForm(forms.Form):
    file = forms.FileField(
        label=_("干部名册文件"),
        help_text=_("Excel（.xlsx）或 CSV，列与导出的名册相同，第一行为表头。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("只能导入 .xlsx 或 .csv 文件。"))
        return upload


def _upload_key(request: HttpRequest, token: str) -> str:
    return f"web:cadre-import:{request.user.pk}:{token}"


class CadreImportView(PageView):
    """导入干部: a POST with a file is the dry run (the rows to be created, or
    each bad row with its field, nothing saved); a POST with the checked
    file's token applies it. The file waits for the apply in the cache, under
    the uploader's id, for half an hour."""

    resource = "cadres"
    action = "import"
    nav_entry = "web:cadres"
    template_name = "web/cadres/import.html"
    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=CadreImportForm()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = request.POST.get("token", "")
        if token:
            return self.apply(request, token)
        form = CadreImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.answer(form, status=400)
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            rows = cadre_import_check(request=request, upload_name=upload.name, content=content)
        except DomainError as error:
            if not error.errors:  # the file itself (unreadable, too many rows): beside the file field
                add_service_error(form, error)
                return self.answer(form, status=error.status_code)
            return self.answer(
                form,
                status=error.status_code,
                failure=error.message,
                problems=[entry["message"] for entry in error.errors],
            )
        token = secrets.token_urlsafe(16)
        cache.set(_upload_key(request, token), (upload.name, content), UPLOAD_SECONDS)
        preview = [row.validated_data for row in rows[:PREVIEW_ROWS]]
        return self.answer(CadreImportForm(), preview=preview, count=len(rows), token=token, file_name=upload.name)

    def apply(self, request: HttpRequest, token: str) -> HttpResponse:
        stored = cache.get(_upload_key(request, token))
        if stored is None:
            return self.answer(CadreImportForm(), status=400, failure=_t("预览已过期，请重新选择文件检查。"))
        name, content = stored
        try:
            created = cadre_import(request=request, upload_name=name, content=content)
        except DomainError as error:  # the data changed since the check (a unit removed, an id taken)
            return self.answer(
                CadreImportForm(),
                status=error.status_code,
                failure=error.message,
                problems=[entry["message"] for entry in error.errors or []],
            )
        cache.delete(_upload_key(request, token))
        messages.success(request, _t("已导入 %(n)d 名干部。") % {"n": created})
        return redirect_after_post(request, reverse("web:cadres"))

    def answer(self, form: CadreImportForm, status: int = 200, **extra: Any) -> HttpResponse:
        response = self.render_to_response(self.get_context_data(form=form, **extra))
        response.status_code = status
        return response


urlpatterns = [
    path("cadres/", CadreSearchView.as_view(), name="cadres"),
    path("cadres/<int:pk>/", CadreDetailView.as_view(), name="cadre"),
    path("cadres/import/", CadreImportView.as_view(), name="cadre-import"),
]
