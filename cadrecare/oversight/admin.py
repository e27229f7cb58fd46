"""Django admin for the oversight records, scoped and audited like the API.
A county's visit cadence is set here (no API or page sets it), through
``field_visit_policy_save`` and ``field_visit_policy_delete``, which check its
county and audit the write; reviews, plans and visits are shown (their writes
carry rules in cadrecare.oversight.services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cadrecare.org.admin import ScopedAdmin, ScopedRecordAdmin
from cadrecare.org.admin_site import admin_user
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import OrgUnit
from cadrecare.org.scoping import nameable
from cadrecare.oversight.models import (
    FieldVisit,
    FieldVisitPolicy,
    InterviewPlan,
    InterviewPlanLine,
    TransferDecision,
    TransferReview,
)
from cadrecare.oversight.services import field_visit_policy_delete, field_visit_policy_save


@admin.register(FieldVisitPolicy)
class FieldVisitPolicyAdmin(ScopedAdmin):
    resource = "field-visits"
    list_display = ["county", "cadence_months", "updated_at"]
    list_select_related = ["county"]
    raw_id_fields = ["county"]

    def write(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> Any:
        return field_visit_policy_save(
            actor=admin_user(request),
            request=request,
            county=form.cleaned_data["county"],
            cadence_months=form.cleaned_data["cadence_months"],
            policy=self.stored(obj) if change else None,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        field_visit_policy_delete(actor=admin_user(request), request=request, policy=obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "county":  # a county the user may name: a township's policy would never be read
            kwargs["queryset"] = nameable(OrgUnit.objects.filter(kind=UnitKind.COUNTY), request.user, self.resource)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(FieldVisit)
class FieldVisitAdmin(ScopedRecordAdmin):
    resource = "field-visits"
    list_display = ["township", "date", "created_at"]
    list_select_related = ["township"]


@admin.register(TransferReview)
class TransferReviewAdmin(ScopedRecordAdmin):
    resource = "transfer-reviews"
    list_display = ["county", "year", "decide_by", "created_at"]
    list_select_related = ["county"]


@admin.register(TransferDecision)
class TransferDecisionAdmin(ScopedRecordAdmin):
    resource = "transfer-reviews"
    list_display = ["cadre", "township", "outcome", "decided_on"]
    list_filter = ["outcome"]
    list_select_related = ["cadre", "township"]


@admin.register(InterviewPlan)
class InterviewPlanAdmin(ScopedRecordAdmin):
    resource = "interview-plans"
    list_display = ["county", "year", "checkpoints", "created_at"]
    list_select_related = ["county"]


@admin.register(InterviewPlanLine)
class InterviewPlanLineAdmin(ScopedRecordAdmin):
    resource = "interview-plans"
    list_display = ["cadre", "township", "status", "done_date"]
    list_filter = ["status"]
    list_select_related = ["cadre", "township"]
