"""Django admin for the rest rotation, scoped like the API and shown only;
the holiday calendar is national: its years are read-only here, and a notice is loaded on
the import screen, previewed first, through the same service as the API (so it
is validated, audit-logged and reaches the rosters the same way)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from cadrecare.core.admin import ViewOnlyAdminMixin
from cadrecare.core.errors import DomainError
from cadrecare.org.admin import ScopedRecordAdmin
from cadrecare.org.admin_site import admin_user
from cadrecare.rotation.choices import CalendarStatus, RosterStatus
from cadrecare.rotation.holiday_calendar import MAX_YEAR, MIN_YEAR, holiday_csv_parse
from cadrecare.rotation.holiday_corrections import holiday_year_load, holiday_year_preview, may_load_holidays
from cadrecare.rotation.models import (
    Absence,
    GenerationItem,
    GenerationRun,
    HolidayDay,
    HolidayYear,
    MissedRest,
    Recall,
    RestConfirmation,
    RestFeed,
    RestRequest,
    Roster,
    RosterDay,
    RosterEntitlement,
    RosterVersion,
    RotationPolicy,
    SwapRequest,
)


class HolidayDayInline(admin.TabularInline):
    model = HolidayDay
    extra = 0
    can_delete = False
    readonly_fields = ["date", "kind", "name"]


class NoticeForm(forms.Form):
    """A notice as the admin screen takes it: a CSV file or the same lines pasted."""

    year = forms.IntegerField(label="年份", min_value=MIN_YEAR, max_value=MAX_YEAR)
    source_ref = forms.CharField(label="通知文号或网址", max_length=300)
    file = forms.FileField(label="CSV 文件（日期,类型,名称）", required=False)
    text = forms.CharField(
        label="或粘贴 CSV 内容", required=False, widget=forms.Textarea(attrs={"rows": 12, "cols": 60})
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("file")
        if upload:
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("CSV 文件须为 UTF-8 编码。")) from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请上传 CSV 文件或粘贴其内容。"))
        return data


@admin.register(HolidayYear)
class HolidayYearAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Read-only years; "导入或更正" previews a notice (the diff and the rosters
    it reaches) and applies it through the same service as the API."""

    list_display = ["year", "status", "source_ref", "loaded_by", "loaded_at"]
    readonly_fields = ["year", "status", "source_ref", "loaded_by", "loaded_at", "checksum"]
    inlines = [HolidayDayInline]
    change_list_template = "admin/rotation/holidayyear/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="rotation_holidayyear_import"), *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra = {**(extra_context or {}), "may_load": may_load_holidays(admin_user(request))}
        return super().changelist_view(request, extra_context=extra)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """GET: the form. POST "preview": the form again with what the notice
        changes, nothing written. POST "apply": load it, then back to the list."""
        if not may_load_holidays(admin_user(request)):
            raise PermissionDenied(_("只有市级组织部管理员可以导入节假日安排。"))
        form = NoticeForm(request.POST or None, request.FILES or None)
        preview = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                rows = holiday_csv_parse(data["text"])
                if "apply" in request.POST:
                    year, changed = holiday_year_load(
                        actor=admin_user(request),
                        year=data["year"],
                        rows=rows,
                        source_ref=data["source_ref"],
                        request=request,
                    )
                    verb = "已导入，受影响的排班已标记并通知书记" if changed else "与已导入的通知相同，未作改动"
                    self.message_user(request, f"{year.year} 年节假日安排{verb}。", messages.SUCCESS)
                    return redirect("admin:rotation_holidayyear_changelist")
                preview = holiday_year_preview(
                    actor=admin_user(request), year=data["year"], rows=rows, source_ref=data["source_ref"]
                )
                # The notice's lines stay in the text box, so "apply" loads what was previewed.
                form = NoticeForm(initial={name: data[name] for name in ("year", "source_ref", "text")})
            except DomainError as error:
                for item in error.errors or [{"field": error.field, "message": error.message}]:
                    field, message = item.get("field"), item["message"]
                    form.add_error(
                        None, _("%(field)s：%(message)s") % {"field": field, "message": message} if field else message
                    )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "导入或更正节假日安排",
            "form": form,
            "preview": preview,
            "rosters": [(impact, RosterStatus(impact.status).label) for impact in preview.rosters] if preview else [],
            "status_before": CalendarStatus(preview.status_before).label
            if preview and preview.status_before
            else "尚未载入",
        }
        return TemplateResponse(request, "admin/rotation/holidayyear/import.html", context)


