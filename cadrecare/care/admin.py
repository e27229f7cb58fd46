"""Django admin for care records, scoped and audited like the API, shown
only: every care write carries rules (the policy's inheritance through
``care_policy_save``, one facility per item of a township and no future
status date, an allowance's month and amounts, the obligations and
must-talks the record services open), which the API and the workbench apply
and the admin does not. Opening a record is logged."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cadrecare.care.models import (
    CadreCondition,
    CareDecision,
    CarePolicy,
    Facility,
    FamilyEvent,
    FamilyMember,
    HardshipCase,
    HardshipMeasure,
    PostAllowance,
    Visit,
    VisitObligation,
)
from cadrecare.care.rules import member_visible_level
from cadrecare.core import clock
from cadrecare.core.privacy import Level
from cadrecare.org.admin import ScopedRecordAdmin


@admin.register(CarePolicy)
class CarePolicyAdmin(ScopedRecordAdmin):
    resource = "care-policies"
    list_display = ["unit", "family_event_days", "illness_days", "death_days", "hardship_review_months", "updated_at"]
    list_select_related = ["unit"]


@admin.register(Facility)
class FacilityAdmin(ScopedRecordAdmin):
    resource = "facilities"
    list_display = ["township", "item", "status", "as_of", "updated_at"]
    list_filter = ["item", "status"]
    list_select_related = ["township"]


@admin.register(PostAllowance)
class PostAllowanceAdmin(ScopedRecordAdmin):
    resource = "post-allowances"
    list_display = ["township", "month", "due_amount", "paid_amount", "due_by", "paid_on"]
    list_select_related = ["township"]


@admin.register(FamilyMember)
class FamilyMemberAdmin(ScopedRecordAdmin):
    resource = "family-members"
    list_display = ["cadre", "relation", "created_at"]
    list_filter = ["relation"]
    list_select_related = ["cadre"]

    def visible_level(self, request: HttpRequest, obj: Any) -> Level:
        # A child under 14 is sensitive throughout, as in the API (one rule: care.rules).
        level = super().visible_level(request, obj)
        return level if obj is None else member_visible_level(obj, level, clock.today())


@admin.register(FamilyEvent)
class FamilyEventAdmin(ScopedRecordAdmin):
    resource = "family-events"
    list_display = ["cadre", "kind", "date", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["cadre"]


@admin.register(CadreCondition)
class CadreConditionAdmin(ScopedRecordAdmin):
    resource = "cadre-conditions"
    list_display = ["cadre", "kind", "date", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["cadre"]


@admin.register(VisitObligation)
class VisitObligationAdmin(ScopedRecordAdmin):
    resource = "visit-obligations"
    list_display = ["cadre", "source", "event_date", "deadline", "owner", "status"]
    list_filter = ["source", "status"]
    list_select_related = ["cadre", "owner"]


@admin.register(Visit)
class VisitAdmin(ScopedRecordAdmin):
    resource = "visits"
    list_display = ["cadre", "kind", "date", "money_amount", "recorded_by"]
    list_filter = ["kind"]
    list_select_related = ["cadre", "recorded_by"]


@admin.register(HardshipCase)
class HardshipCaseAdmin(ScopedRecordAdmin):
    resource = "hardship-cases"
    list_display = ["cadre", "status", "opened_on", "next_review", "resolved_on"]
    list_filter = ["status"]
    list_select_related = ["cadre"]


@admin.register(HardshipMeasure)
class HardshipMeasureAdmin(ScopedRecordAdmin):
    resource = "hardship-measures"
    list_display = ["case", "kind", "date", "amount"]
    list_filter = ["kind"]
    list_select_related = ["case__cadre"]


@admin.register(CareDecision)
class CareDecisionAdmin(ScopedRecordAdmin):
    resource = "care-decisions"
    list_display = ["cadre", "outcome", "decided_on", "decided_by"]
    list_filter = ["outcome"]
    list_select_related = ["cadre", "decided_by"]
