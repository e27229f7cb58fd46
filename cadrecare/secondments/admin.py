"""Django admin for secondments, scoped and audited like the API; a term
changes only through its services (they move the cadre), so the admin shows it."""

from __future__ import annotations

from django.contrib import admin

from cadrecare.org.admin import ScopedRecordAdmin
from cadrecare.secondments.models import Secondment


@admin.register(Secondment)
class SecondmentAdmin(ScopedRecordAdmin):
    resource = "secondments"
    list_display = ["cadre", "kind", "home_unit", "host_unit", "start", "planned_end", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["cadre", "home_unit", "host_unit"]
    raw_id_fields = ["cadre", "home_unit", "host_unit", "start_change", "end_change", "registered_by", "decided_by"]