# Policies, absences, requests, rosters and everything written from them change only through the
# services (versions, rule checks, roster marks, notices): the admin shows them.


@admin.register(RotationPolicy)
class RotationPolicyAdmin(ScopedRecordAdmin):
    resource = "rotation-policies"
    list_display = ["unit", "effective_from", "mode", "rest_days", "min_on_duty_ratio", "generation_day"]
    list_filter = ["mode"]


@admin.register(Absence)
class AbsenceAdmin(ScopedRecordAdmin):
    resource = "absences"
    # The kind (sick leave) is personal: shown, and logged, only when an absence is opened.
    list_display = ["cadre", "start", "end"]
    list_select_related = ["cadre"]


@admin.register(RestRequest)
class RestRequestAdmin(ScopedRecordAdmin):
    resource = "rest-requests"
    list_display = ["cadre", "kind", "start", "end"]


@admin.register(Roster)
class RosterAdmin(ScopedRecordAdmin):
    resource = "rosters"
    list_display = ["unit", "month", "status", "version", "provisional_calendar", "published_at", "locked_at"]
    list_filter = ["status", "provisional_calendar"]
    list_select_related = ["unit"]
    search_fields = ["unit__name", "unit__code"]


@admin.register(RosterVersion)
class RosterVersionAdmin(ScopedRecordAdmin):
    resource = "rosters"
    list_display = ["roster", "number", "solver_status", "created_at"]
    list_filter = ["solver_status"]
    list_select_related = ["roster__unit"]


@admin.register(RosterDay)
class RosterDayAdmin(ScopedRecordAdmin):
    resource = "roster-days"
    list_display = ["version", "cadre", "date", "kind", "pinned"]
    list_filter = ["kind", "pinned"]
    list_select_related = ["version__roster__unit", "cadre"]


@admin.register(RosterEntitlement)
class RosterEntitlementAdmin(ScopedRecordAdmin):
    resource = "rest-compliance"
    list_display = ["version", "cadre", "available_days", "carry_days", "entitled"]
    list_select_related = ["version__roster__unit", "cadre"]


@admin.register(SwapRequest)
class SwapRequestAdmin(ScopedRecordAdmin):
    resource = "swap-requests"
    list_display = ["roster", "requester", "counterpart", "requester_start", "counterpart_start", "status"]
    list_filter = ["status"]
    list_select_related = ["roster__unit", "requester", "counterpart"]


@admin.register(Recall)
class RecallAdmin(ScopedRecordAdmin):
    resource = "recalls"
    list_display = ["cadre", "date", "days_lost", "reason", "recorded_at"]
    list_select_related = ["cadre"]


@admin.register(MissedRest)
class MissedRestAdmin(ScopedRecordAdmin):
    resource = "missed-rest"
    list_display = ["cadre", "month", "days", "entitlement_cut", "owed", "status"]
    list_filter = ["status"]
    list_select_related = ["cadre", "roster__unit"]


@admin.register(RestConfirmation)
class RestConfirmationAdmin(ScopedRecordAdmin):
    resource = "rest-confirmations"
    list_display = ["cadre", "roster", "status", "days_rested", "submitted_on"]
    list_filter = ["status"]
    list_select_related = ["cadre", "roster__unit"]


@admin.register(GenerationRun)
class GenerationRunAdmin(ScopedRecordAdmin):
    resource = "generation-runs"
    list_display = ["unit", "month", "kind", "scheduled_for", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["unit"]


@admin.register(GenerationItem)
class GenerationItemAdmin(ScopedRecordAdmin):
    resource = "generation-runs"
    list_display = ["run", "unit", "status", "solve_seconds", "attempts", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["run__unit", "unit"]


@admin.register(RestFeed)
class RestFeedAdmin(ScopedRecordAdmin):
    resource = "roster-days"
    list_display = ["cadre", "created_at"]
    list_select_related = ["cadre"]
    exclude = ["token"]  # the feed's secret URL: shown to nobody
