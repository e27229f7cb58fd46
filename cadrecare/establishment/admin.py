"""Django admin for the establishment, scoped and audited like the API. Slots
are edited here; borrowings change only through their services (review,
return), so the admin shows them."""

from __future__ import annotations

from django.contrib import admin

from cadrecare.establishment.models import Borrowing, EstablishmentSlot
from cadrecare.org.admin import ScopedAdmin, ScopedRecordAdmin


@admin.register(EstablishmentSlot)
class EstablishmentSlotAdmin(ScopedAdmin):
    resource = "establishment"
    list_display = ["township", "approved", "approved_on", "updated_at"]
    list_select_related = ["township"]
    raw_id_fields = ["township"]


@admin.register(Borrowing)
class BorrowingAdmin(ScopedRecordAdmin):
    resource = "establishment-borrowings"
    list_display = ["cadre", "township", "borrower", "start", "until", "reviewed_on", "returned_on"]
    list_select_related = ["cadre", "township", "borrower"]
