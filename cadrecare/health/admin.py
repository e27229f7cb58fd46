"""Django admin for health policies and campaigns, scoped like the API. Check-ups
themselves are not in the admin: their findings are read through the API,
where every read is logged."""

from __future__ import annotations

from django.contrib import admin

from cadrecare.health.models import CheckupCampaign, CheckupPolicy
from cadrecare.org.admin import ScopedAdmin


@admin.register(CheckupPolicy)
class CheckupPolicyAdmin(ScopedAdmin):
    resource = "checkup-policies"
    list_display = ["unit", "interval_months", "reminder_days", "payer", "updated_at"]
    list_select_related = ["unit"]
    search_fields = ["unit__name", "unit__code"]


@admin.register(CheckupCampaign)
class CheckupCampaignAdmin(ScopedAdmin):
    resource = "checkup-campaigns"
    list_display = ["name", "unit", "date_from", "date_to", "institution", "status"]
    list_filter = ["status"]
    list_select_related = ["unit"]
    search_fields = ["name", "unit__name"]
