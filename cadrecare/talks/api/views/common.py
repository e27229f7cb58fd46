"""What the must-talk endpoints share: the verbs of a register that keeps its
rows, and handing a service's record to the serializer."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


def set_instance(serializer: serializers.BaseSerializer, instance: Any) -> Any:
    """What a service wrote becomes the serializer's instance, for the response."""
    serializer.instance = instance
    return instance
