"""Django admin for self-service: shown, never written here (the services
confirm, apply, notify and audit). 心里话 are listed as the API lists them:
to their sender and the addressed role's holders only, never by subtree."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from cadrecare.org.admin import ScopedRecordAdmin
from cadrecare.org.admin_site import admin_user
from cadrecare.selfservice.models import FamilyMemberChange, HeartMessage, SelfReport
from cadrecare.selfservice.selectors import message_list


@admin.register(SelfReport)
class SelfReportAdmin(ScopedRecordAdmin):
    resource = "self-reports"
    list_display = ["cadre", "kind", "event_kind", "date", "status", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["cadre"]


@admin.register(FamilyMemberChange)
class FamilyMemberChangeAdmin(ScopedRecordAdmin):
    resource = "family-member-changes"
    list_display = ["cadre", "action", "status", "created_at"]
    list_filter = ["action", "status"]
    list_select_related = ["cadre"]


@admin.register(HeartMessage)
class HeartMessageAdmin(ScopedRecordAdmin):
    resource = "messages"
    list_display = ["sender_cadre", "addressee", "addressee_unit", "status", "answer_due", "created_at"]
    list_filter = ["addressee", "status"]
    list_select_related = ["sender_cadre", "addressee_unit"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return message_list(user=admin_user(request)).select_related(*self.list_select_related)
