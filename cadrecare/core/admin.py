"""What every view-only page of the admin shares (no models of its own)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class ViewOnlyAdminMixin:
    """An admin that shows its records and never adds, changes or deletes one:
    the rows are written by a service (which checks, notifies and audits), a
    job, or nobody (an append-only log). Put it before ``admin.ModelAdmin`` or
    a scoped base in the bases."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
