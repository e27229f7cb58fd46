"""Django admin for training programmes and nominations, scoped like the API.
Both are shown, not edited: nominations and attendance keep the cadres'
roster absences in step through their services."""

from __future__ import annotations

from django.contrib import admin

from cadrecare.org.admin import ScopedRecordAdmin
from cadrecare.training.models import Nomination, TrainingProgramme


@admin.register(TrainingProgramme)
class TrainingProgrammeAdmin(ScopedRecordAdmin):
    resource = "training-programmes"
    list_display = ["name", "kind", "unit", "date_from", "date_to", "location", "places"]
    list_filter = ["kind"]
    list_select_related = ["unit"]
    search_fields = ["name", "unit__name"]


@admin.register(Nomination)
class NominationAdmin(ScopedRecordAdmin):
    resource = "training-programmes"
    list_display = ["programme", "cadre", "attendance", "nominated_at", "recorded_at"]
    list_filter = ["attendance"]
    list_select_related = ["programme", "cadre"]
