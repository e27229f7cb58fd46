"""Django admin for reminders, shown only: schedules scoped like the API (set
through their service by the API and the workbench), notices and digests to
their recipient, deliveries, job runs and channel settings to a superuser."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from cadrecare.core.admin import ViewOnlyAdminMixin
from cadrecare.org.admin import ScopedRecordAdmin
from cadrecare.reminders.models import (
    ChannelPreference,
    Delivery,
    Digest,
    JobRun,
    Notice,
    OverdueTally,
    ReminderSchedule,
)


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(ScopedRecordAdmin):
    resource = "reminder-schedules"
    list_display = ["unit", "lead_days", "county_after_days", "city_after_days", "updated_at"]
    list_select_related = ["unit"]


class ReadOnlyAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Rows written only by the jobs: shown, never edited or deleted by hand."""


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "stage", "title", "due_date", "urgent", "read_at"]
    list_filter = ["stage", "urgent", "kind"]
    search_fields = ["title", "recipient__username"]
    list_select_related = ["recipient"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(recipient=request.user)


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ["day", "recipient", "created_at"]
    list_select_related = ["recipient"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(recipient=request.user)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "channel",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "receipt_status",
        "last_error",
    ]
    list_filter = ["status", "channel", "receipt_status"]
    list_select_related = ["recipient"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "name", "status", "scanned", "created", "finished_at"]
    list_filter = ["name", "status"]


@admin.register(OverdueTally)
class OverdueTallyAdmin(ReadOnlyAdmin):
    list_display = ["day", "area", "kind", "overdue", "counted_at"]
    list_filter = ["kind"]


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    """Where administrators map a person to their WeCom / DingTalk account.
    The channels' credentials live in settings (environment), never here."""

    list_display = ["user", "email_on", "sms_on", "wecom_on", "dingtalk_on", "quiet_start", "quiet_end"]
    search_fields = ["user__username", "wecom_userid", "dingtalk_userid"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]

    # A superuser's page only, whatever Django model permissions a staff login holds.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_superuser
