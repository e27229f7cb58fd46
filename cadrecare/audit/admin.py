from django.contrib import admin

from cadrecare.audit.models import AuditEntry
from cadrecare.core.admin import ViewOnlyAdminMixin


@admin.register(AuditEntry)
class AuditEntryAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["at", "actor_name", "roles", "action", "resource", "object_id", "cadre_id"]
    list_filter = ["action", "resource"]
    search_fields = ["actor_name", "object_id"]
