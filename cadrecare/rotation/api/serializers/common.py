"""What the rotation serializers share: a month written ``YYYY-MM``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.STR)
class MonthField(serializers.Field):
    """A month as ``YYYY-MM`` (``YYYY-MM-01`` also accepted), held as its first day."""

    default_error_messages = {"invalid": gettext_lazy("月份格式应为 YYYY-MM，如 2027-03。")}

    def to_internal_value(self, data: Any) -> dt.date:
        text = str(data).strip()
        if len(text) == 7:
            text += "-01"
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            self.fail("invalid")
        if day.day != 1 or not 2000 <= day.year <= 2100:
            self.fail("invalid")
        return day

    def to_representation(self, value: dt.date) -> str:
        return f"{value:%Y-%m}"
