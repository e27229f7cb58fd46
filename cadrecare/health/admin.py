"""Django admin for health policies, campaigns, check-ups and attendance,
scoped like the API and shown only: their services keep the due dates, the
policy's inheritance and the campaigns right (the API and the workbench call
them); opening a check-up, with its findings, is logged like an API read."""

from __future__ import annotations

from django.contrib import admin

from cadrecare.health.models import CampaignAttendee, Checkup, CheckupCampaign, CheckupPolicy
from cadrecare.org.admin import ScopedRecordAdmin


@admin.register(CheckupPolicy)
class CheckupPolicyAdmin(ScopedRecordAdmin):
    resource = "checkup-policies"
    list_display = ["unit", "interval_months", "reminder_days", "payer", "updated_at"]
    list_select_related = ["unit"]
    search_fields = ["unit__name", "unit__code"]


@admin.register(CheckupCampaign)
class CheckupCampaignAdmin(ScopedRecordAdmin):
    resource = "checkup-campaigns"
    list_display = ["name", "unit", "date_from", "date_to", "institution", "status"]
    list_filter = ["status"]
    list_select_related = ["unit"]
    search_fields = ["name", "unit__name"]


@admin.register(Checkup)
class CheckupAdmin(ScopedRecordAdmin):
    resource = "health-checkups"
    list_display = ["cadre", "date", "kind", "institution", "conclusion", "follow_up_needed"]
    list_filter = ["kind", "conclusion", "follow_up_needed"]
    list_select_related = ["cadre"]


@admin.register(CampaignAttendee)
class CampaignAttendeeAdmin(ScopedRecordAdmin):
    resource = "checkup-campaigns"
    list_display = ["campaign", "cadre", "due_date", "status", "recorded_at"]
    list_filter = ["status"]
    list_select_related = ["campaign", "cadre"]
