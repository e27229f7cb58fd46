"""What the care serializers share."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


def read_only_on_update(serializer: serializers.Serializer, fields: dict[str, Any], names: tuple[str, ...]) -> None:
    """What a record is about is fixed once recorded."""
    if serializer.instance is not None:
        for name in names:
            if name in fields:
                fields[name].read_only = True
