"""Django admin for the rest rotation, scoped like the API; the holiday
calendar is national, and loading a notice goes through the service so it is
validated and audit-logged (the admin shows it read-only)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from cadrecare.org.admin import ScopedAdmin
from cadrecare.rotation.models import Absence, HolidayDay, HolidayYear, RestRequest, RotationPolicy


class HolidayDayInline(admin.TabularInline):
    model = HolidayDay
    extra = 0
    can_delete = False
    readonly_fields = ["date", "kind", "name"]


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    list_display = ["year", "status", "source_ref", "loaded_by", "loaded_at"]
    readonly_fields = ["year", "status", "source_ref", "loaded_by", "loaded_at", "checksum"]
    inlines = [HolidayDayInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # manage.py load_holiday_year or POST /api/v1/holiday-years/


@admin.register(RotationPolicy)
class RotationPolicyAdmin(ScopedAdmin):
    resource = "rotation-policies"
    list_display = ["unit", "effective_from", "mode", "rest_days", "min_on_duty_ratio", "generation_day"]
    list_filter = ["mode"]


@admin.register(Absence)
class AbsenceAdmin(ScopedAdmin):
    resource = "absences"
    list_display = ["cadre", "kind", "start", "end"]
    list_filter = ["kind"]


@admin.register(RestRequest)
class RestRequestAdmin(ScopedAdmin):
    resource = "rest-requests"
    list_display = ["cadre", "kind", "start", "end"]
