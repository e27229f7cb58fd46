"""Django admin for the establishment, scoped and audited like the API, shown
only: slots are set through their service (a township's approved number) and
borrowings through theirs (review, return), by the API and the workbench."""

from __future__ import annotations

from django.contrib import admin

from cadrecare.establishment.models import Borrowing, EstablishmentSlot
from cadrecare.org.admin import ScopedRecordAdmin


@admin.register(EstablishmentSlot)
class EstablishmentSlotAdmin(ScopedRecordAdmin):
    resource = "establishment"
    list_display = ["township", "approved", "approved_on", "updated_at"]
    list_select_related = ["township"]


@admin.register(Borrowing)
class BorrowingAdmin(ScopedRecordAdmin):
    resource = "establishment-borrowings"
    list_display = ["cadre", "township", "borrower", "start", "until", "reviewed_on", "returned_on"]
    list_select_related = ["cadre", "township", "borrower"]
